"""Cleaning and reflow: wraps are joined, paragraph breaks and every body character are kept."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ingest.clean import clean, match_form, reflow, to_lines
from ingest.loaders import LoadedText


def _loaded(text: str) -> LoadedText:
    return LoadedText(text, None, None, "txt")


def _wrap(paragraph: str, width: int = 26) -> list[str]:
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)]


def _pdf_dump(paragraphs: list[str], page_every: int = 0) -> str:
    """Text the way the bundled corpus looks: 26-character lines with blank lines between them,
    a page starting with a line that begins with one space."""
    out: list[str] = []
    n = 0
    for p in paragraphs:
        for line in _wrap(p):
            n += 1
            if page_every and n % page_every == 0:
                out.append(" " + line)
            else:
                out.append(line)
            out.append("")
    return "\n".join(out)


P1 = ("大连市是我国北方沿海和东北地区重要中心城市，是我国计划单列市之一。陆域面积一万两千五百平方公里，"
      "下辖七个区，两个县级市，一个县。")
P2 = "大连市工业历史悠久、基础雄厚，始终是我国重要的工业基地，石油化工、造船、机车等生产规模在全国同行业位居第一。"


def test_wrapped_lines_with_blank_lines_between_them_are_rejoined() -> None:
    paras = reflow(to_lines(_loaded(_pdf_dump([P1, P2]))))
    assert [p.text for p in paras] == [P1, P2]


def test_pages_are_counted_from_lines_starting_with_a_space() -> None:
    text = _pdf_dump([P1, P2], page_every=3)
    lines = to_lines(_loaded(text))
    assert lines[0].page == 1
    assert lines[2].page == 2 and lines[1].page == 1
    paras = reflow(lines)
    assert paras[0].page_start == 1 and paras[0].page_end == 2
    # the page of a character inside a paragraph is known
    at = P1.index(_wrap(P1)[2])
    assert paras[0].page_at(at) == 2 and paras[0].page_at(at - 1) == 1


def test_running_header_and_page_number_lines_are_removed() -> None:
    body = [f"第{n}段" + (P1 if n % 2 else P2) for n in range(8)]
    chunks = []
    for n, p in enumerate(body, start=1):
        chunks.append(_pdf_dump([p]))
        if n % 2 == 0:
            chunks.append(f"\n\n\n测试市沿海产业发展方案\n\n{10 + n}\n")
    text = "\n".join(chunks)
    # every header sits on a different page
    text = re.sub(r"\n测试市沿海", "\n 测试市沿海", text)
    cleaned = clean(_loaded(text))
    texts = [ln.text for ln in cleaned.lines]
    assert "测试市沿海产业发展方案" not in texts
    assert not any(re.fullmatch(r"\d+", t) for t in texts)
    assert cleaned.running_headers == ["测试市沿海产业发展方案"]


def test_repeated_table_cells_next_to_row_numbers_are_kept() -> None:
    rows = []
    for n in range(1, 5):
        rows += [str(n), "大连港庄河港区将", f"建设第{n}号泊位工程。"]
    cleaned = clean(_loaded("\n".join(rows)))
    assert [ln.text for ln in cleaned.lines].count("大连港庄河港区将") == 4


def test_footnote_at_page_bottom_does_not_glue_marker_to_year() -> None:
    text = "\n".join([
        "加快推进“两先区”1建设，落实辽宁自由贸易试验区重点任务，", "",
        "力争为老工业城市现代产业体系构建和可持续发展做出示范，力争为老工", "",
        "12013年 8月，习近平总书记视察辽宁时，要求大连建成产业结构优化的先导区。",
        " 业城市现代产业体系构建做出示范，为“新时代辽宁精神”增光添彩。", "",
        "一、总体情况",
    ])
    paras = [p.text for p in reflow(to_lines(_loaded(text)))]
    assert "1 2013年 8月，习近平总书记视察辽宁时，要求大连建成产业结构优化的先导区。" in paras
    body = next(p for p in paras if p.startswith("加快推进"))
    assert "力争为老工业城市现代产业体系构建做出示范" in body  # the wrap across the page is joined
    assert "“两先区”1建设" in body


def test_numbers_at_a_page_bottom_are_not_taken_for_footnotes() -> None:
    text = "\n".join(["加快推进“两先区”1建设，落实重点任务。", "", "批复面积", "", "10平方公里，规划面积 240平方公里。",
                      " 新的一页从这里开始。"])
    paras = [p.text for p in reflow(to_lines(_loaded(text)))]
    assert not any(p.startswith("1 0") for p in paras)


def test_unwrapped_long_lines_and_tab_rows_stay_apart() -> None:
    long1 = "创新发展。" + "全面推进技术创新、产品创新、管理创新和商业模式创新，" * 6 + "推动工业的创新发展。"
    broken = ["绿色发展。以建设北黄海现代化生态型港口城市为导向，建", "立绿色产业体系，推动工业的绿色发展。"]
    rows = ["类别\t指标\t单位\t2020 年\t2025 年", "经济总量\t全部工业总产值\t亿元\t385\t750"]
    text = "\n\n".join([long1, *broken]) + "\n\n" + "\n".join(rows) + "\n"
    paras = [p.text for p in reflow(to_lines(_loaded(text)))]
    assert paras[0] == long1
    assert paras[1] == "".join(broken)
    assert paras[2:] == rows


def test_short_heading_lines_are_not_joined_to_body() -> None:
    text = _pdf_dump(["一、总体情况", "（一）城市简况", P1])
    assert [p.text for p in reflow(to_lines(_loaded(text)))] == ["一、总体情况", "（一）城市简况", P1]


def test_match_form_normalises_width_and_whitespace_only() -> None:
    assert match_form("２０２５年 　３００亿元（ＡＢ）") == "2025年300亿元(AB)"
    assert match_form("“两先区”1建设") == "“两先区”1建设"


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_BODY = st.lists(
    st.one_of(_CJK, _CJK, _CJK, _CJK, st.sampled_from(list("，。；、0123456789%“”（）"))),
    min_size=1, max_size=160,
).map("".join)


@settings(max_examples=120, deadline=None)
@given(paragraphs=st.lists(_BODY, min_size=1, max_size=8), page_every=st.integers(min_value=0, max_value=9))
def test_cleaning_and_reflow_never_drop_a_body_character(paragraphs: list[str], page_every: int) -> None:
    text = _pdf_dump(paragraphs, page_every)
    cleaned = clean(_loaded(text))
    out = "".join(p.text for p in reflow(cleaned.lines))

    def chars(s: str) -> Counter[str]:
        return Counter(re.sub(r"\s", "", s))

    assume(not cleaned.running_headers)  # random text has no repeated header lines to remove
    assert chars(out) == chars(text)


@settings(max_examples=120, deadline=None)
@given(texts=st.lists(_BODY, min_size=1, max_size=30))
def test_reflow_keeps_every_line_in_order(texts: list[str]) -> None:
    from ingest.model import Line

    lines = [Line(t.strip() or "。", 1 + i // 10, para_break=True) for i, t in enumerate(texts)]
    paras = reflow(lines)
    assert re.sub(r"\s", "", "".join(p.text for p in paras)) == re.sub(r"\s", "", "".join(ln.text for ln in lines))
    assert all(p.page_start <= p.page_end for p in paras)
    assert [p.start for p in paras] == sorted(p.start for p in paras)
