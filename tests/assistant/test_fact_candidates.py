"""Facts-first looks up the facts whose measure shares bigrams with the question instead of walking
every fact: the facts it considers are exactly those the full scan let through, in the same order."""

from __future__ import annotations

from assistant.corpus import Corpus
from assistant.facts import MEASURE_MIN, _bigrams, _prepared, _sharing
from assistant.numbers import match_form


def _scan(corpus, cb):
    return [p for p in _prepared(corpus) if p[3] and len(p[3] & cb) >= MEASURE_MIN * len(p[3])]


def test_bigram_lookup_finds_exactly_the_facts_the_full_scan_finds(bundled_index):
    corpus = Corpus(bundled_index.records, bundled_index.tokenizer)
    measures = [f.measure for f in corpus.facts[::7]][:40]
    assert measures
    for text in [*measures, "规模以上工业增加值年均增长", "研发经费投入强度", "城镇居民人均可支配收入"]:
        cb = _bigrams(match_form(text))
        assert [p[0] for p in _sharing(corpus, cb)] == [p[0] for p in _scan(corpus, cb)]
    assert _sharing(corpus, _bigrams("与任何指标无关的一句话")) == _scan(corpus, _bigrams("与任何指标无关的一句话"))
