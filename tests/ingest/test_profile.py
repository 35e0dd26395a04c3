"""A document's profile is read from the document itself: its crawler header, its 印发 notice, its
title lines, the meeting line of a report and its headings — never from the file name.

Small synthetic documents pin each rule; the real documents of plans-dev and the bundled corpus
pin the whole profile (title, place, doc_type, period / report_year)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import BUNDLED_CORPUS, parse_document

ROOT = Path(__file__).resolve().parents[2]
PLANS_DEV = ROOT / "eval" / "data" / "plans-dev" / "docs"


def _doc(tmp_path: Path, text: str, name: str = "x.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return parse_document(p)


def test_crawler_header_gives_title_date_issuer_and_is_not_text(tmp_path):
    doc = _doc(tmp_path, (
        "标题: 某市人民政府关于印发《某市数字经济发展“十四五”规划》的通知\n发布时间: 2022-03-01 10:00\n"
        "发布机构: 某市人民政府办公室\n栏目: 中长期发展规划\n==================== 正文 ====================\n"
        "各区人民政府：现将《某市数字经济发展“十四五”规划》印发给你们，请认真贯彻落实。\n"
        "一、发展基础\n“十三五”期间，全市数字经济规模达到100亿元。\n"))
    prof = doc.profile
    assert doc.title == prof.title.value == "某市数字经济发展“十四五”规划"
    assert prof.title.source.startswith("标题:")
    assert (prof.issuer.value, prof.place.value) == ("某市人民政府办公室", "某市")
    assert (prof.doc_type.value, prof.period.value) == ("专项规划", "2021-2025")
    assert prof.date.value == "2022-03-01"
    assert "栏目" not in doc.text and "正文 ===" not in doc.text


def test_work_report_years_from_meeting_line_and_headings(tmp_path):
    doc = _doc(tmp_path, (
        "政府工作报告\n——2031年1月20日在某某省第十届人民代表大会第三次会议上\n某某省省长 张三\n各位代表：\n"
        "现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2030年工作回顾\n过去一年，全省地区生产总值增长5.2%。\n"
        "二、今年主要目标\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n"))
    prof = doc.profile
    assert prof.title.value == "政府工作报告"  # never 各位代表： nor the meeting line
    assert (prof.doc_type.value, prof.place.value, prof.issuer.value) == ("政府工作报告", "某某省", "某某省人民政府")
    assert (prof.report_year.value, prof.review_year.value) == ("2031", "2030")
    assert prof.review_year.source == "一、2030年工作回顾"
    assert prof.date.value == "2031年1月20日"


def test_plan_report_years_from_its_title(tmp_path):
    doc = _doc(tmp_path, (
        "关于某县2040年国民经济和社会发展计划执行情况及2041年国民经济和社会发展计划草案的报告\n各位代表：\n"
        "一、2040年计划执行情况\n全年完成地区生产总值80亿元。\n"))
    prof = doc.profile
    assert prof.doc_type.value == "计划执行情况报告"
    assert (prof.report_year.value, prof.review_year.value, prof.place.value) == ("2041", "2040", "某县")


def test_notice_publishing_two_texts_names_both(tmp_path):
    doc = _doc(tmp_path, (
        "某省人民政府办公厅关于印发支持甲产业发展若干政策和某省乙产业行动计划（2031—2033年）的通知\n"
        "各市人民政府：\n《支持甲产业发展若干政策》《某省乙产业行动计划（2031—2033年）》已经省政府同意，现印发给你们。\n"
        "某省人民政府办公厅\n2031年5月6日\n一、总体要求\n到2033年，乙产业规模达到500亿元。\n"))
    prof = doc.profile
    assert prof.title.value == "支持甲产业发展若干政策和某省乙产业行动计划（2031—2033年）"
    assert (prof.doc_type.value, prof.period.value) == ("行动计划", "2031-2033")
    assert (prof.issuer.value, prof.place.value, prof.date.value) == ("某省人民政府办公厅", "某省", "2031年5月6日")


def test_one_line_dump_title_ends_at_the_gap(tmp_path):
    doc = _doc(tmp_path, "关于做好春季农业生产工作的通知     各乡镇：为做好春季农业生产，现就有关事项通知如下。"
                         + "一是抓好备耕。" * 150)
    assert doc.title == "关于做好春季农业生产工作的通知"
    assert doc.profile.place.value == ""  # 关于… names no place


def test_news_headline_is_no_place(tmp_path):
    doc = _doc(tmp_path, "某某省际客运恢复运营\n记者从交通部门获悉，省际客运班线今日起恢复运营。\n")
    assert doc.profile.place.value == ""


def test_html_title_without_site_name(tmp_path):
    doc = _doc(tmp_path, "<html><head><title>某市城市更新行动方案_某市人民政府门户网站</title></head>"
                         "<body><p>一、工作目标</p><p>到2030年，完成老旧小区改造100个。</p></body></html>", "p.html")
    assert doc.title == "某市城市更新行动方案"
    assert doc.profile.doc_type.value == "行动计划"


# --- the real documents -----------------------------------------------------------------------

# (title, place, doc_type, period, report_year, review_year)
EXPECTED = {
    BUNDLED_CORPUS / "dalian-coastal-transformation-2019.txt":
        ("大连沿海产业转型升级示范区建设方案", "大连沿海产业转型升级示范区", "建设方案", "", "", ""),
    BUNDLED_CORPUS / "zhuanghe-industry-tech-14th-fyp-2022.txt":
        ("庄河市工业经济和科技发展“十四五”规划", "庄河市", "专项规划", "2021-2025", "", ""),
    PLANS_DEV / "anhui-industrial-internet-action-plan-2021.txt":
        ("支持工业互联网发展若干政策和安徽省工业互联网创新发展行动计划(2021—2023年)", "安徽省", "行动计划",
         "2021-2023", "", ""),
    PLANS_DEV / "chongqing-gov-work-report-2025.docx":
        ("2025年重庆市政府工作报告", "重庆市", "政府工作报告", "", "2025", "2024"),
    PLANS_DEV / "fujian-gov-work-report-2025.docx":
        ("2025年福建省政府工作报告", "福建省", "政府工作报告", "", "2025", "2024"),
    PLANS_DEV / "guangdong-gov-work-report-2026.txt":
        ("政府工作报告", "广东省", "政府工作报告", "", "2026", "2025"),
    PLANS_DEV / "doc_sichuan_zfgzbg2026.txt":
        ("2026年四川省人民政府工作报告", "四川省", "政府工作报告", "", "2026", "2025"),
    PLANS_DEV / "pingtan-county-plan-report-2017.txt":
        ("关于平潭县2016年国民经济和社会发展计划执行情况及2017年国民经济和社会发展计划(草案)的报告", "平潭县",
         "计划执行情况报告", "", "2017", "2016"),
    PLANS_DEV / "doc_pingtan_caizheng.txt":
        ("平潭综合实验区财政发展第十四个五年规划（2021—2025年）", "平潭综合实验区", "专项规划", "2021-2025", "", ""),
    PLANS_DEV / "doc_pingtan_shehuishiye.txt":
        ("平潭综合实验区“十四五”社会事业发展专项规划", "平潭综合实验区", "专项规划", "2021-2025", "", ""),
    PLANS_DEV / "doc_pingtan_shisiwu_gangyao.txt":
        ("平潭综合实验区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "平潭综合实验区", "规划纲要",
         "2021-2025", "", ""),
}


@pytest.mark.parametrize("path", sorted(EXPECTED), ids=lambda p: p.stem)
def test_real_document_profile(path: Path):
    prof = parse_document(path).profile
    got = (prof.title.value, prof.place.value, prof.doc_type.value, prof.period.value, prof.report_year.value,
           prof.review_year.value)
    assert got == EXPECTED[path]
    for f in (prof.title, prof.place, prof.doc_type):
        assert f.source, "every known field says where it came from"
