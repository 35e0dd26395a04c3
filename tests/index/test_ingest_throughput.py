"""Ingest of many files: parsed in worker processes, unchanged files never parsed, bad files reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import build, reading
from index.store import ingest


def test_a_bad_file_in_a_parallel_batch_is_reported_and_the_others_indexed(plan_files, cache_env, tmp_path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(reading, "PARALLEL_MIN_BYTES", 0)  # a process pool even for three small files
    folder = plan_files["plan-a"].parent
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    report = ingest([folder], tmp_path / "index", progress=False)
    assert sorted(report.added) == ["plan-a", "plan-b"]
    assert [Path(e.path).name for e in report.errors] == ["broken.docx"]


def test_unchanged_files_are_skipped_before_parsing(plan_files, cache_env, tmp_path, monkeypatch):
    from ingest import pipeline

    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    parsed: list[Path] = []
    real = pipeline.parse_document
    monkeypatch.setattr(pipeline, "parse_document", lambda p, *a, **k: parsed.append(p) or real(p, *a, **k))
    plan_files["plan-b"].write_text(plan_files["plan-b"].read_text(encoding="utf-8") + "\n三、附则\n本方案自印发之日起施行。\n",
                                    encoding="utf-8")
    report = ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    assert report.skipped == ["plan-a"] and report.updated == ["plan-b"]
    assert [p.name for p in parsed] == ["plan-b.txt"]


def test_the_pool_is_used_only_for_big_batches(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANQA_CACHE_DIR", str(tmp_path / "cache"))
    made = []
    monkeypatch.setattr(reading, "_new_pool", lambda: made.append(1) or None)
    small = tmp_path / "a.txt"
    small.write_text("测试", encoding="utf-8")
    list(reading._read_documents([small], _NullEmbedder(), build.IngestReport(), progress=False))
    assert not made


class _NullEmbedder:
    id = "null"
    dim = 4

    def embed_passages(self, texts):
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def embed_query(self, text):
        raise AssertionError("not used")


def test_ingest_streams_documents_instead_of_holding_every_parsed_one(plan_files, cache_env, tmp_path, monkeypatch):
    """A folder of thousands of files must not hold every parsed document until the build: each
    batch is written to the records and let go (only its chunks stay, for the vector store)."""
    import gc
    import weakref

    from index.records import RecordStore
    from ingest import pipeline

    folder = plan_files["plan-a"].parent
    base = plan_files["plan-a"].read_text(encoding="utf-8")
    for i in range(8):
        (folder / f"plan-{i}.txt").write_text(base.replace("2025", str(2030 + i)), encoding="utf-8")
    monkeypatch.setattr(reading, "READ_BATCH", 2)
    alive: list[weakref.ref] = []
    real = pipeline.parse_document
    monkeypatch.setattr(pipeline, "parse_document", lambda p, *a, **k: _track(alive, real(p, *a, **k)))
    most = []
    add = build._IndexBuild.add

    def counting_add(self, doc, *args):
        add(self, doc, *args)
        gc.collect()
        most.append(sum(r() is not None for r in alive))

    monkeypatch.setattr(build._IndexBuild, "add", counting_add)
    index_dir = tmp_path / "index"
    report = ingest([folder], index_dir, progress=False, embedder=_NullEmbedder())
    assert len(report.added) == 10 and not report.errors
    assert max(most) <= 2 * reading.READ_BATCH < len(report.added)  # the batch being written and the next
    records = RecordStore(index_dir / "records.sqlite")
    try:
        assert len(records.documents()) == 10
        assert {c.doc_id for c in records.chunks()} == set(report.added)
    finally:
        records.close()


def test_a_file_that_no_longer_parses_keeps_its_indexed_version(plan_files, cache_env, tmp_path, monkeypatch):
    from index.records import RecordStore
    from ingest import pipeline
    from ingest.model import IngestError

    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False, embedder=_NullEmbedder())
    plan_files["plan-b"].write_text(plan_files["plan-b"].read_text(encoding="utf-8") + "\n附则。\n", encoding="utf-8")

    def broken(path, *a, **k):
        raise IngestError(str(path), "unreadable")

    monkeypatch.setattr(pipeline, "parse_document", broken)
    report = ingest([plan_files["plan-a"].parent], index_dir, progress=False, embedder=_NullEmbedder())
    assert not report.changed and [Path(e.path).name for e in report.errors] == ["plan-b.txt"]
    records = RecordStore(index_dir / "records.sqlite")
    try:
        assert {d["doc_id"] for d in records.documents()} == {"plan-a", "plan-b"}
    finally:
        records.close()
    assert not list(tmp_path.glob(".index.build-*"))  # the unused build copy is gone


def _track(alive: list, doc):
    import weakref

    alive.append(weakref.ref(doc))
    return doc
