"""Section trees from the numbering styles of Chinese plans, run-in headings and 目录 blocks."""

from __future__ import annotations

from pathlib import Path

from ingest.model import Paragraph
from ingest.pipeline import parse_document
from ingest.structure import assign_sections, build_sections, parse_heading, render_tree


def _paras(*texts: str) -> list[Paragraph]:
    out, offset = [], 0
    for t in texts:
        out.append(Paragraph(t, 1, 1, start=offset, end=offset + len(t)))
        offset += len(t) + 1
    return out


def _paths(*texts: str) -> list[str]:
    return [s.path for s in build_sections("d", _paras(*texts))]


def test_plan_numbering_nests_in_order_of_first_appearance() -> None:
    paths = _paths("三、实施工业强市战略", "（一）做大做强三大基础产业", "1. 食品工业", "①发展方向", "正文。",
                   "②发展重点", "2．清洁能源", "（1）海上风电", "（二）加快培育三大新兴产业", "四、保障措施")
    assert paths == [
        "三、实施工业强市战略",
        "三、实施工业强市战略 > （一）做大做强三大基础产业",
        "三、实施工业强市战略 > （一）做大做强三大基础产业 > 1. 食品工业",
        "三、实施工业强市战略 > （一）做大做强三大基础产业 > 1. 食品工业 > ①发展方向",
        "三、实施工业强市战略 > （一）做大做强三大基础产业 > 1. 食品工业 > ②发展重点",
        "三、实施工业强市战略 > （一）做大做强三大基础产业 > 2．清洁能源",
        "三、实施工业强市战略 > （一）做大做强三大基础产业 > 2．清洁能源 > （1）海上风电",
        "三、实施工业强市战略 > （二）加快培育三大新兴产业",
        "四、保障措施",
    ]


def test_chapters_and_sections_above_cn_numbering() -> None:
    secs = build_sections("d", _paras("第一章 总体要求", "第一节 发展基础", "一、经济实力", "正文。", "第二节 发展环境",
                                      "第二章 空间格局"))
    assert [(s.level, s.marker, s.title) for s in secs] == [
        (1, "第一章", "总体要求"), (2, "第一节", "发展基础"), (3, "一、", "经济实力"), (2, "第二节", "发展环境"),
        (1, "第二章", "空间格局")]
    assert secs[2].parent_id == secs[1].id and secs[4].parent_id is None


def test_run_in_headings_are_split_at_the_first_full_stop() -> None:
    h = parse_heading("（1）着力推进传统制造业转型升级。推动装备制造业向高端化发展，建设先进装备制造业基地。")
    assert (h.kind, h.marker, h.title) == ("paren_num", "（1）", "着力推进传统制造业转型升级")
    lead = parse_heading("新能源产业。集中力量突破技术瓶颈，显著提升风能、太阳能和核电技术产业的研发能力。")
    assert lead is not None and lead.title == "新能源产业" and lead.marker == ""
    dash = parse_heading("——核电。立足大连市现有核电装备产业基础，加速推进庄河核电项目建设。")
    assert dash is not None and dash.title == "——核电"


def test_body_text_that_starts_with_numbers_is_not_a_heading() -> None:
    for text in ("8.5%，城镇常住居民人均可支配收入年均增长 6.5%。", "2018 年全市户籍人口 594.9万。",
                 "（一）示范园区 51 1920967 15 1045000 7 118897", "完成。", "1、" + "很长的正文" * 20,
                 "表 1 为近年指标。这一段是正文而不是表题，说明了指标的来源和口径。"):
        assert parse_heading(text) is None, text


def test_boxes_captions_and_annexes() -> None:
    secs = build_sections("d", _paras(
        "一、经济实力", "专栏1 重大工程", "（1）沿海高速公路。建设沿海高速公路300公里。", "（2）港口扩建工程。",
        "二、创新能力", "图 1：大连市行政区划图", "表 3：产业转型升级示范区目标指标表", "附件 3产业转型升级示范区重点项目库"))
    paths = [s.path for s in secs]
    assert "一、经济实力 > 专栏1 重大工程 > （1）沿海高速公路" in paths
    assert "二、创新能力 > 图 1：大连市行政区划图" in paths
    assert "二、创新能力 > 表 3：产业转型升级示范区目标指标表" in paths
    assert paths[-1] == "附件 3产业转型升级示范区重点项目库"


def test_text_after_a_figure_caption_belongs_to_the_enclosing_section() -> None:
    paras = _paras("一、总体情况", "图 1：大连市行政区划图", "大连市是我国北方沿海重要中心城市，是我国计划单列市之一。")
    secs, owner = assign_sections("d", paras)
    assert secs[owner[2]].path == "一、总体情况"


def test_table_of_contents_is_not_a_section_tree() -> None:
    paras = _paras("某市规划", "目 录", "一、发展现状", "（一）十三五发展回顾", "二、发展目标", "一、发展现状",
                   "（一）“十三五”发展回顾", "正文。", "二、发展目标")
    secs, owner = assign_sections("d", paras)
    assert [s.path for s in secs] == ["一、发展现状", "一、发展现状 > （一）“十三五”发展回顾", "二、发展目标"]
    assert secs[0].start == paras[5].start
    assert owner[:5] == [None] * 5


def test_named_parts_are_siblings_of_top_level_headings() -> None:
    assert _paths("前言", "正文。", "一、总体情况", "（一）城市简况") == [
        "前言", "一、总体情况", "一、总体情况 > （一）城市简况"]


def test_render_tree_indents_by_level_with_pages(tmp_path: Path) -> None:
    f = tmp_path / "plan.md"
    f.write_text("测试市发展规划\n\n第一章 总体要求\n\n第一节 发展基础\n\n经济平稳增长。\n\n第二章 空间格局\n", encoding="utf-8")
    doc = parse_document(f)
    tree = render_tree(doc).split("\n")
    assert tree[1] == "第一章 总体要求  [p.1]"
    assert tree[2] == "  第一节 发展基础  [p.1]"
    assert tree[3] == "第二章 空间格局  [p.1]"
    assert "Tables (0):" in tree


def test_markdown_headings_nest_by_level() -> None:
    assert _paths("# 测试市发展规划", "## 发展目标", "正文。", "### 工业目标", "## 重点任务") == [
        "测试市发展规划", "测试市发展规划 > 发展目标", "测试市发展规划 > 发展目标 > 工业目标", "测试市发展规划 > 重点任务"]
    assert _paths("## 一、总体要求", "（一）指导思想") == ["一、总体要求", "一、总体要求 > （一）指导思想"]
