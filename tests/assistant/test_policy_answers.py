"""Policy questions are answered by a verbatim span: the clause, sentence or enumerated block."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.asked import asked_kind, gap, wh_split
from assistant.policy import answer_lines, answer_policy
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


def test_the_policy_span_answers_policy_questions_and_unanswered_ones_but_never_figures():
    from types import SimpleNamespace

    from assistant.cite import Answer
    from assistant.policy import wants_policy_span

    sentence = Answer(["某句。"], mode="extractive")
    refused = Answer(["文档中未找到该问题的答案。"], abstained=True, mode="extractive")
    measures = SimpleNamespace(norm="企业复工需要满足哪些条件？", wants_number=False)
    name = SimpleNamespace(norm="热线由哪个部门负责？", wants_number=False)
    figure = SimpleNamespace(norm="热线组建了多少人的专家队伍？", wants_number=True)
    assert wants_policy_span(measures, sentence) and wants_policy_span(measures, refused)
    assert not wants_policy_span(name, sentence)
    assert not wants_policy_span(figure, refused) and not wants_policy_span(figure, sentence)
