"""Policy questions are answered by a verbatim span: the clause, sentence or enumerated block."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.answer_lines import answer_lines
from assistant.asked import asked_kind, gap, wh_split
from assistant.numbers import match_form
from assistant.policy import answer_policy
from assistant.spans import block_end, sentences
from ingest.model import Chunk

NOTICE = (
    "某市关于应对疫情支持中小企业发展的若干措施\n"
    "为支持中小企业渡过难关，现提出以下措施：\n"
    "一、减免房租。对承租国有资产类经营用房的中小企业，免收2个月房租。\n"
    "二、延期缴纳社会保险费。受疫情影响的企业可申请缓缴社会保险费，缓缴期限最长不超过6个月，缓缴期间免收滞纳金。\n"
    "三、加大金融支持。各银行对受疫情影响的中小企业不得抽贷、断贷、压贷。\n"
    "四、本措施自2020年2月10日起施行，有效期至疫情结束。\n"
)
HOTLINE = (
    "关于开通心理援助热线的公告\n"
    "为做好疫情期间群众心理疏导工作，市卫生健康委开通心理援助热线，市民可拨打热线电话进行咨询。"
    "热线共组建了42人的专家队伍，每天8时至22时提供服务。\n"
    "各区要采取以下措施：一是加强组织领导；二是做好宣传引导，及时发布权威信息；三是强化值守，确保热线畅通。\n"
)


@dataclass
class FakeRecords:
    texts: dict[str, str]
    chunk_list: list[Chunk] = field(default_factory=list)

    def document_text(self, doc_id: str) -> str:
        return self.texts.get(doc_id, "")

    def document(self, doc_id: str) -> dict:
        return {"doc_id": doc_id, "title": self.texts[doc_id].split("\n", 1)[0]}

    def chunks(self, doc_id: str | None = None, kind: str | None = None) -> list[Chunk]:
        return [c for c in self.chunk_list if c.doc_id == doc_id]


class FakeIndex:
    def __init__(self, texts: dict[str, str]):
        chunks = [Chunk(id=f"{d}:text:0", doc_id=d, doc_title=t.split("\n", 1)[0], text=t, kind="text",
                        section="", page_start=1, page_end=1, start=0, end=len(t)) for d, t in texts.items()]
        self.records = FakeRecords(texts, chunks)
        self.chunks = chunks


INDEX = FakeIndex({"notice": NOTICE, "hotline": HOTLINE})


def span_lines(texts: dict[str, str], question: str) -> list[str] | None:
    """The policy span's answer lines for `question` over the documents `texts`, None if none."""
    index = FakeIndex(texts)
    ans = answer_policy(question, None, index.chunks, index)
    return ans.lines if ans is not None else None


def ask(question: str, order: tuple[str, ...] = ("notice", "hotline")) -> list[str]:
    hits = [c for d in order for c in INDEX.chunks if c.doc_id == d]
    ans = answer_policy(question, None, hits, INDEX)
    assert ans is not None and not ans.abstained
    return ans.lines


def test_sentences_keep_offsets_and_split_run_in_items():
    units = sentences(HOTLINE)
    assert all(HOTLINE[u.start:u.end] == u.text for u in units)
    items = [u.text for u in units if u.series == "shi"]
    assert items == ["一是加强组织领导；", "二是做好宣传引导，及时发布权威信息；", "三是强化值守，确保热线畅通。"]


def test_spaces_inside_dates_do_not_split_a_sentence():
    assert [u.text for u in sentences("缴费期限延长至 2020 年 3 月 31 日。 其他事项另行通知。")] == [
        "缴费期限延长至 2020 年 3 月 31 日。", "其他事项另行通知。"]


def test_an_announcing_sentence_leads_its_items_and_an_item_stands_alone():
    units = sentences(HOTLINE)
    head = next(i for i, u in enumerate(units) if u.text.endswith("以下措施："))
    assert block_end(units, head) == head + 4
    assert block_end(units, head + 1) == head + 2


def test_the_gap_is_where_the_question_has_its_wh_word():
    assert wh_split("热线组建了多少人的专家队伍？") == ("热线组建了", "多少", "人的专家队伍")
    s = "热线共组建了42人的专家队伍，每天8时至22时提供服务。"
    a, b = gap(s, "热线组建了多少人的专家队伍？")
    assert s[a:b] == "42人"


