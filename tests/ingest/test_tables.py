"""Tables in plan documents become records a reader can check against the printed page."""

from __future__ import annotations

import re

import pytest

from ingest.clean import to_lines
from ingest.loaders import load
from ingest.model import Line, Table
from ingest.pipeline import BUNDLED_CORPUS
from ingest.table_cells import is_table_title
from ingest.tables import TableSpan, extract_tables, row_text

DALIAN = "dalian-coastal-transformation-2019"
ZHUANGHE = "zhuanghe-industry-tech-14th-fyp-2022"


def _corpus(doc_id: str) -> tuple[list[Line], list[TableSpan]]:
    lines = to_lines(load(BUNDLED_CORPUS / f"{doc_id}.txt"))
    return lines, extract_tables(lines, doc_id)


@pytest.fixture(scope="module")
def dalian() -> tuple[list[Line], list[TableSpan]]:
    return _corpus(DALIAN)


@pytest.fixture(scope="module")
def zhuanghe() -> tuple[list[Line], list[TableSpan]]:
    return _corpus(ZHUANGHE)


def _span(spans: list[TableSpan], title_start: str) -> TableSpan:
    found = [s for s in spans if re.sub(r"\s", "", s.table.title).startswith(title_start)]
    assert len(found) == 1, [s.table.title for s in spans]
    return found[0]


def _indicator(table: Table, name: str):
    return next(r for r in table.indicators if r.name == name)


def _lines(text: str) -> list[Line]:
    """Lines as the cleaner hands them over: blank lines dropped, marking the next line's
    para_break; a line '<page>' starts a new page."""
    out, page, brk = [], 1, True
    for raw in text.strip("\n").split("\n"):
        if raw == "<page>":
            page, brk = page + 1, True
            continue
        if not raw.strip():
            brk = True
            continue
        out.append(Line(raw.strip(" "), page, brk))
        brk = False
    return out


# --- the bundled corpus -------------------------------------------------------------------------


def test_dalian_tables_are_found_in_order_with_their_kinds(dalian):
    _, spans = dalian
    assert [(re.sub(r"\s", "", s.table.title)[:4], s.table.kind) for s in spans] == [
        ("表1：产", "indicator"),
        ("表2：大", "summary"),
        ("表3：产", "indicator"),
        ("表4：大", "summary"),
        ("表5：大", "summary"),
        ("附件2产", "indicator"),
        ("附件3产", "project"),
    ]
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start


def test_evaluation_table_keeps_dashes_and_groups_as_printed(dalian):
    table = _span(dalian[1], "表1").table
    assert len(table.indicators) == 21
    assert [r.group for r in table.indicators].count("创新发展") == 6
    gdp = _indicator(table, "地区生产总值")
    assert (gdp.unit, gdp.values) == ("亿元", {"2017": "7363.9", "2018": "7668.5", "2019": "——"})
    # the last row of one page and the first of the next are both complete rows
    assert _indicator(table, "高技术产业增加值增长率").values["2017"] == "50.8"
    assert _indicator(table, "有效发明专利数增长率").values == {"2017": "18", "2018": "14.4", "2019": "——"}
    assert _indicator(table, "单位地区生产总值工业能耗水平").unit == "吨标煤/万元"


def test_target_tables_read_values_units_and_names_as_printed(dalian):
    for title in ("表3", "附件2"):
        table = _span(dalian[1], title).table
        assert len(table.indicators) == 19
        rd = _indicator(table, "R&D支出占地区生产总值比重")
        assert (rd.group, rd.unit, rd.values["2025"]) == ("创新发展", "%", "3")
        assert rd.text.startswith("R&D 支出占地区生产总值比重")  # the quote stays verbatim
        assert _indicator(table, "地区生产总值增速").values["2025"] == "年均 6.5"
        assert _indicator(table, "人均地区生产总值").values == {
            "2018": "109644",
            "2020": "增长 7%",
            "2025": "年均增长 7%",
        }
        assert _indicator(table, "港口货物吞吐量").unit == "万吨"
        energy = _indicator(table, "单位工业增加值能耗比2018年下降")
        assert (energy.group, energy.unit, list(energy.values.values())) == (
            "绿色发展",
            "%",
            ["0", "11", "25"],
        )
        assert _indicator(table, "单位地区生产总值水耗水平").unit == "立方米/万"
        assert _indicator(table, "外贸进出口总额").unit == "亿美元"


