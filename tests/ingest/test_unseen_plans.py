"""Plans the pipeline has never seen parse into the structure a reader of the printed plan sees.

Five small plans in the formats other plans come in (tests/fixtures/plans): a GBK text plan with
第X章/第X节 chapters, a 专栏 box and a space-aligned 表1; a 政府工作报告 saved as a one-line HTML
page; a DOCX with heading styles, a real project table and a 专栏 drawn as a one-cell table; a
three-page PDF with a running header, page numbers and wrapped lines; a Markdown plan with a pipe
table. The DOCX and PDF are built here from their `*-source` text so no binary is committed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.model import Document, Table
from ingest.pipeline import parse_document
from ingest.structure import assign_sections

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
GBK_TXT = PLANS / "qinghe-14th-fyp-gbk.txt"
HTML = PLANS / "donggang-work-report-2024.html"
MD = PLANS / "xinhu-new-infrastructure-2023.md"
DOCX_SOURCE = PLANS / "binjiang-key-projects.docx-source"
PDF_SOURCE = PLANS / "haibin-digital-economy-14th.pdf-source"


# --- building the binary fixtures -------------------------------------------------------------


def build_docx(source: Path, out: Path) -> str:
    """A DOCX as a word processor saves it: Title/Heading styles, real tables, and a 专栏 box
    drawn as a one-cell table. Returns the body text (for the number check)."""
    import docx

    d = docx.Document()
    body: list[str] = []
    rows: list[list[str]] = []
    box: list[str] = []

    def flush_table() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = d.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, cells in enumerate(rows):
            if len(cells) == 1:  # a category row spans the whole table
                merged = table.cell(r, 0).merge(table.cell(r, width - 1))
                merged.text = cells[0]
                continue
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
        rows.clear()

    def flush_box() -> None:
        if not box:
            return
        cell = d.add_table(rows=1, cols=1).cell(0, 0)
        cell.text = box[0]
        for line in box[1:]:
            cell.add_paragraph(line)
        box.clear()

    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            flush_table()
        if not line.startswith(">"):
            flush_box()
        if line.startswith("@title "):
            d.core_properties.title = line[7:]
            d.add_heading(line[7:], level=0)
            body.append(line[7:])
        elif m := re.match(r"^(#{1,3}) (.+)$", line):
            d.add_heading(m.group(2), level=len(m.group(1)))
            body.append(m.group(2))
        elif line.startswith("|="):
            rows.append([line[2:].strip()])
            body.append(line[2:].strip())
        elif line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            body.append(" ".join(rows[-1]))
        elif line.startswith(">"):
            box.append(line[1:].strip())
            body.append(line[1:].strip())
        elif line.strip():
            d.add_paragraph(line)
            body.append(line)
    flush_table()
    flush_box()
    d.save(str(out))
    return "\n".join(body)


@dataclass
class PdfLayout:
    path: Path
    body: str  # the text drawn as body (no header, no page numbers)
    page_of: dict[str, int]  # first page on which each source paragraph / row starts
    header: str
    pages: int


PDF_WIDTH = 26 * 12  # points: 26 CJK characters of 12 pt, the common A4 layout
PDF_LINES = 19  # lines per page
_NO_LINE_START = set("，。、；：？！）》”’%")


def _wrap_printed(text: str, indent: float) -> list[str]:
    """Wrap like a typesetter: by printed width (digits are narrow), never starting a line with
    closing punctuation (it hangs at the end of the line before)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur, width = [], "", PDF_WIDTH - indent
    for ch in text:
        if cur and stringWidth(cur + ch, "STSong-Light", 12) > width and ch not in _NO_LINE_START:
            lines.append(cur)
            cur, width = "", PDF_WIDTH
        cur += ch
    return [*lines, cur] if cur else lines


