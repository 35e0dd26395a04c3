"""What a shorthand term means (三零服务指的是什么, “四办”是指什么, 突出保民生是指什么): the enumeration
written right before the term or the clause right after it, from a sentence that writes both."""

from __future__ import annotations

import pytest

from assistant.definitions import defined_term, definition
from assistant.numbers import match_form
from tests.assistant.test_policy_answers import span_lines

NEWS = (
    "石泉市推动企业复工复产\n"
    "在昨天举行的新闻发布会上，市工信局介绍了推动企业复工复产的做法。"
    "突出保民生，是确保米面粮油等事关民生领域的企业复工生产。"
    "对新办企业的用电需求，开辟绿色通道，实施零上门、零审批、零投资“三零”服务。"
    "市税务局提出“马上办”、“加急办”、“预约办”的“三办”举措。\n"
)


@pytest.mark.parametrize("question, term", [
    ("石泉市实施的三零服务指的是什么？", "石泉市实施的三零服务"),
    ("市税务局提出的“三办”举措是指什么？", "三办"),
    ("石泉市的复工措施有哪些？", None),
])
def test_the_asked_term(question, term):
    assert defined_term(match_form(question)) == term


@pytest.mark.parametrize("sentence, term, meaning", [
    ("实施零上门、零审批、零投资“三零”服务。", "三零服务", "零上门、零审批、零投资"),  # 实施 is no item
    ("提出“马上办”、“加急办”、“预约办”的“三办”举措。", "三办", "“马上办”、“加急办”、“预约办”"),
    ("突出保民生，是确保米面粮油等事关民生领域的企业复工生产。", "突出保民生", "确保米面粮油等事关民生领域的企业复工生产"),
    ("市工信局介绍了推动企业复工复产的做法。", "突出保民生", None),
])
def test_the_definition_a_sentence_gives(sentence, term, meaning):
    cut = definition(sentence, term)
    assert (sentence[cut[0]:cut[1]] if cut else None) == meaning


@pytest.mark.parametrize("question, meaning", [
    ("石泉市实施的三零服务指的是什么？", "零上门、零审批、零投资"),
    ("石泉市在推动企业复工复产中突出保民生是指什么？", "确保米面粮油等事关民生领域的企业复工生产"),
])
def test_a_definition_question_gets_the_definition_from_the_sentence_giving_it(question, meaning):
    assert span_lines({"news": NEWS}, question) == [meaning]
