"""Fact contexts are embedded at ingest and stored with the records: a figure question reads the
vector the query-time embedding would have given, and an index without them still embeds them."""

from __future__ import annotations

import numpy as np

from assistant.corpus import Corpus
from assistant.facts import FactVectors, fact_context
from index.factvectors import stored_vector


def test_every_fact_context_of_the_bundled_corpus_is_stored_as_its_embedding(bundled_index):
    corpus = Corpus(bundled_index.records, bundled_index.tokenizer)
    contexts = list(dict.fromkeys(fact_context(corpus, f) for f in corpus.facts))
    assert len(contexts) > 50  # the bundled plans state many figures in prose
    stored = [stored_vector(bundled_index.records, c) for c in contexts]
    assert all(v is not None for v in stored)
    sample = contexts[:5]
    fresh = bundled_index.embedder.embed_passages(sample)  # what a question computed before
    assert np.array_equal(np.stack(stored[:5]), fresh)


def test_fact_vectors_come_from_the_index_then_from_the_recent_cache(bundled_index):
    corpus = Corpus(bundled_index.records, bundled_index.tokenizer)
    context = fact_context(corpus, corpus.facts[0])
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