def build_pdf(source: Path, out: Path) -> PdfLayout:
    """A PDF as printed: STSong-Light, 26-character wrapped lines with indented first lines, a
    running header from page 2 on, a `— N —` page number at the foot, table cells drawn apart."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    header = footer = ""
    items: list[tuple[str, str | list[str]]] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("@header "):
            header = line[8:]
        elif line.startswith("@footer "):
            footer = line[8:]
        elif line.startswith("|"):
            items.append(("row", [c.strip() for c in line.strip().strip("|").split("|")]))
        elif line.strip():
            items.append(("para", line.strip()))
    # lay out into printed lines: (x offset, text or cells, source item text)
    printed: list[tuple[float, str | list[str], str]] = []
    for kind, content in items:
        if kind == "row":
            printed.append((0, content, " ".join(content)))
            continue
        assert isinstance(content, str)
        indent = 24 if content.endswith("。") else 0  # body paragraphs start two characters in
        for n, piece in enumerate(_wrap_printed(content, indent)):
            printed.append((indent if n == 0 else 0, piece, content))
    c = canvas.Canvas(str(out))
    page_of: dict[str, int] = {}
    page = 0
    for i, (x, text, item) in enumerate(printed):
        if i % PDF_LINES == 0:
            if page:
                c.showPage()
            page += 1
            if page > 1:
                c.setFont("STSong-Light", 9)
                c.drawCentredString(297, 800, header)
            c.setFont("STSong-Light", 10)
            c.drawCentredString(297, 40, footer.format(page=page))
            c.setFont("STSong-Light", 12)
        y = 760 - 28 * (i % PDF_LINES)
        page_of.setdefault(item, page)
        if isinstance(text, list):
            for cx, cell in zip((72, 270, 340, 410, 480), text, strict=False):
                c.drawString(cx, y, cell)
        else:
            c.drawString(72 + x, y, text)
    c.showPage()
    c.save()
    body = "\n".join(item if kind == "para" else " ".join(item) for kind, item in items)  # type: ignore[arg-type]
    return PdfLayout(out, body, page_of, header, page)


# --- parsed fixtures --------------------------------------------------------------------------


@dataclass
class Parsed:
    doc: Document
    body: str  # the source's body text, for the number check


@pytest.fixture(scope="module")
def pdf_layout(tmp_path_factory: pytest.TempPathFactory) -> PdfLayout:
    return build_pdf(PDF_SOURCE, tmp_path_factory.mktemp("pdf") / "haibin-digital-economy-14th.pdf")


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory, pdf_layout: PdfLayout) -> dict[str, Parsed]:
    docx_path = tmp_path_factory.mktemp("docx") / "binjiang-key-projects.docx"
    docx_body = build_docx(DOCX_SOURCE, docx_path)
    from bs4 import BeautifulSoup

    article = BeautifulSoup(HTML.read_text(encoding="utf-8"), "html.parser").find("div", class_="article")
    return {
        "txt": Parsed(parse_document(GBK_TXT), GBK_TXT.read_bytes().decode("gbk")),
        "html": Parsed(parse_document(HTML), article.get_text("\n")),
        "md": Parsed(parse_document(MD), MD.read_text(encoding="utf-8")),
        "docx": Parsed(parse_document(docx_path), docx_body),
        "pdf": Parsed(parse_document(pdf_layout.path), pdf_layout.body),
    }


FORMATS = ["txt", "html", "md", "docx", "pdf"]


def _paths(doc: Document) -> set[str]:
    return {s.path for s in doc.sections}


def _table(doc: Document, caption: str) -> Table:
    found = [t for t in doc.tables if caption in re.sub(r"\s+", "", t.title)]
    assert found, f"no table titled {caption!r}; tables: {[t.title for t in doc.tables]}"
    return found[0]


def _table_chunk_text(doc: Document, table: Table) -> str:
    return "\n".join(c.text for c in doc.chunks if c.kind in ("table", "table_row")
                     and c.meta.get("table") == table.title)


# --- sections ---------------------------------------------------------------------------------


def test_gbk_chapter_plan_nests_chapters_sections_and_items(plans: dict[str, Parsed]) -> None:
    with pytest.raises(UnicodeDecodeError):
        GBK_TXT.read_bytes().decode("utf-8")  # the fixture really is GBK
    doc = plans["txt"].doc
    assert doc.title == "清河县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"
    paths = _paths(doc)
    assert "第一章 发展基础与发展环境 > 第一节 “十三五”发展成就" in paths
    assert "第二章 总体要求与主要目标 > 第二节 主要目标 > 三、绿色发展目标" in paths
    assert "第三章 构建现代产业体系 > 第一节 做强先进制造业 > 一、壮大装备制造产业 > （二）汽车零部件" in paths
    assert "第三章 构建现代产业体系 > 第二节 发展现代服务业 > 二、文化旅游" in paths
    assert "第四章 保障规划实施 > 第二节 强化要素保障" in paths
    # the 目录 lists the chapters but is not the section tree
    assert sum(1 for s in doc.sections if s.title == "构建现代产业体系") == 1


def test_gbk_plan_box_lists_its_projects_under_its_section(plans: dict[str, Parsed]) -> None:
    doc = plans["txt"].doc
    box = next(s for s in doc.sections if s.marker.startswith("专栏"))
    assert box.path.startswith("第三章 构建现代产业体系 > 第一节 做强先进制造业")
    assert box.title == "先进制造业重点项目"
    chunk = next(c for c in doc.chunks if "高性能纤维材料项目" in c.text and c.kind == "text")
    assert chunk.section.startswith(box.path)
    # the box closes at the next 第X节
    after = next(c for c in doc.chunks if "社会物流总额" in c.text)
    assert after.section == "第三章 构建现代产业体系 > 第二节 发展现代服务业 > 一、现代物流"


def test_one_line_html_report_gets_sections_and_run_in_headings(plans: dict[str, Parsed]) -> None:
    doc = plans["html"].doc
    assert doc.title == "2024年东港市人民政府工作报告"
    paths = _paths(doc)
    assert "一、2023年工作回顾 > （二）坚持创新驱动，发展动能加快转换" in paths
    assert "二、2024年主要目标和重点工作 > （一）扩大有效投资" in paths
    assert "三、加强政府自身建设" in paths
    chunk = next(c for c in doc.chunks if "城市轨道交通1号线" in c.text)
    assert chunk.section == "二、2024年主要目标和重点工作 > （一）扩大有效投资"
    # site navigation and the footer are not part of the report
    assert "网站标识码" not in doc.text and "政务公开" not in doc.text


def test_docx_heading_styles_and_numbering_give_the_tree(plans: dict[str, Parsed]) -> None:
    doc = plans["docx"].doc
    assert doc.title == "滨江新区“十四五”重点项目建设实施方案"
    paths = _paths(doc)
    assert "第一章 总体要求 > 第二节 建设目标 > 二、结构目标" in paths
    assert "第二章 重点项目安排 > 第二节 产业项目" in paths
    assert "第三章 保障措施 > 二、健全推进机制" in paths
    box = next(s for s in doc.sections if s.marker.startswith("专栏"))
    assert box.path == "第二章 重点项目安排 > 第二节 产业项目 > 专栏1 数字化转型重点工程"
    item = next(c for c in doc.chunks if "接入企业300家" in c.text)
    assert item.section.startswith(box.path)
    assert "部署感知终端2.6万个" in doc.text


def test_pdf_sections_and_pages(plans: dict[str, Parsed], pdf_layout: PdfLayout) -> None:
    doc = plans["pdf"].doc
    assert doc.pages == pdf_layout.pages == 3
    assert doc.title == "海滨市数字经济发展“十四五”规划"
    by_path = {s.path: s for s in doc.sections}
    expected = {
        "一、发展基础 > （二）基础设施加快完善": "（二）基础设施加快完善",
        "二、发展目标": "二、发展目标",
        "三、重点任务 > （一）做强数字产业 > 2.电子信息制造业": "2.电子信息制造业。" + PDF_SOURCE.read_text(
            encoding="utf-8").split("2.电子信息制造业。", 1)[1].split("\n", 1)[0],
        "四、保障措施": "四、保障措施",
    }
    for path, item in expected.items():
        assert path in by_path, sorted(by_path)
        assert by_path[path].page == pdf_layout.page_of[item], path


def test_pdf_running_header_and_page_numbers_are_removed(plans: dict[str, Parsed], pdf_layout: PdfLayout) -> None:
    doc = plans["pdf"].doc
    # the title line on page 1 may stay; the header repeated on pages 2 and 3 may not
    assert doc.text.count(pdf_layout.header) <= 1
    for n in range(1, pdf_layout.pages + 1):
        assert f"— {n} —" not in doc.text
    assert not any(re.fullmatch(r"\s*—?\s*\d\s*—?\s*", p.text) for p in doc.paragraphs)


def test_pdf_paragraph_wrapped_over_a_page_break_is_one_paragraph_with_both_pages(
        plans: dict[str, Parsed], pdf_layout: PdfLayout) -> None:
    doc = plans["pdf"].doc
    source_paras = [ln for ln in PDF_SOURCE.read_text(encoding="utf-8").splitlines() if ln.endswith("。")]
    assert all(p in doc.text for p in source_paras)
    spanning = [p for p in doc.paragraphs if p.page_end > p.page_start and p.kind == "text"]
    assert spanning, "the layout puts a body paragraph across a page break"
    for p in spanning:
        chunk = next(c for c in doc.chunks if c.start <= p.end - 1 < c.end and c.kind == "text")
        assert chunk.page_end == p.page_end


def test_markdown_headings_give_the_tree(plans: dict[str, Parsed]) -> None:
    doc = plans["md"].doc
    assert doc.title == "新湖区新型基础设施建设三年行动方案（2023—2025年）"
    paths = _paths(doc)
    assert "一、总体要求 > （二）主要目标" in paths
    assert "二、重点任务 > （二）布局绿色集约的算力基础设施" in paths
    assert "三、保障措施 > （一）加大资金支持" in paths
    chunk = next(c for c in doc.chunks if "新增10G-PON端口2.5万个" in c.text)
    assert chunk.section.startswith("二、重点任务 > （一）建设泛在智联的信息基础设施")


# --- tables -----------------------------------------------------------------------------------


def test_space_aligned_indicator_table_in_gbk_text_is_found(plans: dict[str, Parsed]) -> None:
    doc = plans["txt"].doc
    table = _table(doc, "表1清河县“十四五”经济社会发展主要指标")
    assert table.section.startswith("第二章 总体要求与主要目标 > 第二节 主要目标")
    assert "每万人口高价值发明专利拥有量" in _table_chunk_text(doc, table)
    # rows the table parser gives up on are still searchable text, never lost
    searchable = "\n".join(c.text for c in doc.chunks)
    for cell in ("与经济增长同步", "〔16.5〕", "森林覆盖率"):
        assert cell in searchable


def test_space_aligned_indicator_table_rows_keep_groups_and_text_values(plans: dict[str, Parsed]) -> None:
    table = _table(plans["txt"].doc, "表1清河县“十四五”经济社会发展主要指标")
    rows = {r.name: r for r in table.indicators}
    assert len(rows) == 10
    assert rows["地区生产总值"].group == "经济发展" and rows["森林覆盖率"].group == "绿色生态"
    assert rows["居民人均可支配收入增速"].values == {"2020": "6.2", "2025": "与经济增长同步"}
    energy = rows["单位地区生产总值能源消耗降低"]
    assert (energy.values, energy.nature) == ({"2020": "〔16.5〕", "2025": "〔14〕"}, "约束性")


def test_html_table_is_found(plans: dict[str, Parsed]) -> None:
    doc = plans["html"].doc
    table = _table(doc, "2024年主要预期目标")
    text = _table_chunk_text(doc, table)
    assert "城镇新增就业" in text and "6以上" in text
    if table.indicators:
        jobs = next(r for r in table.indicators if r.name == "城镇新增就业")
        assert jobs.unit == "万人"


def test_markdown_pipe_table_is_found(plans: dict[str, Parsed]) -> None:
    doc = plans["md"].doc
    table = _table(doc, "表1新型基础设施建设主要指标")
    text = _table_chunk_text(doc, table)
    assert "千兆光网覆盖家庭数" in text and "<1.3" in text
    if table.indicators:
        racks = next(r for r in table.indicators if r.name == "数据中心标准机架")
        assert (racks.unit, racks.values.get("2025")) == ("万架", "1.2")


def test_docx_project_table_is_found(plans: dict[str, Parsed]) -> None:
    doc = plans["docx"].doc
    table = _table(doc, "表2滨江新区“十四五”重点建设项目表")
    assert table.section.startswith("第二章 重点项目安排 > 第一节 基础设施项目")
    searchable = "\n".join(c.text for c in doc.chunks)
    for cell in ("滨江港区二期码头工程", "新建5万吨级泊位4个", "滨江生物医药创新港", "173.4"):
        assert cell in searchable


def test_docx_project_rows_are_parsed_with_categories_and_investment(plans: dict[str, Parsed]) -> None:
    doc = plans["docx"].doc
    table = _table(doc, "表2滨江新区“十四五”重点建设项目表")
    assert len([t for t in doc.tables if t.kind != "unparsed"]) == 1  # one table, not split at 二、产业项目
    projects = {p.name: p for p in table.projects}
    assert len(projects) == 4
    port = projects["滨江港区二期码头工程"]
    assert port.investment_wan == 462000  # 46.2亿元
    assert (port.category, port.seq, port.start_year, port.end_year) == ("交通基础设施", 2, 2022, 2025)
    assert projects["滨江生物医药创新港"].category == "产业项目"
    assert table.stated_total.get("investment_wan") == 1734000


def test_pdf_table_is_found(plans: dict[str, Parsed], pdf_layout: PdfLayout) -> None:
    doc = plans["pdf"].doc
    table = _table(doc, "表1海滨市数字经济发展主要指标")
    text = _table_chunk_text(doc, table)
    assert "规模以上工业企业数字化改造比例" in re.sub(r"\s+", "", text)
    # the table starts under its caption and runs on past the page break
    assert table.page_start == pdf_layout.page_of["表1 海滨市数字经济发展主要指标"]
    assert table.page_end == pdf_layout.page_of["规模以上工业企业数字化改造比例 % 35 80 预期性"]
    assert pdf_layout.header not in table.text
    if table.indicators:
        core = next(r for r in table.indicators if r.name == "数字经济核心产业增加值")
        assert (core.unit, core.values.get("2020"), core.values.get("2025")) == ("亿元", "412.3", "800")


# --- properties every format must keep ----------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _numbers(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(text))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_number_of_the_body_survives_into_the_document_text(plans: dict[str, Parsed], fmt: str) -> None:
    missing = _numbers(plans[fmt].body) - _numbers(plans[fmt].doc.text)
    assert not missing, dict(missing)


@pytest.mark.parametrize("fmt", FORMATS)
def test_chunks_are_verbatim_and_stay_inside_one_section(plans: dict[str, Parsed], fmt: str) -> None:
    doc = plans[fmt].doc
    sections, owner = assign_sections(doc.doc_id, doc.paragraphs)
    assert doc.chunks
    for c in doc.chunks:
        if c.kind == "table_row":
            assert doc.text[c.start:c.end].strip(), c.text  # a row points at its printed cells
            continue
        assert doc.text[c.start:c.end] == c.text
        if c.kind != "text":
            continue
        inside = [i for i, p in enumerate(doc.paragraphs) if p.start < c.end and c.start < p.end]
        assert all(doc.paragraphs[i].kind != "table" for i in inside), c.text[:40]  # rows are table chunks
        owners = {owner[i] for i in inside}
        assert len(owners) == 1, (c.text[:40], [sections[o].path for o in owners if o is not None])
        own = owners.pop()
        assert c.section == (sections[own].path if own is not None else "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_is_kept_as_rows_or_as_a_table_chunk(plans: dict[str, Parsed], fmt: str) -> None:
    doc = plans[fmt].doc
    assert doc.tables
    for table in doc.tables:
        kinds = {c.kind for c in doc.chunks if c.meta.get("table") == table.title}
        assert kinds & {"table", "table_row"}, table.title


# --- the number property over generated plans -------------------------------------------------

_figures = st.one_of(
    st.integers(min_value=0, max_value=99999).map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 9999), st.integers(0, 99)),
)
_units = st.sampled_from(["亿元", "万元", "%", "家", "个", "万吨", "公里", "万人次"])
_sentence = st.builds(
    lambda lead, fig, unit, tail: f"{lead}{fig}{unit}{tail}",
    st.sampled_from(["到2025年，规上工业总产值达到", "全年完成固定资产投资", "新增高新技术企业",
                     "建设标准厂房", "年接待游客突破", "研发经费投入强度达到"]),
    _figures, _units, st.sampled_from(["。", "，年均增长7.5%。", "；", "，比上年提高1.2个百分点。"]),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=6).map("".join)


def _wrap(text: str, width: int = 26) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paras=st.lists(_paragraph, min_size=1, max_size=5), fmt=st.sampled_from(["wrapped", "gbk", "html"]))
def test_numbers_survive_any_wrapping_and_format(tmp_path: Path, paras: list[str], fmt: str) -> None:
    headings = [f"{'一二三四五'[i]}、重点任务{i + 1}" for i in range(len(paras))]
    if fmt == "html":
        path = tmp_path / "plan.html"
        body = "".join(f"<p>{h}</p><p>{p}</p>" for h, p in zip(headings, paras, strict=True))
        path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    else:
        lines = ["测试市产业发展规划", ""]
        for h, p in zip(headings, paras, strict=True):
            lines += [h, *_wrap(p)] if fmt == "wrapped" else [h, "　　" + p]
        path = tmp_path / "plan.txt"
        path.write_bytes("\n".join(lines).encode("utf-8" if fmt == "wrapped" else "gbk"))
    doc = parse_document(path)
    source = "\n".join(paras)
    assert not (_numbers(source) - _numbers(doc.text))
    # wraps are rejoined without a character added or lost (a wrap right after 。 may stay a
    # paragraph break: no reader of the text can tell it from one)
    for p in paras:
        assert p in doc.text.replace("\n", "")
    for c in doc.chunks:
        if c.kind == "text":
            assert doc.text[c.start:c.end] == c.text
