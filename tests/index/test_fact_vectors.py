"""Fact contexts are embedded at ingest and stored with the records: a figure question reads the
vector the query-time embedding would have given, and an index without them still embeds them."""

from __future__ import annotations

import numpy as np

from assistant.corpus import Corpus
from assistant.facts import FactVectors, _prepared
from index.factvectors import embedded_contexts, stored_vector


def test_every_fact_context_of_the_bundled_corpus_is_stored_as_its_embedding(bundled_index):
    corpus = Corpus(bundled_index.records, bundled_index.tokenizer)
    contexts = list(dict.fromkeys(p[4] for p in _prepared(corpus)))  # what a question embeds
    assert len(contexts) > 50  # the bundled plans state many figures in prose
    stored = [stored_vector(bundled_index.records, c) for c in contexts]
    assert all(v is not None for v in stored)
    sample = contexts[:5]
    fresh = bundled_index.embedder.embed_passages(sample)  # what a question computed before
    assert np.array_equal(np.stack(stored[:5]), fresh)


def test_fact_vectors_come_from_the_index_then_from_the_recent_cache(bundled_index):
    corpus = Corpus(bundled_index.records, bundled_index.tokenizer)
    context = _prepared(corpus)[0][4]  # the fact's embedded context
    cache = FactVectors(bundled_index.records, 4)
    assert cache.get("一句索引里没有的话") is None
    v = cache.get(context)
    assert v is not None and cache.get(context) is v


def test_removing_a_document_drops_its_fact_vectors(plan_files, tmp_path):
    from index.store import Index, ingest, remove

    index_dir = tmp_path / "index"
    ingest([plan_files["plan-a"].parent], index_dir, progress=False)
    rows = Index.open(index_dir).records._db.execute("SELECT doc_id FROM fact_vectors").fetchall()
    assert {r[0] for r in rows} >= {"plan-a"}
    remove("plan-a", index_dir)
    rows = Index.open(index_dir).records._db.execute("SELECT doc_id FROM fact_vectors").fetchall()
    assert "plan-a" not in {r[0] for r in rows}


def test_the_facts_of_one_sentence_share_one_embedded_context():
    from types import SimpleNamespace as Fact

    text = "总体要求。到2025年，产业总产值达到50亿元，占全部工业比重16%，带动就业3000人。另有投资20亿元。"
    def fact(value: str) -> Fact:
        start = text.index(value)
        return Fact(start=start, end=start + len(value), quote=value)

    facts = [fact("50亿元"), fact("16%"), fact("3000人"), fact("20亿元"), Fact(start=5, end=999, quote="原文")]
    got = embedded_contexts(text, facts)
    assert got[0] == got[1] == got[2] == "到2025年，产业总产值达到50亿元，占全部工业比重16%，带动就业3000人"
    assert got[3] == "另有投资20亿元"
    assert got[4] == "原文"  # offsets that do not fit the text: the quote


def test_targets_far_apart_in_one_long_sentence_keep_contexts_ending_at_their_own_values():
    from types import SimpleNamespace as Fact

    text = ("主要预期目标是：地区生产总值增长6%左右，固定资产投资保持稳定增长并持续优化投资结构和投向、扩大有效投资，"
            "城镇新增就业65万人，居民消费价格涨幅2%左右。")
    facts = []
    for value in ("6%", "65万人", "2%"):
        start = text.index(value)
        facts.append(Fact(start=start, end=start + len(value), quote=value))
    got = embedded_contexts(text, facts)
    assert got[0].endswith("增长6%") and got[1].endswith("65万人，居民消费价格涨幅2%")
    assert got[1] == got[2] and got[0] != got[1]
