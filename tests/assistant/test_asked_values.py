"""A figure, duration or enumeration question is answered by the value or the items standing where
the question has its wh word — not by the words around them in the sentence."""

from __future__ import annotations

import pytest

from assistant.asked import answer_gap, asks_enumeration, asks_policy_noun, question_terms, typed_clause
from assistant.asked_values import asked_value, only_value
from assistant.numbers import match_form
from assistant.spans import sentences


def _gap(text: str, question: str) -> str | None:
    u = sentences(text)[0]
    cut = answer_gap(u, question_terms(question))
    return text[cut[0]:cut[1]] if cut else None


@pytest.mark.parametrize("text, question, value", [
    ("为方便外籍人士获取疫情信息，市民热线开通英、法、德等8种外语服务。",
     "为方便外籍人士获取疫情信息，市民热线提供多少种外语服务？", "8种"),
    ("截至2月16日，老工业基地某省已有4262户规模以上工业企业恢复开工。",
     "某省有多少户规模以上工业企业恢复开工？", "4262户"),
    ("铁路累计运送防控物资设备967批次、1294吨，保障了前线需要。",
     "铁路累计运送疫情防控物资多少吨？", "1294吨"),  # two figures: the one of the asked unit
    ("全区粮油企业库存充足，预计可满足全区4个月的市场供应。",
     "全区的粮油库存预计能满足多久的市场供应？", "4个月"),  # a duration
])
def test_a_figure_gap_is_cut_to_the_asked_value(text, question, value):
    assert _gap(text, question) == value


def test_a_duration_in_chinese_numerals_is_a_value():
    u = sentences("此前，某银行已推出了“延期三个月不还本只还息”以及“首贴最高7500元减息优惠”等多项措施。")[0]
    cut = typed_clause(u, question_terms("某银行“不还本只还息”政策延期了多长时间？"))
    assert cut is not None and u.text[cut[0] - u.start:cut[1] - u.start] == "三个月"


@pytest.mark.parametrize("clause, value", [
    ("按照每人每月1000元的标准发放失业补助金", "每人每月1000元"),  # per person and month
    ("延长期限最长不超过3个月", "最长不超过3个月"),  # a bound
    ("出台十二条措施", "十二条"),
    ("统一安排，一次性发放", None),  # 一 in words is no count
])
def test_a_value_keeps_its_qualifier_and_chinese_numerals_count(clause, value):
    got = only_value(clause, True)
    assert (clause[got[0]:got[1]] if got else None) == value


def test_a_figure_the_question_states_is_not_its_answer():
    clause = "开展了25轮的监督指导，涉及各类单位986户"
    a, b = asked_value(clause, "多少", "单位", frozenset({"25"}))
    assert clause[a:b] == "986户"


def test_an_enumeration_question_gets_the_enumerated_items():
    text = "期间，各地公共就业服务机构将通过机构网站、微信公众号、手机客户端等渠道，开展线上招聘活动。"
    got = _gap(text, "各地公共就业服务机构通过哪些方式开展线上招聘活动？")
    assert got is not None and got.startswith("机构网站、微信公众号、手机客户端等")


def test_an_enumeration_gap_without_items_is_no_answer():
    # the gap (稳岗位开展工作) enumerates nothing: the sentence answers, not a fragment of it
    assert _gap("市里主要围绕稳岗位开展工作。", "市里主要围绕哪些方面开展工作？") is None


@pytest.mark.parametrize("question, enumeration, policy", [
    ("清单涵盖哪些事项？", True, False),
    ("各地采取了哪些措施确保安全出行？", True, True),  # measures: a sentence answers
    ("机构通过哪些方式开展线上招聘？", True, False),  # the means a sentence lists
    ("哪些部门联合印发了通知？", False, False),  # a question opening with 哪些 asks for a name
])
def test_which_questions_ask_for_an_enumeration(question, enumeration, policy):
    form = match_form(question)
    assert asks_enumeration(form) == enumeration
    assert asks_policy_noun(form) == policy