def test_question_kinds():
    assert asked_kind("热线组建了多少人的专家队伍？") == "fact"
    assert asked_kind("缓缴期间滞纳金是怎么规定的？") == "list"
    assert asked_kind("各区要采取哪些措施？") == "list"


def test_a_count_question_gets_the_figure_not_the_paragraph():
    first = ask("心理援助热线组建了多少人的专家队伍？", ("hotline", "notice"))[0]
    assert "42" in first and len(first) <= 10


def test_a_measure_question_gets_the_sentence_from_the_right_document():
    lines = ask("受疫情影响的企业缓缴社会保险费期间滞纳金如何处理？")
    assert "缓缴期间免收滞纳金" in "".join(lines)


def test_a_heading_question_gets_the_items_under_it():
    lines = ask("各区要采取哪些措施保障心理援助热线？", ("hotline", "notice"))
    body = "".join(lines)
    assert "一是加强组织领导" in body and "三是强化值守" in body


def test_long_spans_are_cut_into_lines_of_at_most_200_characters():
    text = "；".join(f"第{i}项要求是加强疫情防控工作的组织领导和责任落实" for i in range(20)) + "。"
    lines = answer_lines(text)
    assert all(len(x) <= 200 for x in lines) and "".join(lines) == text


def test_a_hard_cut_never_splits_a_number_or_an_address():
    text = "联系人及联系电话" * 24 + "银行服务周诗麒88011784网址http://xfb.example.gov.cn/"  # no punctuation
    lines = answer_lines(text)
    assert all(len(x) <= 200 for x in lines) and "".join(lines) == text
    assert lines[0].endswith("联系人及联系电话") or not lines[0][-1].isdigit()
    assert any("88011784" in x for x in lines)
    assert any("http://xfb.example.gov.cn/" in x for x in lines)


def test_the_policy_span_answers_policy_questions_and_unanswered_ones_but_never_figures():
    from types import SimpleNamespace

    from assistant.cite import Answer
    from assistant.policy import wants_policy_span
    from assistant.query import answer_type

    def question(norm: str) -> SimpleNamespace:
        return SimpleNamespace(norm=norm, answer_type=answer_type(norm))

    sentence = Answer(["某句。"], mode="extractive")
    refused = Answer(["文档中未找到该问题的答案。"], abstained=True, mode="extractive")
    measures = question("企业复工需要满足哪些条件？")
    name = question("热线由哪个部门负责？")
    figure = question("热线组建了多少人的专家队伍？")
    date = question("缓缴政策什么时候开始施行？")
    assert wants_policy_span(measures, sentence) and wants_policy_span(measures, refused)
    assert not wants_policy_span(name, sentence) and wants_policy_span(name, refused)
    assert not wants_policy_span(figure, refused) and not wants_policy_span(figure, sentence)
    assert not wants_policy_span(date, refused)
    # a measure word that also reads as a figure word (达到 …条件) does not make it a figure question
    assert wants_policy_span(question("企业达到哪些条件可以申请缓缴？"), sentence)


NEWS = (
    "多地出台措施支持企业复工复产\n"
    "近日，青岚出台支持企业复工复产的措施：一是对承租国有经营用房的企业免收3个月房租；"
    "二是对受疫情影响的企业延期缴纳税款；三是开通企业用工对接平台。\n"
    "其他地区也陆续出台了类似措施，加大对中小企业的金融支持力度。\n"
)


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    path = Path(tmp_path_factory.mktemp("news")) / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    return Assistant(MemoryIndex([parse_document(path)]))


def test_a_place_named_only_in_a_news_item_is_answered_from_it(news):
    a = news.ask("青岚县如何支持企业复工复产？")
    assert not a["abstained"]
    assert "免收3个月房租" in a["answer"] and a["citations"]


def test_a_figure_of_a_place_named_only_in_passing_is_refused(news):
    assert news.ask("青岚县2025年地区生产总值目标是多少？")["abstained"]


def test_a_place_no_document_names_is_refused(news):
    a = news.ask("赤松县如何支持企业复工复产？")
    assert a["abstained"] and "赤松县" in a["answer"]


