"""jieba tokenisation for BM25: numbers stay, punctuation goes, domain words stay whole — in the
index's own tokenizer, never in the process-wide jieba."""

from __future__ import annotations

from index.tokens import Tokenizer, expand_query, tokenize


def test_numbers_and_years_are_tokens_and_punctuation_is_dropped():
    toks = tokenize("到2025年，规上工业总产值达到300亿元，增速6.5%。")
    assert "2025" in toks and "300" in toks and "6.5" in toks
    assert not any(t in toks for t in ("，", "。", "%", " "))


def test_domain_words_stay_whole_in_the_tokenizer_that_learned_them():
    name = "獐子岛海洋牧场示范区"
    plain = Tokenizer()
    assert name not in plain.tokenize(f"建设{name}")
    domain = Tokenizer([name])
    assert name in domain.tokenize(f"建设{name}")


def test_a_domain_word_does_not_leak_into_other_tokenizers_or_global_jieba():
    import jieba

    name = "青石湾海洋装备产业园"
    before_global = jieba.lcut(f"建设{name}")
    Tokenizer([name])
    assert name not in Tokenizer().cut(f"建设{name}")
    assert name not in tokenize(f"建设{name}")
    assert jieba.lcut(f"建设{name}") == before_global


def test_part_of_a_domain_word_still_matches_through_bigrams():
    tk = Tokenizer(["沈海高速金州互通立交改造工程"])
    doc = set(tk.tokenize("沈海高速金州互通立交改造工程"))
    query = tk.tokenize("金州互通")
    assert set(query) & doc, query


def test_search_mode_splits_long_words():
    toks = tokenize("规上工业总产值", mode="search")
    assert "总产值" in toks and "产值" in toks


def test_posseg_tags_place_names():
    assert ("沈阳", "ns") in Tokenizer().posseg("沈阳的目标")


def test_general_abbreviations_in_a_question_are_spelled_out_for_bm25():
    assert "地区生产总值" in expand_query("2017年GDP是多少")
    assert "高新技术企业" in expand_query("有多少家高企？")
    assert expand_query("海洋牧场") == "海洋牧场"


def test_a_text_cut_line_by_line_gets_the_tokens_of_one_cut(bundled_index):
    from index.retrieve import search_text
    from index.tokens import TokenMemo

    tokenizer = bundled_index.tokenizer
    texts = [search_text(c) for c in bundled_index.records.chunks()]
    texts += texts[:50]  # repeated chunks, cut from the memo
    texts += ["第一章\r\n总体要求\n\n（一）发展目标：到2025年达到300亿元", "\n。\n", "", "GDP增长6.5%\nR&D投入"]
    for mode in ("bigram", "search", "jieba"):
        memo = TokenMemo(tokenizer, mode)
        assert [memo(t) for t in texts] == [tokenizer.tokenize(t, mode) for t in texts]
    assert any("\n" in t for t in texts[:-4])  # the section-aware texts are cut across lines


def test_a_full_token_memo_still_cuts_every_text():
    from index.tokens import TokenMemo

    tokenizer = Tokenizer()
    memo = TokenMemo(tokenizer, limit=3)
    texts = ["规上工业总产值\n达到300亿元", "规上工业总产值\n研发投入强度", "研发投入强度"]
    assert [memo(t) for t in texts] == [tokenizer.tokenize(t) for t in texts]
    assert len(memo._lines) == 1  # stopped keeping lines once the limit was passed