def test_which_few_asks_for_items_not_a_number():
    # 哪几个方面 asks for the aspects, never for the count 四个
    text = "天津出台的措施主要围绕“稳岗位、保用工、促创业、缓社保”四个方面。"
    got = _gap(text, "天津出台的措施主要围绕哪几个方面？")
    assert got is not None and "稳岗位" in got


@pytest.mark.parametrize("sentence, question, answer", [
    # the question's verb paraphrased (实施 ↔ 实行): the answer starts after the sentence's own verb
    ("指导各地畅通“绿色通道”，对应急物资运输车辆实行不停车、不检查、不收费、优先通行。",
     "交通运输部对应急物资运输车辆实施什么政策？", "不停车、不检查、不收费、优先通行。"),
    # a particle the sentence does not repeat (采取了 ↔ 采取)
    ("铁路部门在车站采取隔窗开窗的售票方法，扩大旅客间距。",
     "铁路部门在车站采取了怎样的售票方法？", "隔窗开窗的售票方法，扩大旅客间距。"),
])
def test_the_answer_starts_after_the_sentences_echo_of_the_question(sentence, question, answer):
    from assistant.asked import answer_start

    a = answer_start(sentence, match_form(question))
    assert a is not None and sentence[a:] == answer


@pytest.mark.parametrize("sentence, answer", [
    ("记者近日了解到，市交通委将加大运力储备、强化防疫消毒。", "市交通委将加大运力储备、强化防疫消毒。"),
    ("经市防控指挥部同意，市财政局拨付资金支持各区做好防控工作。", "市财政局拨付资金支持各区做好防控工作。"),
    ("值得留意的是，市人社局允许参保企业延期办理业务。", "市人社局允许参保企业延期办理业务。"),
])
def test_a_source_an_approval_or_an_example_marker_is_no_part_of_the_answer(sentence, answer):
    from assistant.policy import _lead_in

    assert sentence[_lead_in(sentence, question_terms("参保企业可以延期办理哪些业务？")):] == answer


def test_a_question_for_a_document_by_its_kind_gets_the_quoted_title():
    from assistant.asked import asked_titles

    text = "市税务局在2月10日编制发布了《支持疫情防控税费政策指引》，涵盖了八个方面共计58条税费政策措施。"
    u = sentences(text)[0]
    a, b = asked_titles(u, question_terms("为便于纳税人享受优惠政策，市税务局编制了什么文件？"))
    assert text[a:b] == "《支持疫情防控税费政策指引》"
    assert asked_titles(u, question_terms("市税务局编制了什么样的措施？")) is None  # no document asked


def test_what_kind_of_asks_like_what():
    # 什么样的绿色通道 is 什么绿色通道: the gap ends at the sentence's own head noun
    assert _gap("对一线医务人员，省里建立了工伤认定及待遇支付绿色通道并按规定给予补助。",
                "针对一线医务人员建立了什么样的绿色通道？") == "工伤认定及待遇支付绿色通道"


def test_a_next_sentence_sharing_one_word_with_the_question_does_not_join_the_measures():
    from tests.assistant.test_policy_answers import span_lines

    text = ("关于支持企业的通知\n对受疫情影响的企业，可申请延期缴纳税款，最长不超过3个月。"
            "企业名单由各区统一报送。\n")
    lines = span_lines({"notice": text}, "对受疫情影响的企业有哪些税款方面的措施？")
    assert lines is not None and "延期缴纳税款" in lines[0] and "名单" not in "".join(lines)


def test_a_web_address_or_a_thousands_comma_does_not_end_a_clause():
    from assistant.spans import clauses

    got = clauses("登录系统（https://example.gov.cn/login.html），按要求填写,共1,000份：完成。")
    assert got == ["登录系统（https://example.gov.cn/login.html），", "按要求填写,", "共1,000份：", "完成。"]


def test_why_is_no_what():
    from assistant.asked import wh_split

    # 为什么 asks for a reason: no 什么 with 为 as the words before it
    assert wh_split(match_form("某省为什么鼓励缴费人线上缴费？")) == ("某省", "为什么", "鼓励缴费人线上缴费")
