"""Shapes unseen plans come in beyond the five fixtures: Word auto-numbered headings, HTML heading
tags, form-feed pages, 第X篇 parts, chapter-name running headers, cover titles over two lines,
merged table cells, whole-plan-on-one-line dumps and 专栏 boxes in floating text boxes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.model import Document, Table
from ingest.pipeline import parse_document

GBK_TXT = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "qinghe-14th-fyp-gbk.txt"


def _paths(doc: Document) -> set[str]:
    return {s.path for s in doc.sections}


def _numbers(text: str) -> Counter[str]:
    return Counter(re.findall(r"\d+(?:\.\d+)?", text))


def _table(doc: Document, caption: str) -> Table:
    return next(t for t in doc.tables if caption in re.sub(r"\s+", "", t.title))


def test_docx_with_word_auto_numbering_keeps_its_heading_levels(tmp_path: Path) -> None:
    """Word's list numbering is not in the paragraph text, so the heading styles give the tree."""
    import docx

    d = docx.Document()
    d.add_heading("南山区城市更新专项规划", level=0)
    for level, text in [(1, "发展基础"), (2, "更新成效"), (0, "累计完成城市更新项目46个，改造面积达到320万平方米。"),
                        (2, "存在问题"), (0, "老旧小区改造任务依然繁重。"), (1, "规划目标"),
                        (0, "到2025年，完成老旧小区改造1.2万户。")]:
        if level:
            d.add_heading(text, level=level)
        else:
            d.add_paragraph(text)
    f = tmp_path / "nanshan.docx"
    d.save(str(f))
    doc = parse_document(f)
    assert [s.path for s in doc.sections] == ["发展基础", "发展基础 > 更新成效", "发展基础 > 存在问题", "规划目标"]
    chunk = next(c for c in doc.chunks if "1.2万户" in c.text)
    assert chunk.section == "规划目标"


def test_html_heading_tags_without_numbers_keep_their_levels(tmp_path: Path) -> None:
    html = ("<html><head><meta charset=\"gb2312\"><title>北塘县乡村振兴规划</title></head><body>"
            "<h1>北塘县乡村振兴规划</h1><h2>发展目标</h2><p>一、产业兴旺</p><p>到2025年，农产品加工产值达到85亿元。</p>"
            "<h2>保障措施</h2><p>县财政每年安排乡村振兴资金1.5亿元。</p></body></html>")
    f = tmp_path / "beitang.html"
    f.write_bytes(html.encode("gbk"))
    doc = parse_document(f)
    # the <h1> is the document's title, not a section above all others
    assert [s.path for s in doc.sections] == ["发展目标", "发展目标 > 一、产业兴旺", "保障措施"]
    assert doc.title == "北塘县乡村振兴规划"
    assert "85亿元" in doc.text


def test_text_with_form_feed_pages_loses_header_and_page_footer(tmp_path: Path) -> None:
    pages = [f"某市交通发展规划\n{'一二三'[n - 1]}、任务{n}\n　　到2025年，公路通车里程达到{n}万公里。\n\n第 {n} 页 共 3 页\n"
             for n in range(1, 4)]
    f = tmp_path / "traffic.txt"
    f.write_bytes("\f".join(pages).encode("gbk"))
    doc = parse_document(f)
    assert doc.pages == 3
    assert "某市交通发展规划" not in doc.text and "页" not in doc.text
    assert {s.path: s.page for s in doc.sections} == {"一、任务1": 1, "二、任务2": 2, "三、任务3": 3}
    assert doc.title == "某市交通发展规划"


def test_parts_above_chapters_and_boxes_numbered_in_words(tmp_path: Path) -> None:
    text = ("第一篇　发展基础\n第一章　发展环境\n　　全市常住人口达到152万人。\n专栏一　重大平台\n"
            "1.临港产业园：规划面积12平方公里。\n第二章　主要目标\n　　到2025年地区生产总值达到1800亿元。\n"
            "第二篇　重点任务\n第三章　产业发展\n　　建设产业园区5个。\n")
    f = tmp_path / "parts.txt"
    f.write_text(text, encoding="utf-8")
    doc = parse_document(f)
    paths = _paths(doc)
    assert "第一篇 发展基础 > 第一章 发展环境 > 专栏一 重大平台" in paths
    assert "第一篇 发展基础 > 第二章 主要目标" in paths
    assert "第二篇 重点任务 > 第三章 产业发展" in paths


