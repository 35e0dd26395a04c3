"""Opening an index directory and searching it (`Index`). The directory's layout and shared rules are
in index/layout.py, building it (ingest: atomic, incremental) in index/build.py and index/reading.py,
removing a document in index/remove.py; their public names are re-exported here, so `index.store`
stays the one entry point callers import from.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from index.build import IngestReport, ingest
from index.embed import Embedder, get_embedder
from index.layout import (
    MANIFEST,
    SCHEMA_VERSION,
    TEXT_RECIPE,
    EmbedderMismatch,
    IndexMissing,
    StoreMismatch,
    _mismatch,
    _read_manifest,
    _recover,
    default_index_dir,
    embedder_id_for,
    parser_fingerprint,
)
from index.reading import PARALLEL_MIN_BYTES, READ_BATCH
from index.records import RecordStore
from index.remove import remove
from index.retrieve import (
    CANDIDATES,
    DEFAULT_KINDS,
    MODES,
    RRF_K,
    W_BM25,
    W_DENSE,
    Hit,
    get_reranker,
    rrf,
    with_document_ranks,
)
from index.tokens import Tokenizer, expand_query
from index.vectorstore import FaissStore, VectorStore, open_store

__all__ = [  # the names callers import from index.store (most now live in the modules above)
    "MANIFEST", "PARALLEL_MIN_BYTES", "QUERY_VECTORS", "READ_BATCH", "SCHEMA_VERSION", "TEXT_RECIPE",
    "EmbedderMismatch", "Index", "IndexMissing", "IngestReport", "StoreMismatch", "default_index_dir",
    "embedder_id_for", "ingest", "parser_fingerprint", "remove",
]

QUERY_VECTORS = 8  # recent query vectors an Index keeps (Index.query_vector)


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
            doc_rank, doc_of = self.store.document_ranks(query)
            if doc_rank:
                fused = with_document_ranks(fused, doc_of, doc_rank)
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
