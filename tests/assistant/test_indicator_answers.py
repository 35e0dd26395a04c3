"""Indicator-table answers: a value for a year, with the unit, the row and the year header quoted."""

from tests.assistant.conftest import quotes_contain, verbatim_in_source


def test_zhuanghe_2025_output_target_is_300_yi(ask, assistant):
    a = ask("到2025年庄河规上工业总产值要达到多少？")
    assert not a["abstained"]
    assert "300亿元" in a["first"]
    assert a["citations"], a
    c = a["citations"][0]
    assert c["doc_id"] == "zhuanghe-industry-tech-14th-fyp-2022"
    assert c["page"] is None and "行" in c["label"]  # plain text without page breaks: cited by its row
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


def test_paraphrased_indicator_names_resolve_to_the_table_row(ask):
    # English-mixed, abbreviated and 万元/每万人 forms of printed indicator names
    cases = [("示范区2025年R&D强度要达到多少？", "3%"),
             ("庄河到2025年高新企业数计划多少家？", "80家"),
             ("2025年万元工业增加值能耗比2018年降多少？", "25%")]
    for question, value in cases:
        a = ask(question)
        assert not a["abstained"], question
        assert value in a["first"], (question, a["first"])
        assert quotes_contain(a, value.rstrip("%家")), question


def test_table_named_in_the_question_picks_its_column(ask):
    a = ask("评估指标表中2019年的中央预算内投资额度为多少？")
    assert "32986" in a["first"]
    assert quotes_contain(a, "2019")


def test_blank_year_column_abstains_saying_the_cell_is_empty(ask):
    a = ask("示范区2019年人均地区生产总值是多少？")
    assert a["abstained"]
    assert a["first"].startswith("文档中未找到") and "为空" in a["first"]


def test_a_narrower_indicator_is_not_answered_with_the_broader_total(ask):
    # 规上食品工业产值 is not 规模以上工业产值 (300亿元)
    a = ask("到2025年庄河规上食品工业产值要达到多少？")
    assert "300亿" not in a["first"]
    assert "100亿元" in a["first"]


def test_broader_indicator_is_not_contradicted_by_a_narrower_sentence(ask):
    a = ask("庄河2025年规模以上工业产值目标？")
    assert "300亿元" in a["first"] and "食品" not in a["first"]


def test_both_plans_asked_at_once_get_one_figure_each(ask):
    a = ask("两份规划中2025年研发投入的目标各是多少？")
    assert not a["abstained"]
    assert "3%" in a["first"] and "5%" in a["first"]
    assert {c["doc_id"] for c in a["citations"]} == {
        "dalian-coastal-transformation-2019", "zhuanghe-industry-tech-14th-fyp-2022"}


def test_indicator_nature_question_with_paraphrased_name(ask):
    a = ask("庄河的万元工业产值能耗指标属于约束性还是预期性指标？")
    assert "约束性" in a["first"]
