"""A figure answer's first line is the one clause of its sentence that holds what the question asks
and the sentence's other figure clauses do not; when two clauses each hold some of it, the line
stays whole so the asker sees both figures."""

import pytest

from tests.assistant.test_query_analysis import assistant_over

BODY = """一、财政运行情况

截至2020年底，我区政府债务限额430.98亿元，政府债务余额374.34亿元，债务余额控制在限额内；
全区拥有水产食品加工企业104家，其中规模以上企业51家，远销日韩等52个国家和地区。
"""
REPORT = "2021年青禾区政府工作报告\n\n" + BODY  # a plan-kind document: extractive figure answers
NOTICE = "青禾区财政运行情况通报\n\n" + BODY  # a narrative document: the policy span's typed cut


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return assistant_over(tmp_path_factory.mktemp("docs"), {"qinghe-finance": REPORT})


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    return assistant_over(tmp_path_factory.mktemp("docs"), {"qinghe-finance": NOTICE})


def first(a: dict) -> str:
    return a["answer"].split("\n", 1)[0]


@pytest.mark.parametrize("asked, kept, dropped", [
    ("余额", "政府债务余额374.34亿元", "430.98"),
    ("限额", "政府债务限额430.98亿元", "374.34"),
])
def test_the_clause_of_the_asked_measure_answers(report, asked, kept, dropped):
    a = report.ask(f"截至2020年底青禾区政府债务{asked}是多少？")
    assert not a["abstained"], a["answer"]
    assert kept in first(a) and dropped not in first(a)


def test_clauses_each_holding_part_of_the_question_stay_together(report):
    a = report.ask("青禾区规模以上水产食品加工企业有多少家？")
    assert not a["abstained"], a["answer"]
    assert "51家" in first(a) and "104家" in first(a)


@pytest.mark.parametrize("asked, value", [("余额", "374.34亿元"), ("限额", "430.98亿元")])
def test_a_narrative_documents_typed_cut_takes_the_clause_of_the_asked_measure(notice, asked, value):
    """The clause is chosen by its words, not by digits it shares with the question's year."""
    a = notice.ask(f"截至2020年底青禾区政府债务{asked}是多少？")
    assert not a["abstained"], a["answer"]
    assert first(a).startswith(value) or first(a).endswith(value), first(a)