def test_table_spans_end_where_the_text_resumes(dalian):
    lines, spans = dalian
    assert lines[_span(spans, "表1").end].text.startswith("宏观经济稳步发展。")
    assert lines[_span(spans, "表3").end].text.startswith("到 2025 年，产业转型升级取得重大进展")
    assert lines[_span(spans, "表5").end].text.startswith("项目库涉及 3类 179个项目")
    assert lines[_span(spans, "附件2").end].text.startswith("附件 3")
    assert "宏观经济稳步发展" not in _span(spans, "表1").table.text


def test_zhuanghe_tab_table_carries_the_category_down(zhuanghe):
    table = _span(zhuanghe[1], "表1").table
    assert table.kind == "indicator"
    assert len(table.indicators) == 14
    assert _indicator(table, "规模以上工业产值").group == "经济总量"
    assert _indicator(table, "科技型中小企业数").values == {"2020": "57", "2025": "≥100"}
    assert _indicator(table, "全部工业总产值").values == {"2020": "385", "2025": "750"}
    natures = [r.nature for r in table.indicators]
    assert natures.count("约束性") == 2 and natures.count("预期性") == 12
    assert {r.group for r in table.indicators} == {"经济总量", "产业结构", "科技创新", "经济效益", "绿色发展"}


def test_project_annex_has_every_row_and_matches_its_stated_totals(dalian):
    table = _span(dalian[1], "附件3").table
    rows = table.projects
    assert len(rows) == table.stated_total["count"] == 178
    assert sum(r.investment_wan for r in rows) == table.stated_total["investment_wan"] == 21124119
    stated = table.stated_total["categories"]
    assert stated == {"公共基础设施": 53, "公共服务平台": 11, "创业创新能力": 114}
    for category, count in stated.items():
        in_category = [r for r in rows if r.category == category]
        assert [r.seq for r in in_category] == list(range(1, count + 1))
    for r in rows:
        assert r.name and r.park and r.period and r.investment_wan, r
        assert not re.search(r"\s", r.name), r.name
        assert not re.search(r"\s", r.park), r.park
        assert r.start_year <= r.end_year
        assert str(int(r.investment_wan)) in r.text
    # the park column is a small closed vocabulary, learned from the rows
    assert len({r.park for r in rows}) == 12


# Hand-checked against the raw text: wrapped names (3 lines), parks split over two lines,
# periods split as `2018` / `-2020`, investment on its own line, rows crossing pages.
SAMPLE = [
    (
        "公共基础设施",
        1,
        "沈海高速金州互通立交改造工程",
        "大连金普新区",
        "2020-2022",
        45000,
        "正在开展前期论证。",
    ),
    (
        "公共基础设施",
        2,
        "大连理工大学机械学院新教学楼",
        "大连高新技术产业园区",
        "2017-2020",
        33700,
        "内部装修。",
    ),
    (
        "公共基础设施",
        3,
        "大连理工大学主校区教工危旧住房一期迁建及幼儿园迁建项目",
        "大连高新技术产业园区",
        "2018-2020",
        32500,
        "内外装饰及市政配套。",
    ),
    (
        "公共基础设施",
        9,
        "大连软件园腾飞园区7号楼项目",
        "大连高新技术产业园区",
        "2019",
        6300,
        "封顶，主体验收。",
    ),
    (
        "公共基础设施",
        11,
        "三寰集团能源学院建设项目",
        "大连高新技术产业园区",
        "2019-2021",
        160000,
        "持续进行一期景观及外管网工程及二期工程建设。",
    ),
    (
        "公共基础设施",
        17,
        "大连承邦发展供热有限公司热源厂建设项目",
        "旅顺经济技术开发区",
        "2018-2019",
        34800,
        "主体建设阶段。",
    ),
    ("公共基础设施", 24, "中英产业园项目", "大连花园口经济区", "2019-2021", 25000, "完成可行性研究报告。"),
    (
        "公共基础设施",
        42,
        "庄河市第五汇水分区海绵道路及水系建设工程",
        "大连循环经济产业区",
        "2018-2019",
        11023,
        "约占总工程量的78%。",
    ),
    (
        "公共基础设施",
        53,
        "新建三台变电站项目",
        "大连瓦房店轴承产业园区",
        "2018-2019",
        36411,
        "完成投资 3000 万元人民币，变电站基础已完成。",
    ),
    (
        "公共服务平台",
        2,
        "计量检测校准中心平台项目",
        "大连经济技术开发区",
        "2018-2021",
        12000,
        "仪器及设备采购",
    ),
    ("公共服务平台", 10, "大连九成智慧城", "大连循环产业经济区", "2015-2025", 400000, "面积 1.2万平方米。"),
    (
        "创业创新能力",
        1,
        "大连齐化液体、固体、溴化、邻甲酚醛环氧树脂项目",
        "大连经济技术开发区",
        "2018-2021",
        20000,
        "资 2536 万元。",
    ),
    (
        "创业创新能力",
        33,
        "恒力石化（大连）有限公司年产250万吨PTA-4项目",
        "大连长兴岛经济技术开发区",
        "2018-2020",
        290000,
        "全面进入设备安装阶段",
    ),
    (
        "创业创新能力",
        34,
        "恒力石化（大连）有限公司年产250万吨PTA-5项目",
        "大连长兴岛经济技术开发区",
        "2019-2020",
        298662,
        "在建，计划建成时间 2020 年 6月。",
    ),
    (
        "创业创新能力",
        39,
        "哈瓦无人机项目",
        "旅顺经济技术开发区",
        "2019-2021",
        40000,
        "正在积极开展项目投资洽谈。",
    ),
    ("创业创新能力", 59, "车载动力电池二期项目", "大连保税区", "2018-2020", 303000, "投资计划已完成。"),
    (
        "创业创新能力",
        100,
        "斯坦福科技年产1500万平方米人造草坪项目",
        "大连普兰店经济区",
        "2019-2020",
        4800,
        "正在进行土地招拍挂工作。",
    ),
    ("创业创新能力", 103, "海通电器项目", "大连普兰店经济开发区", "2019-2020", 2200, None),
    (
        "创业创新能力",
        105,
        "中国移动（辽宁大连）数据中心",
        "大连普兰店经济开发区",
        "2019-2030",
        252000,
        "场地基础夯实。",
    ),
    (
        "创业创新能力",
        114,
        "年产108万吨镍铁合金一期项目",
        "大连瓦房店轴承产业园区",
        "2017-2020",
        200000,
        "完成投资 6.5亿元，完成回转窑基础、矿热炉基础和料棚建设。",
    ),
]


