"""Where chunk vectors live and are searched: one small protocol, two backends, chosen in one place.

- `faiss` (default): embedded in the index directory — FAISS for the dense vectors (`dense.py`),
  bm25s for BM25 (`sparse.py`), filters evaluated over SQLite's chunk metadata in numpy.
- `milvus`: one Milvus collection per index (`milvus.py`) holding the dense vector, a sparse BM25
  vector and the filter fields (doc_id, kind, park, years); Milvus Lite for a local file URI, a
  Milvus server for `http://host:19530`. Both retrievers and the filters run in the engine.

Records (sections, tables, chunks' text) stay in SQLite with either backend, and the fusion of the
two ranked lists is the same weighted RRF (`retrieve.rrf`) in `Index.search` for both, so the two
backends give the same answers (tests/index/test_milvus_parity.py).

`PLANQA_VECTOR_STORE` (or `vector_store` in config.toml) picks the backend an ingest builds; an
opened index always uses the backend recorded in its manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.config import setting
from index.dense import DenseIndex
from index.records import RecordStore
from index.retrieve import ChunkFilter, search_text
from index.sparse import SparseIndex
from index.tokens import DEFAULT_MODE, Tokenizer, read_domain_words
from ingest.model import Chunk

STORES = ("faiss", "milvus")
DEFAULT_STORE = "faiss"
SELECTION_MEMO = 64  # distinct filter sets whose chunk selection FaissStore keeps


def store_kind() -> str:
    """The configured backend: `PLANQA_VECTOR_STORE`, else `vector_store` in config.toml, else faiss."""
    kind = (setting("PLANQA_VECTOR_STORE", "vector_store") or DEFAULT_STORE).strip().lower()
    if kind not in STORES:
        raise ValueError(f"unknown vector store {kind!r}; set PLANQA_VECTOR_STORE to one of {', '.join(STORES)}")
    return kind


class VectorStore(Protocol):
    """The search side: ranked candidate chunk ids from the dense and the sparse retriever."""

    kind: str

    def candidates(self, query: str, query_vector: Callable[[], np.ndarray], n: int,
                   filters: dict[str, Any] | None, mode: str) -> tuple[list[str], list[str]]:
        """(dense ids, sparse ids), best first, at most `n` each, both restricted by `filters`.
        `query_vector` is called only when the dense retriever runs (embedding costs ~15 ms)."""
        ...

    def document_ranks(self, query: str) -> tuple[dict[str, int], dict[str, str]]:
        """(document -> 1-based rank by the document field, chunk id -> document); empty when the
        backend or the index has no document field."""
        ...

    def close(self) -> None: ...


class StoreWriter(Protocol):
    """The build side, applied to a copy of the index directory before it is swapped in."""

    def write(self, build: Path, drop_docs: list[str], drop_ids: list[str], new_chunks: list[Chunk],
              vectors: np.ndarray | None, all_chunks: list[Chunk], fresh: bool) -> dict[str, Any]:
        """Remove `drop_docs` (whose chunks are `drop_ids`), add `new_chunks` with their `vectors`;
        `all_chunks` is the whole corpus after the change. Returns the manifest's `vector_store` entry."""
        ...


# --- faiss ----------------------------------------------------------------------------------------


class FaissStore:
    """FAISS + bm25s + numpy filters, all loaded from the index directory."""

    kind = "faiss"

    def __init__(self, index_dir: Path, records: RecordStore, tokenizer: Tokenizer | None = None) -> None:
        self.dense = DenseIndex.load(index_dir / "dense")
        # BM25 tokenizes queries with the index's own jieba instance (its domain words)
        self.sparse = SparseIndex.load(index_dir / "bm25", tokenizer or Tokenizer(read_domain_words(index_dir)))
        self.filter = ChunkFilter(self.sparse.ids, records.chunk_filter_rows())
        self._selections: dict[str, tuple[np.ndarray | None, np.ndarray | None]] = {}

    def _selection(self, filters: dict[str, Any] | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(BM25 mask, FAISS ids) of the chunks `filters` allow, memoised: the assistant sends the same
        few filters with every question, and at 50 000 chunks building them costs ~10 ms."""
        key = json.dumps(filters, sort_keys=True, ensure_ascii=False, default=str)
        if key not in self._selections:
            mask = self.filter.mask(filters)
            fids = None if mask is None else self.dense.fids([i for i, ok in zip(self.sparse.ids, mask, strict=True) if ok])
            if len(self._selections) >= SELECTION_MEMO:
                self._selections.pop(next(iter(self._selections)))
            self._selections[key] = (mask, fids)
        return self._selections[key]

    def candidates(self, query: str, query_vector: Callable[[], np.ndarray], n: int,
                   filters: dict[str, Any] | None, mode: str) -> tuple[list[str], list[str]]:
        mask, fids = self._selection(filters)
        if mask is not None and not mask.any():
            return [], []
        dense_ids: list[str] = []
        sparse_ids: list[str] = []
        if mode in ("hybrid", "dense"):
            dense_ids = [cid for cid, _ in self.dense.search(query_vector(), n, allowed_fids=fids)]
        if mode in ("hybrid", "bm25"):
            sparse_ids = [cid for cid, _ in self.sparse.search(query, n, mask)]
        return dense_ids, sparse_ids

    def document_ranks(self, query: str) -> tuple[dict[str, int], dict[str, str]]:
        return self.sparse.document_ranks(query), self.filter.doc_of

    def close(self) -> None:
        pass


class FaissWriter:
    def __init__(self, dim: int) -> None:
        self.dim = dim

    def write(self, build: Path, drop_docs: list[str], drop_ids: list[str], new_chunks: list[Chunk],
              vectors: np.ndarray | None, all_chunks: list[Chunk], fresh: bool) -> dict[str, Any]:
        dense = DenseIndex.load(build / "dense") if (build / "dense").exists() else DenseIndex.empty(self.dim)
        dense.remove(drop_ids)
        if new_chunks:
            dense.add([c.id for c in new_chunks], vectors)
        sparse = SparseIndex.build([c.id for c in all_chunks], [search_text(c) for c in all_chunks], DEFAULT_MODE,
                                   Tokenizer(read_domain_words(build)), doc_ids=[c.doc_id for c in all_chunks])
        dense.save(build / "dense")
        sparse.save(build / "bm25")
        return {"kind": "faiss", "dense": "hnsw" if dense.is_hnsw else "flat",
                "vectors": len(dense), "bm25": len(sparse)}


# --- the one place a backend is chosen ------------------------------------------------------------


def open_store(index_dir: Path, manifest: dict, records: RecordStore, tokenizer: Tokenizer | None = None) -> VectorStore:
    """The search side of the backend the index at `index_dir` was built with."""
    info = manifest.get("vector_store") or {"kind": "faiss"}
    if info["kind"] == "milvus":
        from index.milvus import MilvusStore

        return MilvusStore.open(index_dir, info, tokenizer,
                                lambda: {r[0]: r[1] for r in records.chunk_filter_rows()})
    return FaissStore(index_dir, records, tokenizer)


def store_writer(kind: str, index_dir: Path, old_manifest: dict | None, dim: int) -> StoreWriter:
    if kind == "milvus":
        from index.milvus import MilvusWriter

        old = (old_manifest or {}).get("vector_store") or {}
        return MilvusWriter(index_dir, dim, old if old.get("kind") == "milvus" else None)
    return FaissWriter(dim)
