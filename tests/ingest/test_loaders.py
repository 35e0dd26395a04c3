"""Each supported format loads into text, and broken inputs fail with a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load
from ingest.model import IngestError
from ingest.pipeline import discover, parse_document

PLAN = "测试市产业发展规划\n\n一、发展目标\n\n到2025年，规上工业总产值达到300亿元，年均增长10%。\n"


def test_utf8_bom_text_loads_without_the_bom(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_bytes(b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    loaded = load(f)
    assert loaded.text.startswith("测试市产业发展规划")
    assert loaded.fmt == "txt" and loaded.pages is None


def test_gbk_text_is_detected_and_decoded(tmp_path: Path) -> None:
    f = tmp_path / "gbk.txt"
    f.write_bytes(PLAN.encode("gbk"))
    assert "规上工业总产值达到300亿元" in load(f).text


def test_gb18030_only_characters_decode(tmp_path: Path) -> None:
    f = tmp_path / "gb18030.txt"
    text = PLAN + "㐀是扩展汉字。\n"
    f.write_bytes(text.encode("gb18030"))
    assert "㐀是扩展汉字" in load(f).text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_text_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "u16.md"
    f.write_bytes((PLAN * 3).encode(encoding))
    loaded = load(f)
    assert "年均增长10%" in loaded.text
    assert loaded.fmt == "md"


def test_one_line_html_page_gets_its_paragraph_breaks_back(tmp_path: Path) -> None:
    html = (
        "<html><head><title>测试市产业发展规划</title><style>p{color:red}</style></head><body>"
        "<div><h1>测试市产业发展规划</h1><p>一、发展目标</p><p>到2025年，规上工业总产值达到300亿元。</p>"
        "<p>二、重点任务</p><p>建设<b>海洋牧场</b>示范区。</p><script>var x='不应出现';</script>"
        "<table><tr><td>指标</td><td>单位</td></tr><tr><td>工业总产值</td><td>亿元</td></tr></table></div></body></html>"
    )
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    loaded = load(f)
    lines = [ln for ln in loaded.text.split("\n") if ln.strip()]
    assert "一、发展目标" in lines
    assert "建设海洋牧场示范区。" in lines
    assert "工业总产值\t亿元" in lines
    assert "不应出现" not in loaded.text and "color" not in loaded.text
    assert loaded.title_hint == "测试市产业发展规划"
    doc = parse_document(f)
    assert any(s.path == "二、重点任务" for s in doc.sections)


def test_docx_paragraphs_and_real_table_rows(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("测试市产业发展规划")
    d.add_paragraph("一、发展目标")
    d.add_paragraph("到2025年，规上工业总产值达到300亿元。")
    d.add_paragraph("表1：主要指标表")
    table = d.add_table(rows=3, cols=4)
    for r, row in enumerate([["指标", "单位", "2020年", "2025年"], ["规上工业总产值", "亿元", "142.5", "300"],
                             ["高新技术企业数", "家", "54", "80"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("二、重点任务")
    f = tmp_path / "plan.docx"
    d.save(str(f))
    loaded = load(f)
    assert loaded.fmt == "docx"
    assert "规上工业总产值\t亿元\t142.5\t300" in loaded.text.split("\n")
    assert loaded.text.index("一、发展目标") < loaded.text.index("指标\t单位") < loaded.text.index("二、重点任务")


def _chinese_pdf(path: Path, pages: list[list[str]]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 810, "测试市产业发展规划")  # running header
        for i, line in enumerate(lines):
            c.drawString(72, 770 - 20 * i, line)
        c.drawString(290, 30, str(n))  # page number
        c.showPage()
    c.save()


def test_pdf_text_layer_keeps_page_numbers(tmp_path: Path) -> None:
    f = tmp_path / "plan.pdf"
    page1 = ["一、发展目标", "到2025年，规上工业总产值达到300亿元。"]
    page2 = ["二、重点任务", "建设海洋牧场示范区。"]
    page3 = ["三、保障措施", "强化要素保障。"]
    _chinese_pdf(f, [page1, page2, page3])
    loaded = load(f)
    assert loaded.fmt == "pdf" and len(loaded.pages) == 3
    assert "海洋牧场" in loaded.pages[1]
    doc = parse_document(f)
    assert doc.pages == 3
    by_path = {s.path: s for s in doc.sections}
    assert by_path["一、发展目标"].page == 1
    assert by_path["二、重点任务"].page == 2
    # the running header and page numbers are not body text
    assert doc.text.count("测试市产业发展规划") == 0
    assert "\n2\n" not in doc.text
    assert doc.title == "测试市产业发展规划"


def test_two_page_pdf_loads_both_pages(tmp_path: Path) -> None:
    f = tmp_path / "two.pdf"
    _chinese_pdf(f, [["一、发展目标", "到2025年产值300亿元。"], ["二、重点任务", "建设示范区。"]])
    doc = parse_document(f)
    assert doc.pages == 2
    chunk = next(c for c in doc.chunks if "建设示范区" in c.text)
    assert chunk.page_start == 2


def test_image_only_pdf_says_ocr_is_not_supported(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    f = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(f))
    c.rect(100, 100, 300, 500, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(IngestError) as e:
        load(f)
    assert "no text layer; OCR is not supported" in str(e.value)
    assert "\n" not in str(e.value)


def test_binary_file_renamed_txt_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "photo.txt"
    f.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(IngestError) as e:
        load(f)
    assert "binary" in e.value.reason and "\n" not in str(e.value)


def test_png_renamed_txt_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)) * 5)
    with pytest.raises(IngestError, match="binary"):
        load(f)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        load(f)
    g = tmp_path / "blank.md"
    g.write_text("\n  \n\n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty"):
        parse_document(g)


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as e:
        parse_document(tmp_path / "nope.txt")
    assert str(e.value) == f"{tmp_path / 'nope.txt'}: file not found"


def test_broken_docx_and_pdf_fail_cleanly(tmp_path: Path) -> None:
    for name in ("bad.docx", "bad.pdf"):
        f = tmp_path / name
        f.write_bytes(b"this is not really a " + name.encode())
        with pytest.raises(IngestError, match="not a readable"):
            load(f)


def test_discover_expands_folders_and_reports_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(PLAN, encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    files, errors = discover([tmp_path, tmp_path / "a.txt", tmp_path / "missing.pdf", tmp_path / "empty",
                              tmp_path / "notes.xlsx"])
    assert [f.name for f in files] == ["a.txt", "b.md"]
    reasons = sorted(e.reason for e in errors)
    assert reasons[0].startswith("file not found")
    assert any("no supported files" in r for r in reasons)
    assert any("unsupported file type .xlsx" in r for r in reasons)


def test_pdf_paragraph_wrapped_across_a_page_is_rejoined(tmp_path: Path) -> None:
    para = ("大连市是我国北方沿海和东北地区重要中心城市，是我国计划单列市、副省级城市和沿海开放城市之一。"
            "大连市工业历史悠久、基础雄厚，始终是我国重要的工业基地，石油化工、造船、机车、大型机械、"
            "轴承、制冷设备等生产规模在全国同行业位居第一，已具有较强的承载世界制造业转移的能力。")
    wrapped = [para[i:i + 26] for i in range(0, len(para), 26)]
    f = tmp_path / "wrapped.pdf"
    _chinese_pdf(f, [["一、总体情况", *wrapped[:4]], wrapped[4:]])
    doc = parse_document(f)
    body = [p for p in doc.paragraphs if p.text.startswith("大连市是我国")]
    assert len(body) == 1 and body[0].text == para
    assert (body[0].page_start, body[0].page_end) == (1, 2)
    assert body[0].page_at(para.index(wrapped[4])) == 2
