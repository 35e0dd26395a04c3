"""The assistant's memoised per-chunk and per-word work stays within its named sizes, and the
indexes built once per corpus give what the full scans they replace gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.bounded import LRUCache

ROOT = Path(__file__).resolve().parents[2]


def test_a_cache_holds_at_most_its_size_and_drops_the_least_recently_used():
    cache: LRUCache[str, int] = LRUCache(3)
    for i, k in enumerate("abc"):
        cache[k] = i
    assert cache.get("a") == 0  # a is now the most recently used
    cache["d"] = 3
    assert len(cache) == 3
    assert "b" not in cache and cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [0, 2, 3]


def test_a_cache_must_hold_something():
    with pytest.raises(ValueError):
        LRUCache(0)


def test_sentence_and_chunk_form_caches_stay_bounded(assistant, monkeypatch):
    scorer, corpus = assistant.scorer, assistant.corpus
    monkeypatch.setattr(scorer, "_sentences", LRUCache(16))
    monkeypatch.setattr(corpus, "_chunk_forms", LRUCache(16))
    chunks = corpus.text_chunks()
    assert len(chunks) > 100
    for c in chunks:
        scorer.sentences(c)
        corpus.form_of(c)
    assert len(scorer._sentences) == 16 and len(corpus._chunk_forms) == 16
    # an entry dropped and computed again is the same
    first = chunks[0]
    assert scorer.sentences(first) and all(s in first.text for s, _f, _b in scorer.sentences(first))
    assert corpus.form_of(first) == corpus.form_of(first) != ""


def test_word_counts_from_posting_lists_equal_a_scan_of_every_chunk(assistant):
    from assistant.numbers import match_form

    stats = assistant.scorer.stats
    forms = [match_form(c.text) for c in assistant.scorer.text_chunks]
    words = {"规模以上", "高新技术企业", "地区生产总值", "重点项目", "GDP", "R&D", "产业", "园区", "不存在的词语",
             "。", "2025年", "亿元"}
    # and words cut out of the text itself: every word of a few sentences
    for f in forms[::25]:
        words |= {f[i:i + n] for n in (2, 3, 5) for i in range(0, max(0, len(f) - n), 7)}
    for w in sorted(words):
        assert stats.word_df(w) == sum(w in f for f in forms), w


def _dev_questions(n: int) -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "eval/data/dev.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r["question"] for r in rows[::max(1, len(rows) // n)]][:n]


def test_indicator_candidates_rank_the_same_rows_as_a_full_scan(assistant, monkeypatch):
    from assistant import rowindex
    from assistant.indicators import best_indicators
    from assistant.query import analyze

    corpus = assistant.corpus
    questions = _dev_questions(80) + ["到2025年规上工业总产值目标是多少？", "表1中2020年的数值是多少？", "多少？"]
    analysed = [analyze(q, corpus.vocab) for q in questions]
    indexed = [[(round(s, 9), id(ref)) for s, ref in best_indicators(q, corpus)] for q in analysed]
    assert sum(1 for r in indexed if r) >= 20  # the sample does reach indicator rows

    def every_row(self, q, qb, cb, weight):
        return list(self.rows)  # the scan the index replaced

    monkeypatch.setattr(rowindex.RowIndex, "candidates", every_row)
    scanned = [[(round(s, 9), id(ref)) for s, ref in best_indicators(q, corpus)] for q in analysed]
    assert indexed == scanned


def test_scope_words_found_by_substring_equal_a_scan_of_every_keyword(assistant):
    from assistant.numbers import match_form
    from assistant.rowindex import row_index

    corpus = assistant.corpus
    keywords = {k for sc in corpus.vocab.scopes for k in sc.keywords}
    for q in _dev_questions(60):
        norm = match_form(q)
        assert row_index(corpus).scope_words_in(norm) == {k for k in keywords if k in norm}


def test_bigram_document_frequencies_equal_counting_each_chunks_bigrams(assistant):
    from collections import Counter

    from assistant.numbers import match_form
    from assistant.rowtext import bigrams
    from assistant.termstats import TextChunkStats

    texts = [c.text for c in assistant.scorer.text_chunks] + ["。", "a", "", "“GDP”"]
    counted: Counter[str] = Counter()
    for t in texts:
        counted.update(bigrams(match_form(t)))
    assert TextChunkStats(texts).df == counted


def test_document_texts_are_built_on_demand_and_bounded(assistant, monkeypatch):
    from assistant.bounded import LRUCache
    from assistant.cite import DocText

    texts = assistant.corpus.texts
    monkeypatch.setattr(texts, "_built", LRUCache(1))
    ids = list(texts)
    assert len(ids) == len(texts) >= 2 and ids[0] in texts and "no-such-doc" not in texts
    first = texts[ids[0]]
    assert isinstance(first, DocText) and texts.get(ids[0]) is first
    texts[ids[1]]
    assert len(texts._built) == 1 and texts[ids[0]] is not first and texts[ids[0]].form == first.form
    assert texts.get("no-such-doc") is None


def test_a_document_text_maps_offsets_only_when_asked():
    from assistant.cite import DocText

    doc = DocText("第一章 总则\n　到2025年，  产值达到１００亿元。")
    assert "_mapped" not in doc.__dict__  # reading `text` builds nothing
    assert doc.text.startswith("第一章")
    assert doc.form == "第一章总则到2025年,产值达到100亿元。"
    assert doc.text[doc.pos[doc.form.index("产值")]] == "产"