@pytest.mark.parametrize(("category", "seq", "name", "park", "period", "investment", "progress_end"), SAMPLE)
def test_project_rows_read_as_printed(dalian, category, seq, name, park, period, investment, progress_end):
    table = _span(dalian[1], "附件3").table
    row = next(r for r in table.projects if r.category == category and r.seq == seq)
    assert (row.name, row.park, row.period, row.investment_wan) == (name, park, period, investment)
    if progress_end is None:
        assert row.progress is None
    else:
        assert row.progress.endswith(progress_end)


def test_project_content_is_rejoined_without_the_neighbouring_cells(dalian):
    rows = _span(dalian[1], "附件3").table.projects
    second = rows[1]
    assert (
        second.content
        == "该项目建设机械学院新教学用房和学部机关用房，占地面积 30700平方米，总建筑面积 55000平方米。"
    )
    assert rows[0].content == "互通立交改造，公路 I级。"
    assert all("序号" not in (r.content or "") + (r.progress or "") for r in rows)  # page headers skipped


def test_row_text_renders_rows_with_their_headers(dalian):
    spans = dalian[1]
    target = _span(spans, "表3").table
    rd = _indicator(target, "R&D支出占地区生产总值比重")
    assert row_text(target, rd) == (
        "表3 产业转型升级示范区目标指标表 | 创新发展 | R&D支出占地区生产总值比重 | 单位 % | "
        "2018年 2.17 | 2020年 2.5 | 2025年 3"
    )
    annex = _span(spans, "附件3").table
    assert row_text(annex, annex.projects[0]) == (
        "附件3 产业转型升级示范区重点项目库 | 公共基础设施 | 1 | 沈海高速金州互通立交改造工程 | 园区 大连金普新区 | "
        "建设内容 互通立交改造，公路 I级。 | 建设年限 2020-2022 | 总投资 45000万元 | 进展 正在开展前期论证。"
    )


def test_every_printed_number_of_a_row_is_in_its_verbatim_text(dalian, zhuanghe):
    for spans in (dalian[1], zhuanghe[1]):
        for span in spans:
            t = span.table
            for r in t.indicators:
                for v in r.values.values():
                    assert v in r.text, (r.text, v)
            for r in t.summary:
                for v in r.cells.values():
                    assert v in r.text, (r.text, v)
                assert r.text in t.text or r.text.split()[0] in t.text


