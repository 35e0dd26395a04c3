"""A figure or date question answered from a notice gets the value of the asked kind — not a figure
the question itself states, and not a count where a date is asked."""

from __future__ import annotations

import pytest

from assistant.asked import question_terms, typed_clause
from assistant.spans import sentences


@pytest.mark.parametrize("text, question, value", [
    ("市卫生健康委监督所介绍，截至2月18日，市卫生监督机构开展了25轮的监督指导，涉及各类单位986户。",
     "市卫生监督机构开展了25轮的监督指导涉及到多少单位？", "986户"),  # 25轮 is the question's own
    ("1月29日，针对如何加大信贷支持，省农信联社再次出台意见，推出6项信贷服务专项措施。",
     "省农信联社什么时间推出信贷服务专项措施？", "1月29日"),  # 6项 is a count, not a date
    ("对参保职工30人（含）以下的企业，裁员率放宽至不超过企业职工总数20%。",
     "对参保职工30人（含）以下的企业，裁员率放宽到多少？", "20%"),
])
def test_the_typed_value_is_of_the_asked_kind_and_not_the_questions_own(text, question, value):
    u = sentences(text)[0]
    cut = typed_clause(u, question_terms(question))
    assert cut is not None and value in text[cut[0]:cut[1]]
    assert text[cut[0]:cut[1]] == value


def test_a_document_number_is_no_date():
    u = sentences("财政部税务总局公告（2020年第8号）对重点保障物资生产企业给予支持。")[0]
    cut = typed_clause(u, question_terms("公告什么时候开始实施？"))
    assert cut is None or u.text[cut[0]:cut[1]] != "8号"  # 第8号 numbers the notice
