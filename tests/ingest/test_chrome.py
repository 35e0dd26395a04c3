"""Web pages and crawler dumps lose their furniture and keep every character of their body."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chrome import strip_chrome
from ingest.clean import match_form
from ingest.pipeline import parse_document

HEADER = ("标题: 某区关于印发《某区交通规划》的通知\n发布时间: 2030-01-02 09:00\n发布机构: 某区交通局\n"
          "栏目: 规划信息\n原文链接: https://example.org/a.htm\n==================== 正文 ====================\n")
FOOTER = ("责任编辑：\n王五\n扫一扫在手机打开当前页\n相关链接>>\nabcd39f1fb7f426d9dfb6bd0fa1f2146:\n"
          "某区召开交通工作会议\n打印本页\n关闭窗口\n某区交通规划\n各单位：现将规划印发给你们。\n")
LONG = "到2035年，建成布局合理、功能完善的综合交通网络，" * 8 + "全面支撑经济社会发展。"


def test_crawler_header_fields_are_kept_and_lines_removed():
    body, chrome = strip_chrome(HEADER + "一、总体要求\n到2035年，公路里程达到500公里。\n")
    assert body.strip().startswith("一、总体要求")
    assert chrome.fields["发布机构"] == "某区交通局" and chrome.fields["发布时间"].startswith("2030-01-02")


def test_page_furniture_lines_go_and_the_page_footer_with_its_repeats():
    page = ("某区交通规划\n2030年01月02日 09时00分\n来源:\n某区日报\n【字体：\n大\n中\n小\n】\n分享：\n"
            "各单位：现将规划印发给你们。\n一、发展目标\n来源于群众的意见要认真研究。\n" + LONG + "\n" + FOOTER)
    body, chrome = strip_chrome(page)
    lines = [ln for ln in body.split("\n") if ln.strip()]
    assert lines == ["某区交通规划", "各单位：现将规划印发给你们。", "一、发展目标", "来源于群众的意见要认真研究。", LONG]
    assert chrome.fields["来源"] == "某区日报"


def test_one_line_body_loses_navigation_and_download_furniture():
    body_text = "某县2030年计划执行情况的报告 各位代表：" + "全年地区生产总值增长6%。" * 80
    line = ("当前位置： 首页政务公开规划信息 某县2030年计划执行情况的报告 时间：2031-01-05 10:00 微信 微博 QQ空间 "
            + body_text + " 来源：某县发改局 附件下载")
    body, chrome = strip_chrome(line)
    assert body.strip() == body_text
    assert chrome.fields["来源"] == "某县发改局"


def test_footer_marker_followed_by_body_text_is_kept():
    text = "一、总体要求\n打印本页\n" + "全面推进乡村振兴，" * 30 + "。\n"
    body, _ = strip_chrome(text)
    assert body == text.replace("\n打印本页", "")


_CJK = st.text(alphabet=st.sampled_from("发展规划目标产业建设推进实施全面提升创新来源打印关闭分享"), min_size=4, max_size=40)
_SENT = st.builds(lambda a, b: f"{a}，{b}。", _CJK, _CJK)
_CHROME = st.sampled_from(["打印本页", "关闭窗口", "【字体：大 中 小】", "分享到：", "扫一扫在手机打开当前页", "附件下载",
                           "来源：某某日报", "当前位置：首页 > 政务公开"])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(_SENT, min_size=1, max_size=8), st.lists(_CHROME, max_size=4), st.booleans(), st.booleans())
def test_no_body_sentence_is_lost(sentences, furniture, header, one_line):
    body = " ".join(sentences) if one_line else "\n".join(sentences)
    if one_line:
        body = body * (1 + 900 // max(len(body), 1))
    mixed = (HEADER if header else "") + "\n".join(furniture) + "\n" + body + "\n" + "\n".join(furniture[:1])
    kept, _ = strip_chrome(mixed)
    assert match_form(body) in match_form(kept)


def test_pipeline_title_is_not_a_crawler_line(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(HEADER + "各单位：现将《某区交通规划》印发给你们。 一、总体要求 到2035年，公路里程达到500公里。" * 30,
                 encoding="utf-8")
    doc = parse_document(p)
    assert doc.title == "某区交通规划"
    assert "栏目" not in doc.text and "原文链接" not in doc.text
