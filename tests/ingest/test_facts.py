"""Targets and figures stated in prose become fact records with their year, kind and quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import parse_document

PLANS_DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "plans-dev" / "docs"

REPORT = ("2031年某某省政府工作报告\n——2031年1月20日在某某省第十届人民代表大会第三次会议上\n各位代表：\n"
          "一、2030年工作回顾\n全省地区生产总值57761亿元、增长5.5%，城镇、农村居民人均可支配收入分别增长4.6%、6.7%。\n"
          "实施2205项省重点技改项目。\n"
          "二、今年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业85万人以上，"
          "居民消费价格涨幅2%左右，粮食产量511万吨以上。\n到2035年，人均地区生产总值达到中等发达国家水平。\n")


def _facts(tmp_path: Path, text: str):
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    return parse_document(p)


def test_target_list_of_the_report_year(tmp_path):
    doc = _facts(tmp_path, REPORT)
    targets = [(f.measure, f.value, f.unit, f.qualifier, f.year) for f in doc.facts if f.kind == "target"]
    assert targets == [("地区生产总值增长", "5", "%", "左右", "2031"), ("城镇新增就业", "85", "万人", "以上", "2031"),
                       ("居民消费价格涨幅", "2", "%", "左右", "2031"), ("粮食产量", "511", "万吨", "以上", "2031")]
    gdp = doc.facts[[f.kind for f in doc.facts].index("target")]
    assert gdp.year_source in ("profile", "heading") and gdp.place == "某某省"
    assert doc.text[gdp.start:gdp.end] == gdp.quote == "地区生产总值增长5%左右"
    assert gdp.section.startswith("二、今年工作安排")


def test_review_figures_are_actuals_of_the_review_year(tmp_path):
    doc = _facts(tmp_path, REPORT)
    actual = [(f.measure, f.value, f.unit, f.year) for f in doc.facts if f.kind == "actual"]
    assert actual[:4] == [("地区生产总值", "57761", "亿元", "2030"), ("地区生产总值增长", "5.5", "%", "2030"),
                          ("城镇、农村居民人均可支配收入增长", "4.6", "%", "2030"),
                          ("城镇、农村居民人均可支配收入增长", "6.7", "%", "2030")]
    assert ("实施省重点技改项目", "2205", "项", "2030") in actual  # the counted thing follows the figure


def test_plan_target_year_from_the_sentence(tmp_path):
    doc = _facts(tmp_path, "某市工业发展“十四五”规划\n一、发展目标\n到2025年，规模以上工业总产值达到300亿元，"
                           "研发经费投入强度不低于2.5%。\n“十三五”期间，全市工业增加值年均增长6.1%。\n")
    got = [(f.measure, f.value, f.unit, f.qualifier, f.year, f.year_source, f.kind) for f in doc.facts]
    assert got == [("规模以上工业总产值", "300", "亿元", None, "2025", "sentence", "target"),
                   ("研发经费投入强度", "2.5", "%", "不低于", "2025", "sentence", "target"),
                   ("工业增加值年均增长", "6.1", "%", None, "2016-2020", "sentence", "actual")]


def test_dates_and_years_are_not_figures(tmp_path):
    doc = _facts(tmp_path, "某县计划\n一、总体要求\n2031年3月5日，县政府召开会议，部署2031年重点工作。\n")
    assert doc.facts == []


def test_fact_chunks_quote_the_document(tmp_path):
    doc = _facts(tmp_path, REPORT)
    chunks = [c for c in doc.chunks if c.kind == "fact"]
    assert chunks and all(doc.text[c.start:c.end] == c.text for c in chunks)
    assert [c.text for c in chunks] == ["今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业85万人以上，"
                                        "居民消费价格涨幅2%左右，粮食产量511万吨以上。"]  # targets only, whole sentence
    assert chunks[0].meta["years"] == ["2031"] and len(chunks[0].meta["facts"]) == 4


# each work report's main expected targets for its report year
MAIN_TARGETS = {
    "fujian-gov-work-report-2025.docx": ("2025", [
        ("地区生产总值增长", "5.0—5.5", "%"), ("固定资产投资增长", "5", "%"), ("社会消费品零售总额增长", "5.5", "%"),
        ("出口增长", "3", "%"), ("城镇调查失业率", "5", "%"), ("居民消费价格涨幅", "2", "%"), ("粮食产量", "511", "万吨")]),
    "chongqing-gov-work-report-2025.docx": ("2025", [
        ("地区生产总值增长", "6", "%"), ("固定资产投资增长", "5", "%"), ("城镇新增就业", "65", "万人"),
        ("一般公共预算收入增长", "4.5", "%"), ("居民消费价格涨幅", "2", "%"), ("单位地区生产总值能耗下降", "2.5", "%")]),
    "doc_sichuan_zfgzbg2026.txt": ("2026", [
        ("地区生产总值增长", "5.5", "%"), ("城镇新增就业", "85", "万人"), ("城镇调查失业率", "5.5", "%"),
        ("居民消费价格涨幅", "2", "%"), ("地方一般公共预算收入增长", "2", "%"), ("粮食产量", "730", "亿斤")]),
    "guangdong-gov-work-report-2026.txt": ("2026", [
        ("地区生产总值增长", "4.5—5", "%"), ("地方一般公共预算收入增长", "3", "%")]),
    "pingtan-county-plan-report-2017.txt": ("2017", [
        ("地区生产总值增长", "9.5", "%"), ("工业增加值下降", "11.5", "%"), ("固定资产投资", "467", "亿元"),
        ("旅游总收入", "17.0", "亿元"), ("城镇登记失业率", "3.5", "%"), ("人口自然增长率", "15.0", "‰")]),
}


@pytest.mark.parametrize("name", sorted(MAIN_TARGETS))
def test_work_report_main_targets(name: str):
    year, expected = MAIN_TARGETS[name]
    doc = parse_document(PLANS_DEV / name)
    got = {(f.measure, f.value, f.unit) for f in doc.facts if f.kind == "target" and f.year == year}
    assert [e for e in expected if e not in got] == []


def test_plan_figures_are_goals_and_growth_follows_its_figure(tmp_path):
    doc = _facts(tmp_path, "某区数字经济行动计划（2031—2033年）\n二、主要目标\n新增上云企业2万家。面向3万名专业技术人才开展培训。\n"
                           "三、发展基础\n2030年GDP达到301.43亿元、年均增长7.1%，地区生产总值从11.37万亿元提高到14.58万亿元。\n")
    got = [(f.measure, f.value, f.unit, f.kind) for f in doc.facts]
    assert got[:2] == [("新增上云企业", "2", "万家", "target"), ("面向专业技术人才", "3", "万名", "target")]
    assert got[2:] == [("GDP", "301.43", "亿元", "actual"), ("GDP年均增长", "7.1", "%", "actual"),
                       ("地区生产总值", "11.37", "万亿元", "actual"), ("地区生产总值", "14.58", "万亿元", "actual")]


def test_glossary_figures_are_no_facts(tmp_path):
    doc = _facts(tmp_path, REPORT + "名词解释\n1.“灯塔工厂”：自2018年启动评选以来，已评出189家。\n")
    assert not any("灯塔" in f.quote or f.value == "189" for f in doc.facts)