def test_pdf_running_header_naming_the_current_chapter_is_not_a_second_heading(tmp_path: Path) -> None:
    """纲要 PDFs print the chapter title atop odd pages and the plan title atop even ones."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title, ch1, ch2 = "某市国民经济和社会发展第十四个五年规划纲要", "第一章　发展基础", "第二章　主要目标"
    body = {1: [ch1, "全市地区生产总值达到1250亿元。", *["持续推进产业结构优化升级，提升发展质量。"] * 10],
            2: ["城镇化率达到65.2%。"] * 8 + [ch2, "到2025年地区生产总值达到1800亿元。"],
            3: ["研发投入强度达到2.5%。"] * 10,
            4: ["森林覆盖率达到41%。"] * 6}
    running = {1: ch1, 2: title, 3: ch2, 4: title}
    f = tmp_path / "outline.pdf"
    c = canvas.Canvas(str(f))
    for page in range(1, 5):
        c.setFont("STSong-Light", 9)
        c.drawString(72, 800, running[page])
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(body[page]):
            c.drawString(96, 760 - 24 * i, line)
        c.drawCentredString(297, 40, f"- {page} -")
        c.showPage()
    c.save()
    doc = parse_document(f)
    assert [(s.path, s.page) for s in doc.sections] == [("第一章 发展基础", 1), ("第二章 主要目标", 2)]
    assert doc.text.count("第二章") == 1 and title not in doc.text
    assert next(c for c in doc.chunks if "41%" in c.text).section == "第二章 主要目标"


def test_pdf_cover_title_over_two_lines_and_a_dotted_table_of_contents(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pages = [["某市国民经济和社会发展", "第十四个五年规划纲要"],
             ["目　录", "第一章　发展基础 ........................ 1", "第二章　主要目标 ........................ 2"],
             ["第一章　发展基础", "全市地区生产总值达到1250亿元。"],
             ["第二章　主要目标", "到2025年地区生产总值达到1800亿元。"]]
    f = tmp_path / "outline.pdf"
    c = canvas.Canvas(str(f))
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 24 * i, line)
        if n > 2:
            c.drawCentredString(297, 40, str(n - 2))  # numbering starts after the cover and 目录
        c.showPage()
    c.save()
    doc = parse_document(f)
    assert doc.title == "某市国民经济和社会发展第十四个五年规划纲要"
    assert [(s.path, s.page) for s in doc.sections] == [("第一章 发展基础", 3), ("第二章 主要目标", 4)]
    assert not any(c.kind == "text" and "......" in c.text for c in doc.chunks)  # the 目录 is not content


def test_html_table_with_merged_cells_keeps_every_value_in_its_column(tmp_path: Path) -> None:
    html = ("<html><body><p>表3 重点项目</p><table><tr><th>类别</th><th>项目名称</th><th>总投资（亿元）</th></tr>"
            "<tr><td rowspan=\"2\">交通</td><td>滨江大道</td><td>38.5</td></tr><tr><td>港区码头</td><td>46.2</td></tr>"
            "<tr><td colspan=\"2\">合计</td><td>84.7</td></tr></table><p>以上项目2025年前建成。</p></body></html>")
    f = tmp_path / "spans.html"
    f.write_text(html, encoding="utf-8")
    doc = parse_document(f)
    table = _table(doc, "表3重点项目")
    assert table.text.split("\n")[-4:] == ["类别\t项目名称\t总投资（亿元）", "交通\t滨江大道\t38.5", "交通\t港区码头\t46.2",
                                      "合计\t\t84.7"]
    assert "以上项目2025年前建成。" in doc.text and "以上项目" not in table.text


def test_text_dump_with_the_whole_plan_on_one_line_gets_its_sections(tmp_path: Path) -> None:
    source = GBK_TXT.read_bytes().decode("gbk")
    body = source.split("\n\n", 3)[3]  # after the title, the approval line and the 目录
    prose = [ln.strip() for ln in body.split("\n") if ln.strip() and not _aligned_row(ln)]
    f = tmp_path / "dump.txt"
    f.write_text(" ".join(prose), encoding="utf-8")
    doc = parse_document(f)
    paths = _paths(doc)
    assert "第二章 总体要求与主要目标 > 第二节 主要目标 > 三、绿色发展目标" in paths
    assert "第三章 构建现代产业体系 > 第一节 做强先进制造业 > 一、壮大装备制造产业 > （二）汽车零部件" in paths
    assert "第四章 保障规划实施 > 第二节 强化要素保障" in paths
    assert not (_numbers(" ".join(prose)) - _numbers(doc.text))
    chunk = next(c for c in doc.chunks if "社会物流总额" in c.text)
    assert chunk.section == "第三章 构建现代产业体系 > 第二节 发展现代服务业 > 一、现代物流"


def _aligned_row(line: str) -> bool:
    """A row of the space-aligned 表1 (cells apart by runs of spaces), or one of its group rows."""
    return bool(re.search(r"\S {2,}\S", line)) or line in ("经济发展", "创新驱动", "民生福祉", "绿色生态")


_TEXT_BOX = """<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData
 uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{0}
</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{0}</w:txbxContent></v:textbox></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r></w:p>"""


def test_docx_box_drawn_as_a_floating_text_box_is_read_once(tmp_path: Path) -> None:
    """Word stores a text box twice (DrawingML and a VML fallback); python-docx reads neither."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("一、重点工程")
    d.add_paragraph("加快建设一批数字基础设施。")
    lines = ["专栏1 重大工程", "1.智慧港口：总投资12亿元。", "2.数字园区：总投资3.5亿元。"]
    box = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in lines)
    d.element.body.insert(len(d.element.body) - 1, parse_xml(_TEXT_BOX.format(box)))
    d.add_paragraph("二、保障措施")
    f = tmp_path / "box.docx"
    d.save(str(f))
    doc = parse_document(f)
    assert doc.text.count("智慧港口") == 1 and "3.5亿元" in doc.text
    assert "一、重点工程 > 专栏1 重大工程" in _paths(doc)
    assert next(c for c in doc.chunks if "智慧港口" in c.text).section.startswith("一、重点工程 > 专栏1 重大工程")
