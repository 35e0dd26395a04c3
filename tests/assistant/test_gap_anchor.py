"""The gap of a question anchors on its content words, not on a generic tail (目标是, 要求是) that the
sentence holds elsewhere."""

from assistant.asked import gap
from assistant.numbers import match_form

TARGETS = "今年主要预期目标是：地区生产总值增长6%左右，固定资产投资增长5%，进出口总额保持正增长，城镇新增就业65万人。"


def cut(sentence: str, question: str) -> str | None:
    s = match_form(sentence)
    g = gap(s, match_form(question))
    return s[g[0]:g[1]] if g else None


def test_a_generic_tail_yields_to_the_questions_measure():
    assert cut(TARGETS, "青禾今年进出口总额目标是什么？") == "保持正增长"
    assert cut(TARGETS, "青禾今年进出口总额的预期目标是什么？") == "保持正增长"


def test_a_content_anchor_still_anchors_as_before():
    assert cut("全市组建1230人的医疗队。", "全市组建多少人的医疗队？") == "1230人"
