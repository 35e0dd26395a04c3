"""A question opening with its wh word (哪些部门联合印发了…, 哪些企业更易…) asks for the subject of
the sentence that answers it: a name, cut before the sentence's echo of the rest of the question."""

from __future__ import annotations

import pytest

from assistant.asked import asked_kind, gap
from assistant.numbers import match_form
from tests.assistant.test_policy_answers import span_lines

NEWS = (
    "三部门联合发文支持小微企业\n"
    "近日，市财政局、市税务局等三部门联合印发了《关于支持小微企业共渡难关的通知》，出台12条措施。"
    "当前，小微企业因抗风险能力较弱，更易受到疫情冲击。"
    "通知要求各区对受疫情影响的小微企业减免房租，并适当延长贷款期限。\n"
)


@pytest.mark.parametrize("question, kind", [
    ("哪些部门联合印发了《关于支持小微企业共渡难关的通知》？", "fact"),
    ("哪些企业更易受到疫情冲击？", "fact"),
    ("通知对小微企业提出了哪些措施？", "list"),  # 哪些 inside the question: the measures, a sentence
])
def test_only_a_question_opening_with_its_wh_word_asks_for_a_name(question, kind):
    assert asked_kind(match_form(question)) == kind


@pytest.mark.parametrize("sentence, question, subject", [
    ("近日，市财政局、市税务局等三部门联合印发了《关于支持小微企业共渡难关的通知》，出台12条措施。",
     "哪些部门联合印发了《关于支持小微企业共渡难关的通知》？", "市财政局、市税务局等三部门"),
    ("当前，小微企业因抗风险能力较弱，更易受到疫情冲击。", "哪些企业更易受到疫情冲击？", "小微企业"),
])
def test_the_gap_of_a_subject_question_is_the_subject(sentence, question, subject):
    s = match_form(sentence)
    g = gap(s, match_form(question))
    assert g is not None and s[g[0]:g[1]] == match_form(subject)


def test_a_subject_question_is_answered_with_the_name_alone():
    assert span_lines({"news": NEWS}, "哪些部门联合印发了《关于支持小微企业共渡难关的通知》？") == ["市财政局、市税务局等三部门"]
