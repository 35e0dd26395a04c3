"""The dense index: FAISS inner product over L2-normalised vectors, with deletion.

On disk it is exactly llama-index's `FaissMapVectorStore` layout (`default__vector_store.json` = the
FAISS index, `id_map.json` = node id <-> FAISS id), so `as_vector_store()` hands llama-index a
ready store. Mutation and search go through FAISS directly because (1) importing llama-index costs
~1.3 s, too much for a cold `planqa ask`, and (2) `FaissMapVectorStore.add` numbers new vectors by
`ntotal`, which re-uses ids still in use after a deletion; here ids only grow.

Exact search (`IndexIDMap2(IndexFlatIP)`) up to `HNSW_THRESHOLD` vectors, HNSW above it
(bench/bench.py measures where exact search gets slower than ~5-8 ms per query on this machine).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

FAISS_FILE = "default__vector_store.json"  # FaissMapVectorStore's name for the binary FAISS index
ID_MAP_FILE = "id_map.json"
# bench (2 shared cores, 384-d): exact top-50 p50 1.0 ms at 10k vectors, 6.1 ms at 50k, 11.8 ms at
# 100k, 23 ms at 200k; HNSW 0.4 ms at 50k. A query embedding costs ~12-18 ms of the 25 ms hybrid
# budget, so exact search stops being fast enough a little above 50k vectors.
HNSW_THRESHOLD = int(os.environ.get("PLANQA_HNSW_THRESHOLD", "50000"))
HNSW_M = 32


def _new_faiss(dim: int, hnsw: bool):
    import faiss

    if hnsw:
        inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = 80
        inner.hnsw.efSearch = 64
    else:
        inner = faiss.IndexFlatIP(dim)
    return faiss.IndexIDMap2(inner)


class DenseIndex:
    def __init__(self, index: Any, node_to_fid: dict[str, int], dim: int) -> None:
        self._index = index
        self.node_to_fid = node_to_fid
        self.fid_to_node = {v: k for k, v in node_to_fid.items()}
        self.dim = dim
        self._next = max(self.fid_to_node, default=-1) + 1

    @classmethod
    def empty(cls, dim: int) -> DenseIndex:
        return cls(_new_faiss(dim, hnsw=False), {}, dim)

    @property
    def is_hnsw(self) -> bool:
        import faiss

        return isinstance(faiss.downcast_index(self._index.index), faiss.IndexHNSW)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> set[str]:
        return set(self.node_to_fid)

    def add(self, ids: list[str], vectors: np.ndarray) -> None:
        if not ids:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dim {self.dim}, got {vectors.shape}")
        dup = [i for i in ids if i in self.node_to_fid]
        if dup:
            self.remove(dup)
        fids = np.arange(self._next, self._next + len(ids), dtype=np.int64)
        self._next += len(ids)
        self._index.add_with_ids(vectors, fids)
        for node, fid in zip(ids, fids.tolist(), strict=True):
            self.node_to_fid[node] = fid
            self.fid_to_node[fid] = node
        self._maybe_switch()

    def remove(self, ids: list[str]) -> None:
        fids = [self.node_to_fid.pop(i) for i in ids if i in self.node_to_fid]
        for f in fids:
            self.fid_to_node.pop(f, None)
        if not fids:
            return
        if self.is_hnsw:  # HNSW cannot delete: rebuild from the stored vectors
            self._rebuild(hnsw=len(self.node_to_fid) > HNSW_THRESHOLD, drop=set(fids))
        else:
            self._index.remove_ids(np.asarray(fids, dtype=np.int64))

    def _vectors(self, fids: list[int]) -> np.ndarray:
        if not fids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._index.reconstruct(int(f)) for f in fids])

    def _rebuild(self, hnsw: bool, drop: set[int] = frozenset()) -> None:
        keep = [f for f in self.fid_to_node if f not in drop]
        vecs = self._vectors(keep)
        index = _new_faiss(self.dim, hnsw)
        if keep:
            index.add_with_ids(vecs, np.asarray(keep, dtype=np.int64))
        self._index = index

    def _maybe_switch(self) -> None:
        if not self.is_hnsw and len(self) > HNSW_THRESHOLD:
            self._rebuild(hnsw=True)

    def fids(self, ids: list[str]) -> np.ndarray:
        """The FAISS ids of those chunk ids this index has (to pass to `search` as `allowed_fids`)."""
        return np.asarray([self.node_to_fid[i] for i in ids if i in self.node_to_fid], dtype=np.int64)

    def search(
        self, query: np.ndarray, k: int, allowed: list[str] | None = None, allowed_fids: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """Top-k (chunk id, cosine) pairs; `allowed` (chunk ids) or `allowed_fids` (see `fids`)
        restricts the search to those chunks."""
        import faiss

        if len(self) == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None and allowed_fids is None:
            allowed_fids = self.fids(allowed)
        if allowed_fids is not None:
            fids = allowed_fids
            if not len(fids):
                return []
            sel = faiss.IDSelectorBatch(fids)
            params = faiss.SearchParametersHNSW(sel=sel) if self.is_hnsw else faiss.SearchParameters(sel=sel)
        scores, fids_out = self._index.search(q, min(k, len(self)), params=params)
        return [
            (self.fid_to_node[int(f)], float(s))
            for s, f in zip(scores[0], fids_out[0], strict=True)
            if f >= 0 and int(f) in self.fid_to_node
        ]

    def save(self, directory: Path) -> None:
        import faiss

        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(directory / FAISS_FILE))
        id_map = {
            "node_id_to_faiss_id_map": self.node_to_fid,
            "faiss_id_to_node_id_map": {str(f): n for f, n in self.fid_to_node.items()},
        }
        (directory / ID_MAP_FILE).write_text(json.dumps(id_map, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> DenseIndex:
        import faiss

        index = faiss.read_index(str(directory / FAISS_FILE))
        id_map = json.loads((directory / ID_MAP_FILE).read_text(encoding="utf-8"))
        return cls(index, {k: int(v) for k, v in id_map["node_id_to_faiss_id_map"].items()}, index.d)

    def as_vector_store(self) -> Any:
        """This index as a llama-index `FaissMapVectorStore` (shares the FAISS object)."""
        from llama_index.vector_stores.faiss import FaissMapVectorStore

        store = FaissMapVectorStore(faiss_index=self._index)
        store._node_id_to_faiss_id_map = dict(self.node_to_fid)
        store._faiss_id_to_node_id_map = dict(self.fid_to_node)
        return store
