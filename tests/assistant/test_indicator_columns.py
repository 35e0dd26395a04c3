"""An indicator table's non-year columns (年均增长, 属性) read as themselves: a question naming one gets
that column, and a growth figure never takes the row's amount unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assistant.test_query_analysis import assistant_over

PLAN = """石泉市国民经济和社会发展第十四个五年规划纲要
第一章 发展基础
“十三五”时期，全市经济平稳发展。
第二章 主要目标
表1 “十四五”时期经济社会发展主要指标
序号\t指标\t2020年\t2025年\t年均增长\t属性
1\t地区生产总值（亿元）\t2800\t3900\t7%左右\t预期性
2\t常住人口城镇化率（%）\t58.5\t65\t[6.5]\t预期性
3\t研发经费投入强度（%）\t1.8\t2.5\t[0.7]\t预期性
第三章 重点任务
重点发展新材料、生物医药、高端装备三大主导产业。
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return assistant_over(Path(tmp_path_factory.mktemp("plan")), {"shiquan-plan": PLAN})


def test_a_named_growth_column_is_answered_alone_without_the_amount_unit(plan):
    first = plan.ask("十四五期间地区生产总值年均增长多少？")["answer"].splitlines()[0]
    assert "年均增长7%左右" in first and "3900" not in first and "7%左右亿元" not in first


def test_all_columns_read_year_columns_with_their_year(plan):
    first = plan.ask("地区生产总值目标是多少？")["answer"].splitlines()[0]
    assert "2025年3900亿元" in first and "年均增长7%左右" in first and "年均增长年" not in first


BOX = """青禾区国民经济和社会发展第十四个五年规划纲要
第三节 发展目标
专栏1 青禾区“十四五”时期经济社会发展主要目标
序号\t指标名称\t单位\t2020年\t2025年\t年均增速\t指标属性
1\t台资企业数\t户\t1200\t2000\t10.8%\t预期性
2\t旅游总收入\t亿元\t50\t150\t24.6%\t预期性
第四章 重点任务
重点发展旅游、物流两大产业。
"""


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    return assistant_over(Path(tmp_path_factory.mktemp("box")), {"qinghe-plan": BOX})


@pytest.mark.parametrize("year, value", [(2020, "1200户"), (2025, "2000户")])
def test_a_count_row_with_a_growth_rate_column_answers_a_count_question(box, year, value):
    """The 年均增长 column's % does not make the row a rate row that a 多少 question must not read."""
    a = box.ask(f"青禾区{year}年台资企业数是多少？")
    assert not a["abstained"], a["answer"]
    first = a["answer"].splitlines()[0]
    assert value in first


def test_a_plans_box_is_labelled_by_its_number_like_a_table():
    from assistant.rowtext import short_table

    assert short_table("专栏1 青禾区“十四五”时期经济社会发展主要目标") == "专栏1"
    assert short_table("表2 重点项目表") == "表2"
