"""DOCX files to plain text: body paragraphs and tables in document order (headings by style
level, text boxes and one-column 专栏 tables as paragraphs, other tables as tab-separated rows with
merged cells kept in their columns). python-docx is imported only here, when a DOCX is loaded.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import limits
from ingest.loaded import LoadedText, marked_heading
from ingest.model import IngestError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table as DocxTable

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-6])$", re.IGNORECASE)


def load_docx(path: Path) -> LoadedText:
    limits.check_docx(path)  # sizes and DTDs from the ZIP directory, before anything is inflated
    try:
        import docx

        document = docx.Document(str(path))
        out = _docx_lines(document)
        title = (document.core_properties.title or "").strip() or None
    except Exception as e:  # python-docx raises several unrelated types for broken files
        raise IngestError(str(path), f"not a readable DOCX file ({type(e).__name__})") from None
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return LoadedText(text, None, title, "docx")


def _docx_lines(document: DocxDocument) -> list[str]:
    """Body paragraphs and tables in document order; table rows as tab-separated lines."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    out: list[str] = []
    styles = _style_names(document)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, document)
            text = para.text.strip()
            style = _HEADING_STYLE.match(styles.get(_style_id(child), ""))
            out.append(marked_heading(text, int(style.group(1))) if style and text else text)
            out.append("")
            # a 专栏 box is often a floating text box: its paragraphs are not in the body text
            for box in _text_boxes(child):
                out.extend(DocxParagraph(bp, document).text.strip() for bp in box.iter(_W + "p"))
                out.append("")
        elif tag == "tbl":
            table = DocxTable(child, document)
            if _one_column(table):
                # a 专栏 box or a framed note drawn as a one-cell table: its paragraphs are text
                for row in table.rows:
                    out.extend(p.text.strip() for p in row.cells[0].paragraphs if p.text.strip())
                    out.append("")
                continue
            for row in table.rows:
                cells = []
                prev = None
                for cell in row.cells:
                    # a cell merged across columns repeats the same cell object: its text is
                    # given once and the columns it covers stay, empty, so later cells keep
                    # their column
                    cells.append("" if cell._tc is prev else re.sub(r"\s+", " ", cell.text).strip())
                    prev = cell._tc
                while cells and not cells[-1]:
                    cells.pop()
                out.append("\t".join(cells))
            out.append("")
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style_names(document: DocxDocument) -> dict[str, str]:
    """Paragraph style id -> name, read once: python-docx's `Paragraph.style` looks the style part
    up again for every paragraph (~0.7 ms each, minutes for a large document)."""
    names: dict[str, str] = {}
    for style in document.styles:
        with contextlib.suppress(Exception):  # a damaged style entry only loses its heading level
            if style.style_id:
                names[style.style_id] = style.name or ""
    return names


def _style_id(paragraph: BaseOxmlElement) -> str:
    ppr = paragraph.find(_W + "pPr")
    pstyle = ppr.find(_W + "pStyle") if ppr is not None else None
    return (pstyle.get(_W + "val") or "") if pstyle is not None else ""


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(paragraph: BaseOxmlElement) -> list[BaseOxmlElement]:
    """Text box contents anchored in a paragraph; Word writes each box twice (DrawingML and a
    VML fallback), so the fallback copy is skipped."""
    boxes = []
    for box in paragraph.iter(_W + "txbxContent"):
        parent = box.getparent()
        while parent is not None and parent is not paragraph and parent.tag != _MC_FALLBACK:
            parent = parent.getparent()
        if parent is paragraph:
            boxes.append(box)
    return boxes


def _one_column(table: DocxTable) -> bool:
    return all(len({c._tc for c in row.cells}) == 1 for row in table.rows)
