"""What the web pages compute: highlighted sources, park names, project filters and totals, CSV."""

from __future__ import annotations

import csv
import re

import pytest

from ingest.model import IndicatorRow, ProjectRow, Section
from ui import web_views as views


def _project(name: str, park: str | None, start: int | None, wan: float | None, category: str = "公共基础设施",
             doc_id: str = "plan-a") -> ProjectRow:
    return ProjectRow(doc_id=doc_id, table="附件3 重点项目库", category=category, seq=None, name=name, park=park,
                      content="建设内容", period=None, start_year=start, end_year=None, investment_wan=wan,
                      progress="在建", page=60)


ROWS = [
    _project("港区道路工程", "大连保税区", 2019, 100000),
    _project("物流中心", "保税区", 2020, 23000.5, category="创业创新能力"),
    _project("先进光源二期", "大连高新技术产业园区", 2019, 50000),
    _project("新区互通立交", "大连金普新区", 2021, None),
]


def test_quote_is_marked_even_when_the_source_wraps_differently():
    text = "1. 经济总量目标\n力争到 2025 年，全市规上工业总产值达到 300\n亿元，年均增长 10%。"
    html, found = views.highlight(text, "全市规上工业总产值达到300亿元")
    assert found
    assert re.search(r'<mark class="quote">全市规上工业总产值达到 300<br>亿元</mark>', html)


def test_source_text_is_escaped_not_injected():
    html, found = views.highlight("<script>x</script> 投资 5 亿元", "投资5亿元")
    assert found and "<script>" not in html and "&lt;script&gt;" in html


def test_long_and_short_names_of_one_park_are_the_same_park():
    assert views.same_park("大连经济技术开发区", "大连开发区")
    assert views.same_park("大连高新技术产业园区", "大连高新区")
    assert views.same_park("保税区", "大连保税区")
    assert views.same_park("大连循环经济产业区", "大连循环产业经济区")
    assert views.same_park("大连普兰店经济开发区", "大连普兰店经济区")
    assert views.same_park("长兴岛开发区", "大连长兴岛经济技术开发区")


def test_different_parks_are_not_merged():
    assert not views.same_park("旅顺开发区", "大连开发区")
    assert not views.same_park("长兴岛开发区", "旅顺开发区")
    assert not views.same_park("大连金普新区", "大连保税区")


def test_park_list_merges_name_variants_most_projects_first():
    assert views.park_names(ROWS) == ["大连保税区", "大连高新技术产业园区", "大连金普新区"]


def test_filter_by_park_counts_and_totals_both_name_forms():
    chosen = views.filter_projects(ROWS, park="保税区")
    assert [r.name for r in chosen] == ["港区道路工程", "物流中心"]
    assert views.project_total(chosen) == (2, 123000.5, 0)
    assert "共 2 个项目，总投资 123000.5 万元（12.30005 亿元）" in views.project_summary_md(chosen)


def test_filter_by_start_year_range_category_and_text():
    assert [r.name for r in views.filter_projects(ROWS, year_from=2020)] == ["物流中心", "新区互通立交"]
    assert [r.name for r in views.filter_projects(ROWS, year_from=2019, year_to=2019)] == ["港区道路工程", "先进光源二期"]
    assert [r.name for r in views.filter_projects(ROWS, category="创业创新能力")] == ["物流中心"]
    assert [r.name for r in views.filter_projects(ROWS, text="光源")] == ["先进光源二期"]
    assert views.filter_projects(ROWS, doc_id="another-plan") == []


def test_rows_without_an_amount_are_counted_but_not_summed():
    n, total, missing = views.project_total(ROWS)
    assert (n, total, missing) == (4, 173000.5, 1)
    assert "1 个项目未列投资额" in views.project_summary_md(ROWS)


def test_amounts_are_shown_in_wan_and_exact_yi():
    assert views.fmt_wan(21124119) == "21124119 万元（2112.4119 亿元）"
    assert views.fmt_wan(6890000) == "6890000 万元（689 亿元）"


def test_investment_by_park_is_in_yi():
    bars = {b["园区"]: b for b in views.investment_by_park(ROWS)}
    assert bars["大连保税区"]["总投资（亿元）"] == pytest.approx(12.30005)
    assert bars["大连保税区"]["项目数"] == 2


