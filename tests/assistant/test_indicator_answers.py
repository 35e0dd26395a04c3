"""Indicator-table answers: a value for a year, with the unit, the row and the year header quoted."""

from tests.assistant.conftest import quotes_contain, verbatim_in_source


def test_zhuanghe_2025_output_target_is_300_yi(ask, assistant):
    a = ask("到2025年庄河规上工业总产值要达到多少？")
    assert not a["abstained"]
    assert "300亿元" in a["first"]
    assert a["citations"], a
    c = a["citations"][0]
    assert c["doc_id"] == "zhuanghe-industry-tech-14th-fyp-2022"
    assert c["page"] >= 1
    assert quotes_contain(a, "300")
    assert all(verbatim_in_source(assistant, c) for c in a["citations"])


def test_research_intensity_paraphrase_finds_rd_share_target(ask):
    a = ask("示范区2025年研发投入强度目标是多少？")
    assert "3%" in a["first"] and "R&D" in a["first"]
    assert quotes_contain(a, "R&D支出占地区生产总值比重")


def test_pm25_target_read_from_target_table_not_evaluation_table(ask):
    a = ask("大连2025年PM2.5年均浓度目标是多少？")
    assert "25微克" in a["first"]


def test_statistics_table_with_year_rows_answers_2013_gdp(ask):
    a = ask("2013年大连GDP是多少亿元？")
    assert "7267亿元" in a["first"]
    assert quotes_contain(a, "2013 7267")


def test_2030_target_abstains(ask):
    a = ask("2030年庄河规上工业总产值目标是多少？")
    assert a["abstained"]
    assert a["first"].startswith("文档中未找到")


def test_blank_table_cell_abstains(ask):
    a = ask("庄河外向型企业产值占比2020年是多少？")
    assert a["abstained"]
    assert a["first"].startswith("文档中未找到")


def test_base_year_value_is_not_called_a_target(ask):
    a = ask("2020年庄河有多少家高新技术企业？")
    assert "54家" in a["first"]
    assert "目标" not in a["first"]


def test_same_indicator_compared_across_both_plans(ask):
    a = ask("庄河和示范区2025年工业固体废物综合利用率目标分别是多少？")
    assert "94%" in a["first"] and "100%" in a["first"]
    assert {c["doc_id"] for c in a["citations"]} == {
        "dalian-coastal-transformation-2019", "zhuanghe-industry-tech-14th-fyp-2022"}