def test_the_answer_starts_where_the_question_stops_repeating_its_sentence():
    from assistant.asked import answer_start

    s = "特别是发票业务，急需发票的纳税人，可以选择自助办税终端领票，就近快捷领取。"
    a = answer_start(s, match_form("急需发票的纳税人如何领取？"))
    assert s[a:].startswith("可以选择自助办税终端领票")
    assert answer_start(s, match_form("外籍人员如何入境？")) is None  # the sentence does not repeat it


GUIDE = (
    "关于做好企业服务工作的通知\n"
    "一、加强对企业的金融支持。\n"
    "各银行要对受疫情影响的企业适当下调贷款利率。对到期还款困难的企业，可予以展期或续贷。\n"
    "二、做好用工服务。\n"
    "各地开通用工对接平台，为企业招聘提供便利。\n"
    "对受疫情影响的企业，可申请延期缴纳税款，确保企业资金链不断裂。与此同时，春节假期调整到2月2日结束。\n"
)
GUIDE_INDEX = FakeIndex({"guide": GUIDE})


def ask_guide(question: str) -> str:
    from assistant.policy import answer_policy

    ans = answer_policy(question, None, GUIDE_INDEX.chunks, GUIDE_INDEX)
    assert ans is not None
    return "".join(ans.lines)


def test_a_heading_that_restates_the_question_is_left_out_of_its_body():
    body = ask_guide("如何加强对企业的金融支持？")
    assert body.startswith("各银行要对受疫情影响的企业适当下调贷款利率")
    assert "可予以展期或续贷" in body and "一、" not in body


def test_measures_go_on_only_while_the_paragraph_speaks_of_what_is_asked():
    body = ask_guide("对受疫情影响的企业有哪些税款方面的措施？")
    assert "可申请延期缴纳税款" in body and "春节假期" not in body


def test_a_trailing_purpose_clause_is_not_part_of_the_measure():
    body = ask_guide("对受疫情影响的企业有哪些税款方面的措施？")
    assert body.startswith("可申请延期缴纳税款") and "确保企业资金链不断裂" not in body


def test_a_sentence_that_only_restates_the_question_is_followed_by_the_next_one():
    text = "关于稳岗补贴的通知\n负责人介绍发放稳岗补贴情况。符合条件的企业可在线提交申请，审核通过后5个工作日内发放到账。\n"
    lines = span_lines({"subsidy": text}, "稳岗补贴如何发放？")
    assert lines is not None and "可在线提交申请" in "".join(lines)


def test_a_month_count_gap_keeps_its_unit():
    s = "对承租国有经营用房的中小企业免收3个月房租。"
    a, b = gap(s, match_form("对承租国有经营用房的中小企业免收几个月房租？"))
    assert s[a:b] == "3个月"


RENT = ("近日，青岚出台支持企业复工复产的措施，对承租国有经营用房的中小企业免收3个月房租，对受疫情影响的企业延期缴纳税款。\n"
        "其他地区也陆续出台了类似措施，加大对中小企业的金融支持力度。\n")


def _assistant_over(title: str, tmp_path: Path):
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    path = tmp_path / "doc.txt"
    path.write_text(title + "\n" + RENT, encoding="utf-8")
    return Assistant(MemoryIndex([parse_document(path)]))


def test_a_news_item_answers_a_figure_question_with_its_span(tmp_path):
    news = _assistant_over("多地出台措施支持企业复工复产", tmp_path)
    a = news.ask("对承租国有经营用房的中小企业免收几个月房租？")
    assert a["answer"] == "3个月" and a["citations"]


def test_a_plan_answers_the_same_figure_question_with_its_figure_clause(tmp_path):
    plan = _assistant_over("青岚县中小企业发展专项规划", tmp_path)
    first = plan.ask("对承租国有经营用房的中小企业免收几个月房租？")["answer"].split("\n")[0]
    assert "免收3个月房租" in first  # the flow's own answer: the clause with its measure


def test_a_checked_figure_is_cut_only_from_its_own_sentence():
    from assistant.assistant import _same_passage
    from assistant.cite import Evidence

    checked = Evidence("news", "t", "", None, "2020年，对承租国有经营用房的企业免收3个月房租。", None)
    same = Evidence("news", "t", "", None, "2020年，对承租国有经营用房的企业免收3个月房租。其他地区也出台了措施。", None)
    other = Evidence("news", "t", "", None, "2019年，对承租国有经营用房的企业免收2个月房租。", None)
    assert _same_passage(same, checked, same_sentence=True)
    assert not _same_passage(other, checked, same_sentence=True)
    assert _same_passage(other, checked, same_sentence=False)  # a measure question: the same document
    assert not _same_passage(Evidence("plan", "t", "", None, other.quote, None), checked, same_sentence=False)