def test_csv_has_every_filtered_row_with_chinese_headers(tmp_path):
    path = views.write_projects_csv(ROWS[:2], {"plan-a": "示范区建设方案"}, tmp_path / "p.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["项目名称"] for r in rows] == ["港区道路工程", "物流中心"]
    assert rows[1]["总投资（万元）"] == "23000.5" and rows[0]["文档"] == "示范区建设方案"


def test_uploaded_file_names_cannot_escape_the_upload_folder():
    assert views.safe_filename("../../etc/passwd.txt") == "passwd.txt"
    assert views.safe_filename("C:\\tmp\\规划 (2024).PDF") == "规划_2024.pdf"
    assert views.safe_filename("...txt") == "document.txt"


def test_similar_indicators_of_two_documents_are_paired():
    a = IndicatorRow("plan-a", "表3", "质量效益", "地区生产总值增速", "%", {"2025": "6.5"}, None, 9)
    b = IndicatorRow("plan-b", "表1", None, "地区生产总值年均增速", "%", {"2025": "7"}, None, 3)
    c = IndicatorRow("plan-b", "表1", None, "森林覆盖率", "%", {"2025": "40"}, None, 3)
    again = IndicatorRow("plan-a", "附件2", "质量效益", "地区生产总值增速", "%", {"2025": "6.5"}, None, 90)
    pairs = views.similar_indicators([a, again, b, c], threshold=70)
    assert len(pairs) == 1
    assert pairs[0][0] == "地区生产总值增速" and pairs[0][3] == "地区生产总值年均增速"
    assert pairs[0][2] == "2025: 6.5" and pairs[0][5] == "2025: 7"
    assert pairs[0][7:] == ["plan-a", "plan-b"]


def test_indicators_with_different_units_are_not_paired():
    a = IndicatorRow("plan-a", "表3", None, "高新技术企业数量增长率", "%", {"2025": "12"}, None, 9)
    b = IndicatorRow("plan-b", "表1", None, "高新技术企业数", "家", {"2025": "54"}, None, 3)
    assert views.similar_indicators([a, b], threshold=70) == []


def test_answer_bubble_has_bold_first_line_details_citations_and_latency():
    md = views.answer_markdown({
        "answer": "300亿元\n力争到2025年，全市规上工业总产值达到300亿元。", "abstained": False, "mode": "structured",
        "citations": [{"n": 1, "doc_title": "庄河规划", "section": "二、目标 > 1. 经济总量目标", "page": 3}],
        "latency_ms": 12.34,
    })
    assert md.startswith("**300亿元**")
    assert "力争到2025年" in md
    assert "\\[1\\] 庄河规划 › 二、目标 > 1. 经济总量目标 · 第3页" in md
    assert "12.3 ms" in md


@pytest.mark.slow
def test_source_panel_marks_the_cited_quote_in_its_section(bundled_index_dir):
    from assistant.assistant import Assistant

    assistant = Assistant.open(bundled_index_dir)
    result = assistant.ask("到2025年庄河规上工业总产值目标是多少？")
    assert result["citations"], result
    cite = result["citations"][0]
    html = views.source_html(assistant.index.records, cite)
    marked = re.search(r'<mark class="quote">(.*?)</mark>', html, re.S).group(1)
    assert re.sub(r"\s|<br>", "", marked) == re.sub(r"\s", "", cite["quote"]).replace("<", "&lt;")
    assert cite["section"].split(" > ")[-1] in html


def test_many_citations_of_one_table_read_as_one_line():
    cites = [{"n": 1, "doc_id": "a", "doc_title": "方案", "section": "五、项目 > 表4", "page": 71}] + [
        {"n": n, "doc_id": "a", "doc_title": "方案", "section": "附件3 重点项目库", "page": p}
        for n, p in [(2, 79), (3, 79), (4, 82)]
    ]
    assert views.citation_lines(cites) == ["[1] 方案 › 五、项目 > 表4 · 第71页", "[2]–[4] 方案 › 附件3 重点项目库 第79、82页"]


def test_a_document_without_pages_shows_no_page_numbers():
    rows = [_project("港区道路工程", "大连保税区", 2019, 100000), _project("文本项目", "保税区", 2020, 5, doc_id="plan-b")]
    pages = [d["页码"] for d in views.project_dicts(rows, {}, paged={"plan-a"})]
    assert pages == [60, None]
    tree = views.section_tree_html([Section("b#s1", "plan-b", 1, "一、", "总体要求", "一、总体要求", 1)], paged=False)
    assert "总体要求" in tree and "p.1" not in tree
