"""The Milvus backend against a real engine (Milvus Lite in a temporary file): ingest, filtered search,
remove, re-open, both sparse modes, and the BM25 arithmetic it shares with the FAISS path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.milvus import SparseStats, client, milvus_filter
from index.sparse import SparseIndex
from index.store import Index, StoreMismatch, ingest, remove
from index.tokens import tokenize


@pytest.fixture
def milvus_env(cache_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    uri = tmp_path / "milvus.db"
    monkeypatch.setenv("PLANQA_VECTOR_STORE", "milvus")
    monkeypatch.setenv("PLANQA_MILVUS_URI", str(uri))
    return uri


def _docs(hits) -> set[str]:
    return {h.chunk.doc_id for h in hits}


def test_milvus_index_answers_filters_and_forgets_a_removed_plan(plan_files, milvus_env, tmp_path):
    index_dir = tmp_path / "index"
    report = ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    assert sorted(report.added) == ["plan-a", "plan-b"]
    idx = Index.open(index_dir)
    assert idx.manifest["vector_store"]["kind"] == "milvus"
    assert idx.manifest["counts"]["vectors"] == idx.manifest["counts"]["chunks"]

    assert idx.search("规上工业总产值目标", k=3)[0].chunk.doc_id == "plan-a"
    assert _docs(idx.search("地区生产总值", k=5, filters={"doc_id": "plan-b"})) == {"plan-b"}
    assert _docs(idx.search("发展", k=10, filters={"year": 2022})) == {"plan-b"}
    park = idx.search("新能源装备", k=5, filters={"park": "花园口经济区"})
    assert park and all("花园口" in h.chunk.text or "花园口" in h.chunk.section for h in park)
    assert idx.search("海洋牧场", k=5, mode="bm25")[0].chunk.doc_id == "plan-a"
    assert idx.search("海洋牧场", k=5, mode="dense")
    ranks, doc_of = idx.store.document_ranks("海洋牧场 规上工业总产值")  # the document field, as with FAISS
    assert min(ranks, key=ranks.get) == "plan-a" and set(doc_of.values()) == {"plan-a", "plan-b"}

    assert remove("plan-a", index_dir)
    again = Index.open(index_dir)  # re-opened: the collection, not this process's state, answers
    assert "plan-a" not in _docs(again.search("海洋牧场 工业总产值", k=10))
    assert "plan-a" not in again.store.document_ranks("海洋牧场 工业总产值")[0]
    info = again.manifest["vector_store"]
    assert client(info["uri"]).get_collection_stats(info["collection"])["row_count"] == again.manifest["counts"]["chunks"]

    report = ingest([plan_files["plan-a"]], index_dir, progress=False)
    assert report.added == ["plan-a"]
    assert Index.open(index_dir).search("海洋牧场", k=3)[0].chunk.doc_id == "plan-a"


def test_an_unchanged_folder_is_skipped_without_touching_milvus(plan_files, milvus_env, tmp_path):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    report = ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    assert sorted(report.skipped) == ["plan-a", "plan-b"] and not report.changed


def test_milvus_own_bm25_function_also_finds_chinese_text(plan_files, milvus_env, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANQA_MILVUS_SPARSE", "bm25")
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    idx = Index.open(index_dir)
    assert idx.manifest["vector_store"]["sparse"] == "bm25"
    assert idx.search("海洋牧场", k=3, mode="bm25")[0].chunk.doc_id == "plan-a"


def test_an_index_is_changed_only_through_the_store_it_was_built_with(plan_files, cache_env, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"]], index_dir, progress=False)  # faiss, the default
    monkeypatch.setenv("PLANQA_VECTOR_STORE", "milvus")
    monkeypatch.setenv("PLANQA_MILVUS_URI", str(tmp_path / "m.db"))
    with pytest.raises(StoreMismatch, match="--rebuild"):
        ingest([plan_files["plan-b"]], index_dir, progress=False)
    report = ingest([plan_files["plan-a"].parent], index_dir, progress=False, rebuild=True)
    assert sorted(report.added) == ["plan-a", "plan-b"]
    assert Index.open(index_dir).manifest["vector_store"]["kind"] == "milvus"


def test_sparse_vectors_score_exactly_like_bm25s():
    texts = ["到2025年全市规上工业总产值达到300亿元", "建设海洋牧场示范区，推进海参精深加工",
             "规上工业增加值年均增长8%", "新能源装备制造基地", "工业总产值与工业增加值"]
    ids = [f"c{i}" for i in range(len(texts))]
    bm25s = SparseIndex.build(ids, texts)
    toks = [tokenize(t) for t in texts]
    stats = SparseStats.build(toks)
    for query in ("工业总产值", "海洋牧场 海参", "增加值增长"):
        qv = stats.query_vector(tokenize(query))
        ours = np.asarray([sum(w * stats.doc_vector(t).get(d, 0.0) for d, w in qv.items()) for t in toks])
        assert np.allclose(ours, bm25s.scores(query), rtol=1e-4, atol=1e-5), query


def test_filters_become_milvus_expressions():
    assert milvus_filter(None) == ""
    expr = milvus_filter({"doc_id": ["a", 'b"c'], "kind": "text", "year": 2025, "park": "花园口"})
    assert 'doc_id in ["a", "b\\"c"]' in expr and 'kind in ["text"]' in expr
    assert '"% 2025 %"' in expr and '"%花园口%"' in expr
    with pytest.raises(ValueError):
        milvus_filter({"colour": "red"})
    with pytest.raises(ValueError):
        milvus_filter({"year": "soon"})
