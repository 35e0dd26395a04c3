"""A notice's preamble (为深入贯彻落实…) states its occasion: it answers a purpose question only."""

import pytest

from assistant import sentence_score
from assistant.policy import best_span
from tests.assistant.test_policy_answers import FakeIndex, span_lines

NOTICE = (
    "青禾市关于支持小微企业共渡难关的通知\n"
    "为深入贯彻落实稳就业工作部署，支持小微企业在疫情期间稳定岗位、共渡难关，现就有关事项通知如下。\n"
    "对疫情期间不裁员的小微企业，按每人每月500元发放稳定岗位补贴。\n"
    "对承租国有房产的小微企业，免收2个月房租。\n"
)
MEASURE = "青禾市对疫情期间稳定岗位的小微企业有哪些支持？"


def test_a_measure_question_is_answered_by_a_measure_not_the_preamble():
    lines = span_lines({"notice": NOTICE}, MEASURE)
    assert lines is not None and "每人每月500元" in lines[0]


def chosen_sentence(question: str) -> str:
    index = FakeIndex({"notice": NOTICE})
    span = best_span(question, index.chunks, index)
    assert span is not None
    return span.doc.units[span.first].text


def test_without_the_preamble_factor_the_preamble_wins(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sentence_score, "PREAMBLE_FACTOR", 1.0)
    assert chosen_sentence(MEASURE).startswith("为深入贯彻落实")


def test_a_purpose_question_is_answered_by_the_preamble():
    assert chosen_sentence("青禾市支持小微企业共渡难关的目的是什么？").startswith("为深入贯彻落实")
