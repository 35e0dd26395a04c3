"""jieba tokenisation for BM25: numbers stay, punctuation goes, domain words stay whole."""

from __future__ import annotations

from index.tokens import add_words, tokenize


def test_numbers_and_years_are_tokens_and_punctuation_is_dropped():
    toks = tokenize("到2025年，规上工业总产值达到300亿元，增速6.5%。")
    assert "2025" in toks and "300" in toks and "6.5" in toks
    assert not any(t in toks for t in ("，", "。", "%", " "))


def test_domain_words_stay_whole_once_added():
    name = "獐子岛海洋牧场示范区"
    assert name not in tokenize(f"建设{name}")
    add_words([name])
    assert name in tokenize(f"建设{name}")


def test_part_of_a_domain_word_still_matches_through_bigrams():
    add_words(["沈海高速金州互通立交改造工程"])
    doc = set(tokenize("沈海高速金州互通立交改造工程"))
    query = tokenize("金州互通")
    assert set(query) & doc, query


def test_search_mode_splits_long_words():
    toks = tokenize("规上工业总产值", mode="search")
    assert "总产值" in toks and "产值" in toks


def test_abbreviations_in_a_question_are_spelled_out_for_bm25():
    from index.tokens import expand_query

    assert "地区生产总值" in expand_query("2017年大连GDP是多少")
    assert "高新技术企业" in expand_query("庄河有多少家高企？")
    assert expand_query("海洋牧场") == "海洋牧场"
