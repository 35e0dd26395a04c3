"""A work report's relative years: 去年 is its review year, 今年 its target year, and a sentence
saying 今年 is not last year's figure; a section about the plan period that names its own year
does not hold the figures of the period's other years."""

from pathlib import Path

import pytest

from tests.assistant.test_query_analysis import assistant_over

REPORT = """2026年青禾省人民政府工作报告

一、2025年工作回顾和“十四五”发展主要成绩

过去一年，全省经济稳中有进。实现地区生产总值67665亿元，增长5.5%，总量居全国前列。
“十四五”时期，全省地区生产总值从48000亿元提高到67665亿元。

二、奋勇争先，推动高质量发展

今年经济社会发展的主要预期目标是：全省地区生产总值增长5.0%左右，城镇新增就业85万人。
抓紧项目建设，实施省重点项目1600个、年度计划投资7300亿元。

表1 主要预期目标

指标	单位	目标
地区生产总值增长	%	5.0
城镇新增就业	万人	85
"""


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory):
    return assistant_over(tmp_path_factory.mktemp("reports"), {"qinghe-gov-work-report-2026": REPORT})


def first(a: dict) -> str:
    return a["answer"].split("\n", 1)[0]


def test_last_years_growth_is_the_review_figure_not_this_years_target(qinghe):
    a = qinghe.ask("青禾去年地区生产总值增长了多少？")
    assert not a["abstained"], a["answer"]
    assert "5.5%" in first(a) and "5.0%" not in first(a)


def test_this_years_target_is_the_sentence_saying_jinnian(qinghe):
    a = qinghe.ask("青禾今年地区生产总值增长目标是多少？")
    assert not a["abstained"], a["answer"]
    assert "5.0" in first(a) and "5.5" not in first(a)


def test_a_year_the_report_does_not_state_is_refused(qinghe):
    """2024 lies in the 十四五 period, but the review section names 2025: its figures are not 2024's."""
    assert qinghe.ask("青禾2024年地区生产总值是多少？")["abstained"]


def test_a_jurisdiction_qualifier_does_not_block_the_answer(qinghe):
    a = qinghe.ask("青禾今年全省重点项目年度计划投资是多少？")
    assert not a["abstained"], a["answer"]
    assert "7300亿元" in first(a)


REVIEW_ONLY = """2026年青禾省人民政府工作报告

一、牢记嘱托，在接续奋斗中取得新成效

扩大有效益的投资，1593个省重点项目完成投资7295亿元。
"""


@pytest.fixture(scope="module")
def review_only(tmp_path_factory):
    return assistant_over(tmp_path_factory.mktemp("reports"), {"qinghe-review-2026": REVIEW_ONLY})


def test_a_planned_investment_is_not_answered_with_the_completed_one(review_only):
    a = review_only.ask("青禾今年省重点项目计划投资多少？")
    assert a["abstained"] or "7295" not in first(a), a["answer"]
    b = review_only.ask("青禾去年省重点项目完成投资多少？")
    assert not b["abstained"] and "7295亿元" in first(b), b["answer"]


FUJIAN = Path(__file__).resolve().parents[2] / "eval/data/plans-dev/docs/fujian-gov-work-report-2025.docx"


@pytest.fixture(scope="module")
def review_part(tmp_path_factory):
    """A real work report cut after its review part (a truncated upload): no plan part is found."""
    from ingest.pipeline import parse_document

    text = "\n".join(c.text for c in parse_document(FUJIAN).chunks if c.kind == "text")
    cut = text.index("二、")  # the report's second part is its plan for the report year
    return assistant_over(tmp_path_factory.mktemp("reports"),
                          {"fujian-review-2025": "2025年福建省政府工作报告\n" + text[:cut]})


def test_a_review_fact_is_the_review_years_when_the_report_has_no_plan_part(review_part):
    """Without a plan part, the review section's figures are still last year's, not this year's."""
    assert review_part.ask("福建今年省重点项目完成投资多少？")["abstained"]
    b = review_part.ask("福建去年省重点项目完成投资多少？")
    assert not b["abstained"] and "7295亿元" in first(b), b["answer"]
