"""The BM25 index built from token ids (each text's tokens turned into ids as it is cut) scores
every chunk exactly as the index built from lists of token strings."""

from __future__ import annotations

import numpy as np

from index.sparse import SparseIndex
from index.tokens import DEFAULT_MODE


def test_token_id_build_scores_like_the_token_list_build(bundled_index):
    import bm25s

    from index.retrieve import search_text

    chunks = bundled_index.records.chunks()
    # the section-aware texts BM25 indexes (lines repeat across chunks), and an empty text: the ""
    # token, as before, and chunks met twice (their lines are not cut again)
    texts = [search_text(c) for c in chunks] + [""] + [search_text(c) for c in chunks[:40]]
    tokenizer = bundled_index.tokenizer
    ids = [c.id for c in chunks] + ["empty"] + [f"again-{c.id}" for c in chunks[:40]]
    built = SparseIndex.build(ids, texts, DEFAULT_MODE, tokenizer)
    reference = bm25s.BM25()
    reference.index([tokenizer.tokenize(t, DEFAULT_MODE) or [""] for t in texts], show_progress=False)
    assert set(built._bm25.vocab_dict) == set(reference.vocab_dict)
    for question in ("到2025年规上工业总产值目标是多少", "重点项目总投资", "高新技术企业", "科技创新 研发投入", "港口"):
        tokens = [t for t in tokenizer.tokenize(question, DEFAULT_MODE) if t in reference.vocab_dict]
        assert tokens
        np.testing.assert_allclose(built._bm25.get_scores(tokens), reference.get_scores(tokens), rtol=1e-6)


def test_a_saved_index_scores_like_bm25s(bundled_index, tmp_path):
    import bm25s

    chunks = bundled_index.records.chunks()
    tokenizer = bundled_index.tokenizer
    texts = [c.text for c in chunks]
    SparseIndex.build([c.id for c in chunks], texts, DEFAULT_MODE, tokenizer).save(tmp_path / "bm25")
    loaded = SparseIndex.load(tmp_path / "bm25", tokenizer)
    reference = bm25s.BM25()
    reference.index([tokenizer.tokenize(t, DEFAULT_MODE) or [""] for t in texts], show_progress=False)
    for question in ("规上工业总产值 规上工业总产值", "重点项目总投资", "港口物流园区"):
        tokens = [t for t in tokenizer.tokenize(question, DEFAULT_MODE) if t in reference.vocab_dict]
        np.testing.assert_allclose(loaded._bm25.get_scores(tokens), reference.get_scores(tokens), rtol=1e-5, atol=1e-6)


def test_top_k_is_the_stable_sort_of_every_score():
    from index.sparse import top_k

    rng = np.random.default_rng(5)
    for n, k in ((10, 3), (1000, 5), (5000, 20), (3, 10), (50, 0)):
        scores = rng.integers(0, 6, n).astype(np.float32)  # many ties
        assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()
