"""The FAISS store: deletion keeps ids unique, filters restrict, HNSW takes over for large indexes."""

from __future__ import annotations

import numpy as np

from index import dense
from index.dense import DenseIndex


def _vecs(n: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, 16)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_adding_after_a_deletion_never_reuses_a_live_id(tmp_path):
    idx = DenseIndex.empty(16)
    v = _vecs(4)
    idx.add(["a", "b", "c"], v[:3])
    idx.remove(["a"])
    idx.add(["d"], v[3:])
    assert idx.search(v[1], 1)[0][0] == "b" and idx.search(v[3], 1)[0][0] == "d"
    assert len(idx) == 3 and idx.ids() == {"b", "c", "d"}
    idx.save(tmp_path)
    again = DenseIndex.load(tmp_path)
    assert again.ids() == {"b", "c", "d"} and again.search(v[2], 1)[0][0] == "c"


def test_search_can_be_restricted_to_some_chunks():
    idx = DenseIndex.empty(16)
    v = _vecs(3)
    idx.add(["a", "b", "c"], v)
    assert [i for i, _ in idx.search(v[0], 3, allowed=["b", "c"])] in (["b", "c"], ["c", "b"])
    assert idx.search(v[0], 3, allowed=["zzz"]) == []


def test_a_large_index_switches_to_hnsw_and_still_deletes(monkeypatch):
    monkeypatch.setattr(dense, "HNSW_THRESHOLD", 50)
    idx = DenseIndex.empty(16)
    v = _vecs(80)
    ids = [f"c{i}" for i in range(80)]
    idx.add(ids, v)
    assert idx.is_hnsw
    assert idx.search(v[7], 1)[0][0] == "c7"
    idx.remove(ids[:40])  # back under the threshold: exact search again
    assert not idx.is_hnsw and len(idx) == 40
    assert idx.search(v[60], 1)[0][0] == "c60"
    assert "c7" not in {i for i, _ in idx.search(v[7], 40)}
