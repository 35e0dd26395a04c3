"""Building the index directory: an ingest adds, updates, skips (by sha256) and drops documents in a
copy of the live index (`_IndexBuild`) and swaps it in atomically (index/layout.py); with nothing to
re-read it only refreshes stale derived rows. Apart from index/store.py so that opening and searching
an index does not carry the writer's code, and so each stays a readable size.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import derived, factvectors, history
from index.embed import CachedEmbedder, Embedder, get_embedder
from index.layout import (
    MANIFEST,
    SCHEMA_VERSION,
    _built_store,
    _check_store,
    _lock,
    _mismatch,
    _read_manifest,
    _recover,
    _swap,
    _write_durably,
    default_index_dir,
    embedder_id_for,
    parser_fingerprint,
)
from index.reading import _read_documents
from index.records import MIGRATIONS as RECORD_MIGRATIONS
from index.records import RecordStore
from index.retrieve import dense_text
from index.tokens import DEFAULT_MODE
from index.vectorstore import store_writer
from ingest.model import Chunk, Document, IngestError


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    replaced: dict[str, int] = field(default_factory=dict)  # doc id -> code points replaced at load

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _discover(paths: list[Path] | None) -> tuple[list[Path], list[IngestError], list[Path]]:
    from ingest import pipeline

    roots = [Path(p) for p in paths] if paths else [pipeline.BUNDLED_CORPUS]
    files, errors = pipeline.discover(roots)
    return [Path(f) for f in files], list(errors), [r for r in roots if r.is_dir()]


def ingest(paths: list[Path] | None = None, index_dir: Path | None = None, progress: bool = True,
           rebuild: bool = False, embedder: Embedder | None = None) -> IngestReport:
    """Add or update documents (None = the bundled corpus); unchanged files are skipped by sha256.

    Files that fail to parse are reported in `errors` and do not stop the others. `rebuild=True`
    starts from an empty index (needed after changing the embedder) and re-reads every known source.
    """
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    report = IngestReport()
    with _lock(index_dir):
        _recover(index_dir)
        old = None if rebuild else _read_manifest(index_dir)
        emb = _checked_embedder(old, index_dir, embedder)
        known: dict[str, dict] = dict(old["files"]) if old else {}
        parser = parser_fingerprint()
        reparse_all = old is not None and (old.get("parser") != parser or old.get("schema") != SCHEMA_VERSION)

        files, report.errors, roots = _discover(paths)
        if rebuild or reparse_all:
            files = _with_known_sources(files, index_dir)
        todo = _changed_files(files, known, reparse_all, roots, report)
        if not todo and not report.removed:
            _refresh_derived(index_dir, old)
            return report
        written = _write_changes(index_dir, todo, known, emb, report, progress, fresh=rebuild)
        if written is not None:
            _record_history(index_dir, written, known, report)
    return report


def _checked_embedder(old: dict | None, index_dir: Path, embedder: Embedder | None) -> Embedder:
    """The embedder to ingest with, once the existing index is known to fit it and the vector store."""
    eid = embedder.id if embedder else embedder_id_for()
    if old is not None and old["embedder"]["id"] != eid:
        raise _mismatch(old, eid, index_dir)  # before loading a model that may not even exist here
    _check_store(old, index_dir)
    return embedder or get_embedder()


def _with_known_sources(files: list[Path], index_dir: Path) -> list[Path]:
    """`files` plus the sources of documents the old index had, if they still exist (a rebuild or a
    changed parser re-reads them)."""
    prev = _read_manifest(index_dir) or {"files": {}}
    extra = [Path(f["source"]) for f in prev["files"].values() if Path(f["source"]).is_file()]
    return list(dict.fromkeys([*(f.resolve() for f in files), *extra]))


def _changed_files(files: list[Path], known: dict[str, dict], reparse_all: bool, roots: list[Path],
                   report: IngestReport) -> list[Path]:
    """The files to (re-)read; fills `report.skipped`, `report.errors` (unreadable files, doc ids used
    twice) and `report.removed` (documents whose source vanished from a folder being ingested again)."""
    from ingest.pipeline import file_sha256

    seen: dict[str, Path] = {}
    todo: list[Path] = []
    for path in files:
        doc_id = path.stem
        if doc_id in seen and seen[doc_id].resolve() != path.resolve():
            report.errors.append(IngestError(str(path), f"doc id {doc_id!r} already used by {seen[doc_id]}"))
            continue
        seen[doc_id] = path
        try:
            digest = file_sha256(path)
        except OSError as e:
            report.errors.append(IngestError(str(path), f"cannot read ({e.strerror or e})"))
            continue
        if doc_id in known and known[doc_id]["sha256"] == digest and not reparse_all:
            report.skipped.append(doc_id)  # unchanged: skipped by content hash, before parsing
            continue
        todo.append(path)
    for doc_id, info in known.items():
        src = Path(info["source"])
        if doc_id not in seen and not src.exists() and any(_under(src, r) for r in roots):
            report.removed.append(doc_id)
    return todo


def _write_changes(index_dir: Path, todo: list[Path], known: dict[str, dict], emb: Embedder,
                   report: IngestReport, progress: bool, fresh: bool) -> list[_Written] | None:
    """Read `todo` into a build, drop `report.removed` and swap it in; the documents written, or None
    when nothing changed (no empty index is created when nothing could be read).

    Streamed: each parsed batch is embedded, written to the build's records and let go; only its
    chunks stay (the vector store takes them at the end), not the documents' text and tables."""
    build = _IndexBuild(index_dir, fresh=fresh)
    try:
        build.drop(report.removed)
        for batch in _read_documents(todo, emb, report, progress):
            for doc in batch:
                (report.updated if doc.doc_id in known else report.added).append(doc.doc_id)
                if doc.replaced_chars:
                    report.replaced[doc.doc_id] = doc.replaced_chars
                build.add(doc, emb)
        if not report.changed:
            build.discard()
            return None
        build.finish(emb, progress)
    except BaseException:
        build.discard()
        raise
    return build.written


