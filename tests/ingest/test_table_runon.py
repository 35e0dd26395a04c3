"""Indicator tables whose cells run together in one line are read by their header's columns."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Line
from ingest.pipeline import parse_document
from ingest.table_runon import split_runon_tables

PLANS_DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "plans-dev" / "docs"

BOX = ("专栏2 某区“十五五”时期主要目标 分类序号指标名称单位2025年2030年指标属性绝对值绝对值年均增速[累计]"
       "产业发展1工业增加值占GDP比重%9.014.0[5]预期性2旅游总收入亿元5015024.6%预期性"
       "36G用户普及率%1060[50]预期性民生保障4城镇新增就业人数人21002600 预期性"
       "5每千人口拥有3岁以下婴幼儿托位数个 0.5 预期性6森林覆盖率%38.8540.0[1.15]约束性")
PROSE = "注：表中“[ ]”内的数字为五年累计数。第三章 建设现代产业体系 坚持把发展经济的着力点放在实体经济上。"


def test_run_together_rows_by_the_header_pattern():
    lines, spans = split_runon_tables([Line("到2030年，全面建成现代化强区。 " + BOX + PROSE, 1)], "d")
    assert [ln.text for ln in lines] == ["到2030年，全面建成现代化强区。", "专栏2 某区“十五五”时期主要目标",
                                         BOX[len("专栏2 某区“十五五”时期主要目标 "):], PROSE]
    (start, end, table), = spans
    assert (start, end, table.title, table.kind) == (1, 3, "专栏2 某区“十五五”时期主要目标", "indicator")
    rows = [(r.group, r.name, r.unit, r.values, r.nature) for r in table.indicators]
    assert rows == [
        ("产业发展", "工业增加值占GDP比重", "%", {"2025": "9.0", "2030": "14.0", "年均增速": "[5]"}, "预期性"),
        ("产业发展", "旅游总收入", "亿元", {"2025": "50", "2030": "150", "年均增速": "24.6%"}, "预期性"),
        ("产业发展", "6G用户普及率", "%", {"2025": "10", "2030": "60", "年均增速": "[50]"}, "预期性"),
        ("民生保障", "城镇新增就业人数", "人", {"2025": "2100", "2030": "2600"}, "预期性"),
        ("民生保障", "每千人口拥有3岁以下婴幼儿托位数", "个", {"2030": "0.5"}, "预期性"),
        ("民生保障", "森林覆盖率", "%", {"2025": "38.85", "2030": "40.0", "年均增速": "[1.15]"}, "约束性"),
    ]


def test_caption_glued_to_header_and_bounds_without_growth():
    text = ("表3 “十五五”时期教育规划指标序号指标单位2025年2030年属性1学前教育入园率%98≥99预期性"
            "2普通高中在校生人71708000预期性3职工医保住院费用基金支付比例%8486左右预期性4城镇登记失业率%3.12＜3.5预期性"
            "医疗卫生服务提质增效。围绕构建大健康格局，基本建立健康促进政策体系。")
    lines, spans = split_runon_tables([Line(text, 2)], "d")
    (_, _, table), = spans
    assert table.title == "表3 “十五五”时期教育规划指标"
    assert [r.values for r in table.indicators] == [
        {"2025": "98", "2030": "≥99"}, {"2025": "7170", "2030": "8000"}, {"2025": "84", "2030": "86左右"},
        {"2025": "3.12", "2030": "＜3.5"}]
    assert lines[-1].text.startswith("医疗卫生服务提质增效。")


def test_a_sentence_about_indicators_is_not_a_table():
    text = "各单位要按照指标分类序号逐项落实，单位负责人对2025年目标负责。" * 10
    lines, spans = split_runon_tables([Line(text, 1)], "d")
    assert spans == [] and [ln.text for ln in lines] == [text]


def test_real_box_and_tables():
    box = parse_document(PLANS_DEV / "doc_pingtan_shisiwu_gangyao.txt").tables
    assert [(t.kind, len(t.indicators)) for t in box] == [("indicator", 42)]
    assert all(r.unit or r.name.endswith("）") for r in box[0].indicators)
    assert box[0].indicators[1].values == {"2020": "50", "2025": "150", "年均增速": "24.6%"}
    assert box[0].indicators[18].name == "5G用户普及率"
    social = parse_document(PLANS_DEV / "doc_pingtan_shehuishiye.txt").tables
    assert [(t.title[:3], len(t.indicators)) for t in social] == [("表1 ", 11), ("表2 ", 9), ("表3 ", 3), ("表4 ", 9),
                                                                   ("表5 ", 12)]
    for t in social:
        assert all(r.unit and "2025" in r.values and r.nature in ("预期性", "约束性") for r in t.indicators)


def test_row_chunk_carries_the_printed_row(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text("某区规划 一、发展目标 到2030年，全面建成现代化强区。 " + BOX + PROSE + "持续推进。" * 200, encoding="utf-8")
    doc = parse_document(p)
    rows = [c for c in doc.chunks if c.kind == "table_row"]
    assert len(rows) == 6
    assert any(c.text.endswith("\n2旅游总收入亿元5015024.6%预期性") for c in rows)
