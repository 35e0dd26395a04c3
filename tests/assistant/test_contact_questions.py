"""A question asking for a phone number or a web address is answered by the value(s) a sentence
states, from a sentence that states one."""

from __future__ import annotations

import pytest

from assistant.contacts import PHONE, WEB, contact_pattern, contact_run
from assistant.numbers import match_form
from tests.assistant.test_policy_answers import span_lines

NOTICE = (
    "关于开通疫情防控咨询服务的公告\n"
    "为方便群众咨询，市卫生健康委开通心理援助和发热咨询服务，市民可通过电话进行咨询。\n"
    "发热咨询专线：0871-6318230、6318231，24小时有人值守。\n"
    "企业申报稳岗补贴可登录市人社局网站http://rsj.example.gov.cn/ 办理，每户最高补贴12000元。\n"
)


@pytest.mark.parametrize("question, rx", [
    ("发热咨询专线电话是多少？", PHONE),
    ("市民可以拨打哪个电话进行咨询？", PHONE),
    ("企业可以通过哪个网站申报稳岗补贴？", WEB),
    ("电话费补贴标准是多少？", None),  # a phone bill is an amount, not a number to call
    ("市卫生健康委开通了哪些服务？", None),
    ("各区要采取哪些措施保障心理援助热线？", None),  # the measures for a hotline, not its number
    ("专线电话为哪些车辆提供帮助？", None),
])
def test_which_questions_ask_for_a_contact(question, rx):
    assert contact_pattern(match_form(question)) is rx


@pytest.mark.parametrize("text, rx, value", [
    ("本市发热咨询专线2518363、2518690、2517106或登录各大医院网上平台咨询", PHONE, "2518363、2518690、2517106"),
    ("咨询电话：010-85222835，85222823。", PHONE, "010-85222835，85222823"),
    ("可拨打12366纳税服务热线咨询", PHONE, "12366"),
    ("每户最高补贴12000元，共惠及20000人", PHONE, None),  # amounts and counts are no phone numbers
    ("域名为http://culture.example.gov.cn。", WEB, "http://culture.example.gov.cn"),
])
def test_the_contact_values_a_sentence_lists(text, rx, value):
    cut = contact_run(text, rx)
    assert (text[cut[0]:cut[1]] if cut else None) == value


@pytest.mark.parametrize("question, value", [
    ("市民如何电话进行发热咨询？", "0871-6318230、6318231"),
    ("企业可以通过哪个网站申报稳岗补贴？", "http://rsj.example.gov.cn/"),
])
def test_a_contact_question_gets_the_value_from_the_sentence_stating_it(question, value):
    assert span_lines({"notice": NOTICE}, question) == [value]
