"""The sentence answering a question holds the words beside its wh word, not only its topic."""

import pytest

from assistant import policy
from assistant.numbers import match_form
from assistant.sentence_score import focus_bigrams
from tests.assistant.test_policy_answers import span_lines

NEWS = (
    "青禾市财政拨付专项资金支持困难群众防控\n"
    "日前，经市防控指挥部同意，青禾市财政局拨付资金800万元，支持各区做好城乡困难群众疫情防控工作。\n"
    "资金重点保障社区配置测温、消毒等设备。\n"
    "拨付资金由各区统筹使用，不得用于发放人员补助，不得用于购置车辆，不得用于与防控无关的其他工作。"
)


def test_focus_is_the_words_beside_the_wh_word_within_its_clause():
    focus = focus_bigrams(match_form("青禾市的健康码有哪些优势？"))
    assert "优势" in focus and "健康" in focus and not any("青" in b or "禾" in b for b in focus)
    assert set(focus_bigrams(match_form("为方便群众，资金不得用于哪些工作？"))) >= {"用于", "工作"}
    assert focus_bigrams(match_form("青禾市财政局拨付资金。")) == []  # no wh word, no focus


def test_the_sentence_holding_the_focus_answers_not_the_lead_holding_the_topic():
    lines = span_lines({"news": NEWS}, "青禾市财政局拨付资金不得用于哪些工作？")
    # the span is cut from the last sentence (how it is cut is the gap's business)
    assert lines is not None and lines[0].rstrip("。") in NEWS.splitlines()[-1]


def test_without_the_focus_the_lead_sentence_wins(monkeypatch: pytest.MonkeyPatch):
    """The test above can fail: with no focus weight the topic-heavy lead is chosen."""
    monkeypatch.setattr(policy, "FOCUS_WEIGHT", 0.0)
    lines = span_lines({"news": NEWS}, "青禾市财政局拨付资金不得用于哪些工作？")
    # the span is cut from the lead sentence (its frame 经…同意， and the question's echo left out)
    assert lines is not None and lines[0].rstrip("。") in NEWS.splitlines()[1]