def test_a_refused_figure_question_takes_only_a_notices_typed_clause(tmp_path):
    from assistant.cite import Answer
    from assistant.query import analyze

    for title, answered in (("多地出台措施支持企业复工复产", True), ("青岚县中小企业发展专项规划", False)):
        a = _assistant_over(title, tmp_path)
        q = analyze("对承租国有经营用房的中小企业免收几个月房租？", a.corpus.vocab)
        refused = Answer(["文档中未找到。"], abstained=True, mode="extractive")
        got = a._typed_span(q, refused, a._search(q, 5)[1])
        assert (got is not refused) == answered, title
        if answered:
            assert got.lines[0] == "3个月" and got.shape in ("gap", "typed")


def test_a_notice_states_a_count_the_figure_check_cannot_bind():
    """ncpqa-dev: a provincial notice says 共设立…个发热门诊 without a period or a measure word of a
    plan; the count is its answer, quoted from the notice."""
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    docs = Path(__file__).resolve().parents[2] / "eval" / "data" / "ncpqa-dev" / "docs"
    a = Assistant(MemoryIndex([parse_document(docs / "53304651d29837cb86e10dfff3e36b8c.txt")]))
    out = a.ask("云南省共设立多少个发热门诊？")
    assert not out["abstained"], out["answer"]
    assert out["answer"].split("\n")[0] == "200个"
    assert "200个" in out["citations"][0]["quote"]


def test_only_plans_and_reports_are_not_narrative(tmp_path):
    """A notice, a news item or a text whose profile has no title are read as running prose; the
    plan and report kinds of ingest.profile are not."""
    from ingest.profile import PLAN_DOC_TYPES

    for title, narrative in (("多地出台措施支持企业复工复产", True), ("青岚县中小企业发展专项规划", False),
                             ("2020年青岚县政府工作报告", False), ("", True)):
        a = _assistant_over(title, tmp_path)
        (doc,) = a.corpus.docs
        assert a._narrative(doc) == narrative, (title, a._doc_type(doc))
        assert (a._doc_type(doc) in PLAN_DOC_TYPES) != narrative


@pytest.mark.parametrize("clause,number,value", [
    ("医院共有86名从呼吸内科、重症医学科等科室抽调的医护人员，", True, "86名"),
    ("2月底前下达乡村振兴专项资金70亿元，", True, "70亿元"),  # a month is no figure of an amount
    ("可拨打海关咨询热线电话12360进行咨询。", True, "12360"),
    ("技术服务热线400-649-1366；", True, "400-649-1366"),
    ("中外航空公司共办理退票超过2000万张，", True, "超过2000万张"),
    ("自2020年2月22日起，", False, "2020年2月22日"),
    ("防护服1.4万件、医用手套11万双", True, None),  # two figures: the clause stays
])
def test_a_typed_clause_with_one_value_of_the_asked_kind_is_cut_to_it(clause, number, value):
    from assistant.asked_values import only_value

    got = only_value(clause, number)
    assert (clause[got[0]:got[1]].strip() if got else None) == value


def test_a_count_question_on_a_notice_gets_the_count_alone():
    from assistant.asked import question_terms, typed_clause

    (u,) = sentences("广西首个应急医院共有86名从呼吸内科、重症医学科和中医科等科室抽调的医护人员，已全部到岗。")
    a, b = typed_clause(u, question_terms("广西首个应急医院共抽调了多少名医护人员？"))
    assert u.text[a - u.start:b - u.start] == "86名"


def test_an_over_long_first_line_of_any_answer_goes_on_over_the_next_lines():
    from assistant.assistant import fit_first_line

    long = "；".join(f"某区：第{i}项服务热线电话为88011{i:03d}（正文）" for i in range(12))
    lines = fit_first_line([long + "[1]", "来源：某文件"])
    assert len(lines[0]) <= 200 and "".join(lines[:-1]) == long + "[1]" and lines[-1] == "来源：某文件"
    assert fit_first_line(["6.92亿元[1]"]) == ["6.92亿元[1]"]
