"""A park's or category's computed project count/total next to the document's summary table, and
the rows that make a difference — computed from records, whatever the document."""

from __future__ import annotations

from ingest.model import ProjectRow, SummaryRow
from ui import web_totals as totals
from ui import web_views as views

TABLE = "表9 项目表（按区域分）"


def _p(name: str, park: str, wan: float, category: str = "基础设施") -> ProjectRow:
    return ProjectRow("plan", "附件1 项目库", category, None, name, park, None, None, None, None, wan, None, 30)


def _s(label: str, cells: dict[str, str]) -> SummaryRow:
    return SummaryRow("plan", TABLE, label, cells, 12)


ROWS = [
    _p("东港路", "甲市东港开发区", 100), _p("东港厂房", "甲市东港开发区", 50, "创新能力"),
    _p("新区立交", "甲市滨海新区", 70),  # the summary counts it under 东港开发区
    _p("西湖一号", "西湖经济区", 10), _p("西湖二号", "西湖经济区", 20), _p("西湖三号", "西湖经济区", 30),
]
SUMMARY = [
    _s("东港开发区", {"汇总 / 个数": "3", "汇总 / 金额": "220", "基础设施 / 个数": "2", "基础设施 / 金额": "170",
                   "创新能力 / 个数": "1", "创新能力 / 金额": "50"}),
    _s("西湖经济区", {"项目数量": "2", "金额": "40"}),
]


def _compare(park: str) -> totals.Comparison:
    mine = [r for r in ROWS if views.same_park(r.park, park)]
    return totals.compare(park, mine, ROWS, SUMMARY, views.same_park, lambda r: r.park)


def test_a_row_listed_under_another_park_explains_a_smaller_computed_count():
    comp = _compare("甲市东港开发区")
    assert (comp.count, comp.amount_wan, comp.stated.count, comp.stated.amount_wan) == (2, 150, 3, 220)
    assert comp.differs
    assert len(comp.reasons) == 1
    assert "“基础设施”类：汇总表 2 个，项目库 1 个" in comp.reasons[0]
    assert "新区立交" in comp.reasons[0] and "甲市滨海新区" in comp.reasons[0]


def test_an_extra_row_whose_amount_is_the_gap_is_named():
    comp = _compare("西湖经济区")
    assert (comp.count, comp.stated.count) == (3, 2)
    assert "项目数：汇总表 2 个，项目库 3 个" in comp.reasons[0]
    assert "项目库多出的“西湖二号”（20万元）与差额相符" in comp.reasons[0]  # 10+20+30 − 40 = 20


def test_same_count_different_amount_is_explained_by_amount():
    comp = totals.compare("西湖经济区", ROWS[3:5], ROWS, SUMMARY, views.same_park, lambda r: r.park)
    assert comp.differs
    assert comp.reasons == ["金额：汇总表 40 万元，项目库逐项合计 30 万元（项目数相同）"]


def test_matching_totals_say_so():
    comp = totals.compare("西湖经济区", [ROWS[3], ROWS[5]], ROWS, SUMMARY, views.same_park, lambda r: r.park)
    assert not comp.differs
    assert "2 个项目，40 万元，与项目库逐项计算一致" in totals.comparison_md(comp)


def test_stated_amounts_in_yi_are_read_as_wan():
    row = SummaryRow("plan", "表2 投资（亿元）", "园区", {"个数": "2", "投资": "1.5"}, 3)
    st = totals.read_stated(row)
    assert (st.count, st.amount_wan) == (2, 15000)


def test_project_summary_says_when_a_filter_leaves_nothing():
    assert "没有符合当前筛选条件的项目" in views.project_summary_md([])