def test_summary_tables_join_two_level_headers(dalian):
    spans = dalian[1]
    by_area = _span(spans, "表4").table
    assert len(by_area.summary) == 12
    total = by_area.summary[0]
    # the summary table's total differs from the annex (179 / 20841119): both kept as printed
    assert (total.label, total.cells["汇总 / 个数"], total.cells["汇总 / 金额"]) == (
        "合计",
        "179",
        "20841119",
    )
    high_tech = next(r for r in by_area.summary if r.label == "大连高新区")
    assert high_tech.cells["公共服务平台 / 个数"] == "——"
    assert high_tech.cells["公共基础设施 / 金额"] == "1000000"
    by_year = _span(spans, "表5").table
    assert [r.label for r in by_year.summary] == ["合计", "公共基础设施", "公共服务平台", "创业创新能力"]
    assert by_year.summary[0].cells["2021年 / 金额"] == "3000"
    assert by_year.summary[0].cells["项目数量"] == "179"
    stats = _span(spans, "表2").table
    assert [r.label for r in stats.summary] == ["2013", "2018"]
    assert stats.summary[1].cells["GDP（亿元）"] == "7668.5"
    assert stats.summary[1].cells["人均GDP（元）"] == "109644"
    assert stats.summary[0].cells["外贸进出口总额（亿美元）"] == "676.5"
    assert stats.summary[0].cells["农村居民人均可支配收入（元）"] == "17717"


# --- small documents the tests build themselves --------------------------------------------------

INDICATOR_DOC = """
某市国民经济和社会发展规划
12
前文说明，主要指标如下。

表 2：“十五五”时期主要指标
类别 指标名称 单位 2024年 2027年 2030年 指标性质
经济发展
地区生产总值 亿元 1200 1500 年均增长 6% 预期性
常住人口城镇化率 % 61.5 64 67 预期性
某市国民经济和社会发展规划
13
<page>
绿色生态
单位 GDP 能耗降低 % —— —— 13.5 约束性

以上指标为规划期内的主要目标。
"""