def _refresh_derived(index_dir: Path, manifest: dict | None) -> None:
    """Nothing to re-read: still bring stale derived data (index/derived.py: written by older code,
    or an index from before the table) up to date, in place under the ingest lock — a reader sees
    either the old rows (and derives at query time) or the new ones."""
    path = index_dir / "records.sqlite"
    if manifest is None or not path.is_file():
        return
    probe = RecordStore(path, readonly=True)
    try:
        needed = probe.schema_version >= len(RECORD_MIGRATIONS) and derived.stale(probe)
    finally:
        probe.close()
    if needed:
        records = RecordStore(path)
        try:
            derived.refresh(records)
        finally:
            records.close()


def _record_history(index_dir: Path, docs: list[Any], known: dict[str, dict], report: IngestReport) -> None:
    """Keep a copy of every indexed version's source and log what a replacement or removal dropped
    (index.history), so no ingest loses the previous version of a document."""
    for doc in docs:
        history.keep(index_dir, doc.doc_id, doc.source, doc.sha256)
    new_sha = {d.doc_id: d.sha256 for d in docs}
    for doc_id in report.updated:
        if new_sha.get(doc_id) != known[doc_id].get("sha256"):  # not a mere re-parse
            history.log_change(index_dir, "replace", doc_id, known[doc_id])
    for doc_id in report.removed:
        history.log_change(index_dir, "remove", doc_id, known[doc_id])


