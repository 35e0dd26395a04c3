"""Character ROUGE-L (eval/rouge.py) against hand-computed values, and what counts as the answer body."""

from __future__ import annotations

import pytest

from eval.rouge import answer_body, best_rouge_l, rouge_l


def test_identical_spans_score_one() -> None:
    assert rouge_l("给予处罚和刑事拘留", "给予处罚和刑事拘留") == 1.0


def test_disjoint_spans_score_zero() -> None:
    assert rouge_l("给予处罚", "口罩货源") == 0.0
    assert rouge_l("", "口罩") == 0.0 and rouge_l("口罩", "") == 0.0


def test_partial_overlap_is_the_lcs_f_measure() -> None:
    # LCS("防护服一万件", "紧急调用防护服") = "防护服" = 3; P = 3/7, R = 3/6, F = 2PR/(P+R) = 6/13
    assert rouge_l("防护服一万件", "紧急调用防护服") == pytest.approx(6 / 13)
    # LCS is a subsequence, not a substring: "ACE" in "ABCDE" -> P = 3/5, R = 1 -> F = 0.75
    assert rouge_l("ACE", "ABCDE") == pytest.approx(0.75)


def test_whitespace_is_ignored_on_both_sides() -> None:
    assert rouge_l("防护 服\n一万件", "防护服　一万件") == 1.0
    assert rouge_l(" 防护服 ", "防护服") == 1.0


def test_best_of_several_golds() -> None:
    assert best_rouge_l(["口罩", "防护服"], "防护服") == 1.0


def test_answer_body_drops_citation_source_and_note_lines() -> None:
    answer = ("给予处罚和刑事拘留[1]\n对哄抬物价的，依法从严惩处[2]。\n"
              "来源：[1] 某通知｜二、…｜第3页\n[2] 某通知｜三、…\n（未配置 LLM：已给出抽取式回答）\n注：系统摘录")
    body = answer_body(answer)
    assert body == "给予处罚和刑事拘留\n对哄抬物价的，依法从严惩处。"
    assert rouge_l("给予处罚和刑事拘留", body) < 1.0  # the extra sentence costs precision
