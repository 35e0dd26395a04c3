"""PDF files to text, one string per page (pypdf, imported only here). Pages whose table cells
come out one per line are re-read in layout mode when that reading has the same characters;
placeholder metadata titles are ignored; a PDF without a text layer is refused (no OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import limits
from ingest.loaded import LoadedText
from ingest.model import IngestError

if TYPE_CHECKING:
    from pypdf import PageObject

def load_pdf(path: Path) -> LoadedText:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        limits.check_pdf_pages(path, len(reader.pages))
        pages = [_page_text(page) for page in reader.pages]
        meta_title = None
        try:
            meta_title = (reader.metadata.title or "").strip() if reader.metadata else None
        except Exception:
            meta_title = None
        # generators write placeholders ("untitled", "Microsoft Word - x.docx") as the title
        if meta_title and re.match(r"(?i)^(untitled|无标题|microsoft word|document\d*$|文档\d*$)", meta_title):
            meta_title = None
    except IngestError:
        raise
    except Exception as e:  # pypdf raises many error types for damaged files
        raise IngestError(str(path), f"not a readable PDF file ({type(e).__name__})") from None
    if not any(p.strip() for p in pages):
        raise IngestError(str(path), "no text layer; OCR is not supported")
    return LoadedText("\n".join(pages), pages, meta_title or None, "pdf")


def _page_text(page: PageObject) -> str:
    """The text of one PDF page. Table cells drawn as separate text objects come out one cell
    per line; such pages are re-read in layout mode, which keeps a table row on one line, when
    that reading has exactly the same characters."""
    plain = (page.extract_text() or "").replace("\r\n", "\n")
    if not _cell_run(plain):
        return plain
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is newer and stricter; the plain reading is still good
        return plain
    lines = [ln.rstrip() for ln in layout.replace("\r\n", "\n").split("\n") if ln.strip()]
    layout = "\n".join(lines)
    same = Counter(c for c in plain if not c.isspace()) == Counter(c for c in layout if not c.isspace())
    # rows of three or more cells; two columns of prose side by side would only have one gap
    rows = sum(1 for ln in lines if len(re.findall(r"\S {2,}(?=\S)", ln.strip())) >= 2)
    return layout if same and rows >= 2 else plain


def _cell_run(text: str, run: int = 4, cell: int = 12) -> bool:
    """Several short lines in a row: table cells, each extracted on a line of its own."""
    n = 0
    for line in text.split("\n"):
        n = n + 1 if 0 < len(line.strip()) <= cell else 0
        if n >= run:
            return True
    return False