def _under(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _build(index_dir: Path, docs: list[Document], drop: list[str], emb: Embedder, progress: bool,
           fresh: bool) -> None:
    """Apply `drop` then `docs` to a copy of the live index and swap it in."""
    build = _IndexBuild(index_dir, fresh)
    try:
        build.drop(drop)
        for doc in docs:
            build.add(doc)
        build.finish(emb, progress)
    except BaseException:
        build.discard()
        raise


@dataclass
class _Written:
    """What a build keeps of a document once its records are written: the manifest entry, the
    history copy and its chunks for the vector store."""

    doc_id: str
    source: str
    sha256: str
    title: str
    chunks: list[Chunk]


class _IndexBuild:
    """A copy of the live index being changed: documents are dropped and written one at a time
    (records go to SQLite as they come), then `finish` writes vectors, BM25 and the manifest and
    swaps the copy in. `discard` removes the copy and leaves the live index as it was."""

    def __init__(self, index_dir: Path, fresh: bool):
        self.index_dir = index_dir
        self.dir = index_dir.parent / f".{index_dir.name}.build-{os.getpid()}"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        for stale in index_dir.parent.glob(f".{index_dir.name}.build-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed ingest (we hold the lock)
        if index_dir.exists() and not fresh:
            shutil.copytree(index_dir, self.dir)
        else:
            self.dir.mkdir(parents=True)
        self.fresh = fresh
        self.old = _read_manifest(self.dir) if not fresh else None
        self.records = RecordStore(self.dir / "records.sqlite")
        self.dropped_docs: list[str] = []  # documents removed or replaced (the vector store drops them)
        self.dropped_ids: list[str] = []  # their old chunk ids
        self.written: list[_Written] = []

    def drop(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            self.dropped_ids += [c.id for c in self.records.chunks(doc_id)]
            self.records.remove_document(doc_id)
            self.dropped_docs.append(doc_id)

    def add(self, doc: Document, emb: Embedder | None = None) -> None:
        """Write one document's records (replacing its old version), what the registered
        derivations make of it and, with an embedder, its fact contexts' vectors; keep only its chunks."""
        old = [c.id for c in self.records.chunks(doc.doc_id)]
        if old or (self.old and doc.doc_id in self.old["files"]):
            self.dropped_docs.append(doc.doc_id)
        self.dropped_ids += old
        self.records.add_document(doc)
        derived.derive_into(self.records, doc.doc_id, doc.text)
        if emb is not None:
            factvectors.store_document(self.records, doc, emb)
        self.written.append(_Written(doc.doc_id, doc.source, doc.sha256, doc.title, doc.chunks))

    def discard(self) -> None:
        self.records.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, emb: Embedder, progress: bool) -> None:
        new_chunks = [c for d in self.written for c in d.chunks]
        vectors = _vectors(new_chunks, emb, progress)
        records, build, old = self.records, self.dir, self.old
        writer = store_writer(_built_store(old), self.index_dir, old, emb.dim)
        try:
            derived.refresh(records)  # documents kept from the old index whose derived rows are stale
            words = records.domain_words()
            # the domain dictionary is written first: the store's BM25 tokenizes with it (index/tokens.py)
            (build / "jieba_words.txt").write_text("\n".join(words), encoding="utf-8")
            all_chunks = records.chunks()
            store_info = writer.write(build, self.dropped_docs, self.dropped_ids, new_chunks, vectors, all_chunks,
                                      self.fresh)
            n_chunks = len(all_chunks)
            del all_chunks
            manifest = self._manifest(emb, store_info, n_chunks)
        finally:
            records.close()
        _write_durably(build / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        _swap(self.index_dir, build)

    def _manifest(self, emb: Embedder, store_info: dict[str, Any], n_chunks: int) -> dict[str, Any]:
        files = dict(self.old["files"]) if self.old else {}
        for doc_id in self.dropped_docs:
            files.pop(doc_id, None)
        for d in self.written:
            files[d.doc_id] = {"source": str(Path(d.source).resolve()), "sha256": d.sha256,
                               "title": d.title, "chunks": len(d.chunks)}
        doc_rows = self.records.documents()
        return {
            "schema": SCHEMA_VERSION,
            "records_schema": self.records.schema_version,
            "embedder": {"id": emb.id, "dim": emb.dim},
            "parser": parser_fingerprint(),
            "tokenizer": DEFAULT_MODE,
            "dense": {"kind": store_info.get("dense", store_info["kind"]), "vectors": store_info["vectors"]},
            "vector_store": store_info,
            "files": files,
            "doc_ids": [d["doc_id"] for d in doc_rows],
            "counts": {
                "documents": len(doc_rows),
                "chunks": n_chunks,
                "sections": sum(d["n_sections"] for d in doc_rows),
                "tables": sum(d["n_tables"] for d in doc_rows),
                "vectors": store_info["vectors"],
                "bm25": store_info.get("bm25", n_chunks),
            },
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }


def _vectors(new_chunks: list[Chunk], emb: Embedder, progress: bool) -> Any:
    """The new chunks' vectors (from the cache when the read already embedded them)."""
    if not new_chunks:
        return None
    cached = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb)
    texts = [dense_text(c) for c in new_chunks]
    bar = None
    missing = cached.missing(texts) if progress else 0  # nothing when _read_documents embedded them
    if missing:
        from tqdm import tqdm

        bar = tqdm(total=missing, desc="embedding chunks", unit="chunk", file=sys.stderr, disable=None)
    try:
        return cached.embed_passages(texts, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