def test_indicator_table_with_other_years_and_a_nature_column():
    lines = _lines(INDICATOR_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    assert table.kind == "indicator"
    rows = {r.name: r for r in table.indicators}
    assert list(rows) == ["地区生产总值", "常住人口城镇化率", "单位GDP能耗降低"]
    assert rows["地区生产总值"].values == {"2024": "1200", "2027": "1500", "2030": "年均增长 6%"}
    assert (rows["地区生产总值"].group, rows["地区生产总值"].nature) == ("经济发展", "预期性")
    assert (rows["单位GDP能耗降低"].group, rows["单位GDP能耗降低"].unit) == ("绿色生态", "%")
    assert rows["单位GDP能耗降低"].nature == "约束性"
    assert rows["单位GDP能耗降低"].page == 2
    # the running header and page number inside the table are not rows, and the prose after it is not table
    assert lines[spans[0].end].text == "以上指标为规划期内的主要目标。"


TAB_DOC = """
一、发展目标
到2026年，主要目标如下。
领域\t指标\t单位\t2021年\t2026年\t属性
产业\t工业增加值\t亿元\t80\t120\t预期性
\t高新技术企业\t家\t30\t≥60\t预期性
环境\t空气优良天数比例\t%\t—\t90\t约束性
二、重点任务
"""


def test_tab_separated_table_without_title():
    lines = _lines(TAB_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    span = spans[0]
    assert (span.start, span.end) == (2, 6)
    rows = span.table.indicators
    assert [(r.group, r.name, r.values["2026"], r.nature) for r in rows] == [
        ("产业", "工业增加值", "120", "预期性"),
        ("产业", "高新技术企业", "≥60", "预期性"),
        ("环境", "空气优良天数比例", "90", "约束性"),
    ]
    assert rows[1].text == "高新技术企业 家 30 ≥60 预期性"


PROJECT_DOC = """
附件 1 重点建设项目表
序号 项目名称 建设地点 建设内容 建设年限 总投资（亿元） 进展
总计（3个） 12.5
一、基础设施（2个）
1 滨海大道
改造工程 某某经济
开发区 道路改造 5公里。 2021-
2023 8 已开工。
2
污水处理厂
扩建项目

某某经济
开发区

扩建污水处理能力 2万吨/日。

2022 3.5 前期
工作。
<page>
序号 项目名称 建设地点 建设内容 建设年限 总投资（亿元） 进展
二、产业项目（1个）
1 智能装备产业园 某某高新区 建设厂房 3万平方米。 2022-2024 1 在建。
"""


def test_project_list_with_wrapped_cells():
    spans = extract_tables(_lines(PROJECT_DOC), "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    assert table.kind == "project"
    got = [
        (r.category, r.seq, r.name, r.park, r.period, r.investment_wan, r.progress) for r in table.projects
    ]
    assert got == [
        ("基础设施", 1, "滨海大道改造工程", "某某经济开发区", "2021-2023", 80000, "已开工。"),
        ("基础设施", 2, "污水处理厂扩建项目", "某某经济开发区", "2022", 35000, "前期工作。"),
        ("产业项目", 1, "智能装备产业园", "某某高新区", "2022-2024", 10000, "在建。"),
    ]
    assert table.projects[1].content == "扩建污水处理能力 2万吨/日。"
    assert table.stated_total == {
        "count": 3,
        "investment_wan": 125000,
        "categories": {"基础设施": 2, "产业项目": 1},
    }
    assert sum(r.investment_wan for r in table.projects) == table.stated_total["investment_wan"]


UNPARSED_DOC = """
（三）保障措施
表 7：重点任务分工表
任务 牵头单位 配合单位
推进产业升级 市发改委 各区县
强化科技创新 市科技局 市财政局

下一步，各部门要按照分工抓好落实，确保各项任务按期完成。
"""


def test_a_table_no_parser_reads_is_kept_raw():
    lines = _lines(UNPARSED_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    assert table.kind == "unparsed"
    assert "推进产业升级 市发改委 各区县" in table.text
    assert lines[spans[0].end].text.startswith("下一步，各部门")
    assert not table.indicators and not table.projects and not table.summary


def test_a_sentence_mentioning_a_table_is_not_a_table():
    lines = _lines("如表 1 所示，全市经济保持平稳增长，结构持续优化。\n这是第二句。")
    assert extract_tables(lines, "synthetic") == []


FYP_DOC = """
表 1 “十四五”经济社会发展主要指标
类别 指标 2020年 2025年 年均增长[累计] 属性
经济发展
地区生产总值（亿元） 3000 4500 8% 预期性
研发经费投入强度（%） 2.1 2.8 [0.7] 预期性
绿色发展
单位地区生产总值能耗降低（%） —— —— 完成省下达任务 约束性
（一）经济发展
"""


def test_indicator_table_with_a_growth_column_and_units_in_names():
    spans = extract_tables(_lines(FYP_DOC), "synthetic")
    assert len(spans) == 1 and spans[0].end == 7
    rows = {r.name: r for r in spans[0].table.indicators}
    gdp = rows["地区生产总值"]
    assert (gdp.unit, gdp.group, gdp.nature) == ("亿元", "经济发展", "预期性")
    assert gdp.values == {"2020": "3000", "2025": "4500", "年均增长[累计]": "8%"}
    assert rows["研发经费投入强度"].values["年均增长[累计]"] == "[0.7]"
    energy = rows["单位地区生产总值能耗降低"]
    assert (energy.unit, energy.values["年均增长[累计]"], energy.nature) == ("%", "完成省下达任务", "约束性")


NO_PARK_DOC = """
表 3：重大项目表
序号 项目名称 建设内容 建设年限 总投资（万元）
1 智慧城市
一期工程

建设城市大脑平台。

2021-
2023 50000
2 人才公寓 新建公寓 500套。 2022 12000
三、保障措施
"""


def test_project_list_without_a_park_column():
    lines = _lines(NO_PARK_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    got = [(r.seq, r.name, r.park, r.content, r.period, r.investment_wan) for r in spans[0].table.projects]
    assert got == [
        (1, "智慧城市一期工程", None, "建设城市大脑平台。", "2021-2023", 50000),
        (2, "人才公寓", None, "新建公寓 500套。", "2022", 12000),
    ]
    assert lines[spans[0].end].text == "三、保障措施"


TAB_PROJECT_DOC = """
附件 2 重点项目清单
序号\t项目名称\t建设地点\t建设内容\t建设年限\t总投资（亿元）\t进展情况
合计（3个）\t\t\t\t\t6.5
一、产业项目（2个）
1\t新材料产业园\t某某高新区\t建设厂房 5万平方米\t2021—2023年\t4\t在建
2\t数据中心\t某某经济开发区\t机柜 3000个\t2022年\t2\t前期
二、民生项目（1个）
1\t第一中学扩建\t某某镇\t新建教学楼\t2022-2024\t0.5\t
五、保障措施
"""


def test_tab_separated_project_list():
    lines = _lines(TAB_PROJECT_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    assert table.kind == "project"
    got = [
        (r.category, r.seq, r.name, r.park, r.period, r.investment_wan, r.progress) for r in table.projects
    ]
    assert got == [
        ("产业项目", 1, "新材料产业园", "某某高新区", "2021-2023", 40000, "在建"),
        ("产业项目", 2, "数据中心", "某某经济开发区", "2022", 20000, "前期"),
        ("民生项目", 1, "第一中学扩建", "某某镇", "2022-2024", 5000, None),
    ]
    assert table.stated_total == {
        "count": 3,
        "investment_wan": 65000,
        "categories": {"产业项目": 2, "民生项目": 1},
    }
    assert lines[spans[0].end].text == "五、保障措施"


# --- shapes of plan tables beyond the bundled corpus ----------------------------------------------


YEAR_TITLE_DOC = """
二、2023年工作回顾
表2 2023年主要指标完成情况
指标 单位 2022年 2023年
地区生产总值 亿元 2188.5 2315.6
一般公共预算收入 亿元 160.2 171.8
城镇新增就业 万人 5.1 5.3
以上数据为初步统计。
"""


def test_a_caption_whose_title_starts_with_a_year_heads_its_table():
    assert is_table_title("表1 2024年主要预期目标")
    assert is_table_title("表 3：2021—2025年重大项目")
    assert not is_table_title("如表1所示，2024年主要指标均完成。")
    lines = _lines(YEAR_TITLE_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1 and spans[0].table.title == "表2 2023年主要指标完成情况"
    rows = {r.name: r for r in spans[0].table.indicators}
    assert list(rows) == ["地区生产总值", "一般公共预算收入", "城镇新增就业"]
    assert (rows["城镇新增就业"].unit, rows["城镇新增就业"].values) == ("万人", {"2022": "5.1", "2023": "5.3"})
    assert lines[spans[0].end].text == "以上数据为初步统计。"


ALIGNED_DOC = """
表1　某县“十四五”主要指标
指标                            单位      2020年    2025年          属性      备注
经济发展
地区生产总值                    亿元      258.7     360             预期性
居民人均可支配收入增速          %         6.2       与经济增长同步  预期性
绿色生态
单位地区生产总值能源消耗降低    %         〔16.5〕  〔14〕          约束性    五年累计
森林覆盖率                      %         31.2      33              约束性
注：〔〕内为五年累计数。
"""


def test_space_aligned_table_reads_group_rows_text_values_and_a_remarks_column():
    lines = _lines(ALIGNED_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    rows = {r.name: r for r in spans[0].table.indicators}
    assert list(rows) == ["地区生产总值", "居民人均可支配收入增速", "单位地区生产总值能源消耗降低", "森林覆盖率"]
    assert [r.group for r in rows.values()] == ["经济发展", "经济发展", "绿色生态", "绿色生态"]
    assert rows["居民人均可支配收入增速"].values == {"2020": "6.2", "2025": "与经济增长同步"}
    energy = rows["单位地区生产总值能源消耗降低"]
    assert energy.values == {"2020": "〔16.5〕", "2025": "〔14〕", "备注": "五年累计"}
    assert (energy.unit, energy.nature) == ("%", "约束性")
    assert lines[spans[0].end].text.startswith("注：")


GROUP_OR_WRAP_DOC = """
表 2 主要指标
指标 单位 2020年 2025年 属性
一、经济发展
地区生产总值 亿元 300 450 预期性
规模以上工业企业数字化改造
比例 % 35 80 预期性
社会民生
城镇调查失业率 % 4.6 <5.5 预期性
居民人均可支配收入增速 % 6.2 与经济增长同步 预期性
三、重点任务
"""


def test_single_spaced_table_tells_group_rows_from_wrapped_names():
    lines = _lines(GROUP_OR_WRAP_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    got = [(r.group, r.name, r.values["2025"]) for r in spans[0].table.indicators]
    assert got == [
        ("经济发展", "地区生产总值", "450"),
        ("经济发展", "规模以上工业企业数字化改造比例", "80"),
        ("社会民生", "城镇调查失业率", "<5.5"),
        ("社会民生", "居民人均可支配收入增速", "与经济增长同步"),
    ]
    assert lines[spans[0].end].text == "三、重点任务"


BASE_YEAR_DOC = """
表 2 “十四五”主要发展指标
指标名称 2020年（基期） 2025年（目标） 年均增长 属性
地区生产总值（亿元） 520 760 8% 预期性
常住人口城镇化率（%） 58.3 65 〔6.7〕 预期性
单位地区生产总值能耗降低（%） — — 〔14〕 约束性
"""


@pytest.mark.parametrize("tabs", [False, True], ids=["spaces", "tabs"])
def test_indicator_table_with_base_year_target_and_growth_columns(tabs):
    text = BASE_YEAR_DOC
    if tabs:  # the same table from a DOCX: one tab between cells
        text = "\n".join(ln if ln.startswith("表") else ln.replace(" ", "\t") for ln in text.split("\n"))
    spans = extract_tables(_lines(text), "synthetic")
    assert len(spans) == 1
    rows = {r.name: r for r in spans[0].table.indicators}
    assert list(rows) == ["地区生产总值", "常住人口城镇化率", "单位地区生产总值能耗降低"]
    assert (rows["地区生产总值"].unit, rows["地区生产总值"].values) == (
        "亿元", {"2020": "520", "2025": "760", "年均增长": "8%"})
    energy = rows["单位地区生产总值能耗降低"]
    assert (energy.unit, energy.values["年均增长"], energy.nature) == ("%", "〔14〕", "约束性")


STACKED_HEADER_DOC = """
表1 数字经济发展主要指标
指标
单位
2020年
2025年
属性
数字经济规模               亿元      1250.6  2500    预期性
5G基站数                个       2100    8000    预期性
三、重点任务
"""


def test_header_cells_printed_one_per_line_still_head_the_table():
    lines = _lines(STACKED_HEADER_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1 and spans[0].table.kind == "indicator"
    got = [(r.name, r.unit, r.values, r.nature) for r in spans[0].table.indicators]
    assert got == [
        ("数字经济规模", "亿元", {"2020": "1250.6", "2025": "2500"}, "预期性"),
        ("5G基站数", "个", {"2020": "2100", "2025": "8000"}, "预期性"),
    ]
    assert lines[spans[0].end].text == "三、重点任务"


TAB_CATEGORY_DOC = """
表 4 重大项目表
序号\t项目名称\t建设内容\t建设年限\t总投资（亿元）\t“十四五”投资（亿元）\t备注
一、交通基础设施
1\t港区铁路专用线\t新建铁路12公里\t2021-2024\t18\t15.5\t续建
<page>
序号\t项目名称\t建设内容\t建设年限\t总投资（亿元）\t“十四五”投资（亿元）\t备注
2\t城市快速路\t新建快速路8公里\t2022-2025\t12\t12\t新建
二、产业项目
3\t热电联产项目\t新建热电机组2台\t2022-2026\t42\t30\t
合计\t\t\t\t72\t57.5\t
三、保障措施
"""


def test_tab_project_table_with_categories_two_amount_columns_and_a_page_break():
    lines = _lines(TAB_CATEGORY_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    got = [(r.category, r.seq, r.name, r.investment_wan, r.extra, r.progress) for r in table.projects]
    assert got == [
        ("交通基础设施", 1, "港区铁路专用线", 180000, {"“十四五”投资（亿元）": "15.5"}, "续建"),
        ("交通基础设施", 2, "城市快速路", 120000, {"“十四五”投资（亿元）": "12"}, "新建"),
        ("产业项目", 3, "热电联产项目", 420000, {"“十四五”投资（亿元）": "30"}, None),
    ]
    assert table.stated_total["investment_wan"] == sum(r.investment_wan for r in table.projects)
    # the total row stays a row, so the printed total is found like any other row
    assert [(r.label, r.cells) for r in table.summary] == [
        ("合计", {"总投资（亿元）": "72", "“十四五”投资（亿元）": "57.5"})]
    assert "“十四五”投资（亿元） 15.5" in row_text(table, table.projects[0])
    assert lines[spans[0].end].text == "三、保障措施"


SPACE_TWO_AMOUNTS_DOC = """
表 5 重大项目表
单位：亿元
序号 项目名称 建设内容 建设年限 总投资 “十四五”投资
1 港区铁路专用线 新建铁路 12公里。 2021-2024 18 15.5
2 热电联产项目 新建热电机组 2台。 2022-2026 42 30 已开工。
三、保障措施
"""


def test_space_project_table_with_a_unit_note_and_a_second_amount_column():
    lines = _lines(SPACE_TWO_AMOUNTS_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    got = [(r.name, r.period, r.investment_wan, r.extra, r.progress) for r in spans[0].table.projects]
    assert got == [
        ("港区铁路专用线", "2021-2024", 180000, {"“十四五”投资": "15.5"}, None),
        ("热电联产项目", "2022-2026", 420000, {"“十四五”投资": "30"}, "已开工。"),
    ]
    assert lines[spans[0].end].text == "三、保障措施"


TAB_INDICATOR_PAGES_DOC = """
表 1 主要指标
指标\t单位\t2020年\t2025年\t属性\t备注
经济发展
地区生产总值\t亿元\t300\t450\t预期性\t
<page>
指标\t单位\t2020年\t2025年\t属性\t备注
绿色生态
森林覆盖率\t%\t31.2\t33\t约束性\t省下达
四、保障措施
"""


def test_tab_indicator_table_with_merged_group_rows_a_repeated_header_and_remarks():
    lines = _lines(TAB_INDICATOR_PAGES_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    got = [(r.group, r.name, r.values, r.page) for r in spans[0].table.indicators]
    assert got == [
        ("经济发展", "地区生产总值", {"2020": "300", "2025": "450"}, 1),
        ("绿色生态", "森林覆盖率", {"2020": "31.2", "2025": "33", "备注": "省下达"}, 2),
    ]
    assert lines[spans[0].end].text == "四、保障措施"


ALIGNED_PAGES_DOC = """
表 3 主要指标
指标                单位    2020年   2025年
地区生产总值        亿元    300      450
- 3 -
<page>
指标                单位    2020年   2025年
常住人口            万人    152      160
五、组织实施
"""


def test_space_table_continued_on_the_next_page_under_a_repeated_header():
    lines = _lines(ALIGNED_PAGES_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    got = [(r.group, r.name, r.values["2025"], r.page) for r in spans[0].table.indicators]
    assert got == [(None, "地区生产总值", "450", 1), (None, "常住人口", "160", 2)]
    assert lines[spans[0].end].text == "五、组织实施"


INVESTMENT_FIRST_DOC = """
表2 重点建设项目表
序号 项目名称 建设内容 总投资（亿元） “十四五”投资（亿元） 建设年限
一、交通基础设施
1 滨海大道快速化改造工程 改造道路12.6公里，新建互通立交2座 38.5 30 2021—2023
2 港区二期码头工程 新建5万吨级泊位4个 46.2 46.2 2022—2025
二、产业项目
3 新能源汽车零部件产业园 建设动力电池包生产基地 55 40 2021—2024
合计 139.7 116.2
第三章 保障措施
"""


def test_space_project_table_with_investment_printed_before_the_period():
    lines = _lines(INVESTMENT_FIRST_DOC)
    spans = extract_tables(lines, "synthetic")
    assert len(spans) == 1
    table = spans[0].table
    got = [(r.category, r.seq, r.name, r.content, r.period, r.investment_wan, r.extra) for r in table.projects]
    assert got == [
        ("交通基础设施", 1, "滨海大道快速化改造工程", "改造道路12.6公里，新建互通立交2座", "2021-2023", 385000,
         {"“十四五”投资（亿元）": "30"}),
        ("交通基础设施", 2, "港区二期码头工程", "新建5万吨级泊位4个", "2022-2025", 462000,
         {"“十四五”投资（亿元）": "46.2"}),
        ("产业项目", 3, "新能源汽车零部件产业园", "建设动力电池包生产基地", "2021-2024", 550000,
         {"“十四五”投资（亿元）": "40"}),
    ]
    assert table.stated_total["investment_wan"] == 1397000
    assert lines[spans[0].end].text == "第三章 保障措施"


def test_tab_rows_that_lost_empty_cells_at_either_end_keep_their_columns():
    text = "\n".join([
        "表 6 主要指标",
        "类别\t指标\t单位\t2020年\t2025年\t属性",
        "经济\t地区生产总值\t亿元\t300\t450\t预期性",
        "高新技术企业\t家\t30\t60\t预期性",  # empty 类别 cell stripped at the start
        "民生\t城镇新增就业\t万人\t5\t6",  # empty 属性 cell stripped at the end
    ])
    spans = extract_tables(_lines(text), "synthetic")
    got = [(r.group, r.name, r.unit, r.values, r.nature) for r in spans[0].table.indicators]
    assert got == [
        ("经济", "地区生产总值", "亿元", {"2020": "300", "2025": "450"}, "预期性"),
        ("经济", "高新技术企业", "家", {"2020": "30", "2025": "60"}, "预期性"),
        ("民生", "城镇新增就业", "万人", {"2020": "5", "2025": "6"}, None),
    ]


def test_a_remarks_column_beside_a_progress_column_is_kept_as_an_extra_cell():
    text = "\n".join([
        "表 4 项目表",
        "序号\t项目名称\t总投资（万元）\t建设年限\t进展情况\t备注",
        "1\t甲工程\t500\t2021\t在建\t市级重点",
        "2\t乙工程\t300\t2022\t前期",
    ])
    table = extract_tables(_lines(text), "synthetic")[0].table
    got = [(r.name, r.investment_wan, r.progress, r.extra) for r in table.projects]
    assert got == [("甲工程", 500, "在建", {"备注": "市级重点"}), ("乙工程", 300, "前期", {})]
