"""HTML pages to plain text: the declared charset (GB18030 for GBK pages), scripts and site
furniture (navigation, breadcrumbs, footers) dropped, headings marked with their level, tables as
tab-separated rows with row/column spans resolved as DOCX tables are, block elements as line breaks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import limits
from ingest.decode import decode_text
from ingest.loaded import HEADING_START, LoadedText

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "hr",
    "title", "caption", "thead", "tbody", "main", "nav", "aside", "figure", "figcaption",
}


def load_html(data: bytes, name: str) -> LoadedText:
    from bs4 import BeautifulSoup

    # decode ourselves: charset detection in bs4 is weaker for GBK pages than ours
    meta = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:3000])
    text_src = None
    if meta:
        declared = meta.group(1).decode("ascii").lower()
        try:
            # pages labelled gb2312/gbk routinely use characters only GB18030 (a superset) has
            text_src = data.decode("gb18030" if declared in ("gb2312", "gbk", "x-gbk") else declared)
        except (LookupError, UnicodeDecodeError):
            text_src = None
    if text_src is None:
        text_src = decode_text(data, name)
    limits.check_html(Path(name), text_src)
    soup = BeautifulSoup(text_src, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    _drop_page_furniture(soup)
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        text = tag.get_text(" ", strip=True)
        if text and not HEADING_START.match(text):
            tag.insert(0, "#" * int(tag.name[1]) + " ")
    # Tables become tab-separated rows, like DOCX tables; block elements become line breaks, so
    # a one-line page still gets its paragraph structure back.
    for table in reversed(soup.find_all("table")):  # innermost first
        table.replace_with("\n" + "\n".join("\t".join(row) for row in _html_grid(table)) + "\n")
    for tag in soup.find_all(True):
        if tag.name in _BLOCK_TAGS:
            tag.insert_before("\n")
            tag.insert_after("\n")
    raw = soup.get_text()
    lines = []
    for line in raw.split("\n"):
        line = re.sub(r"[ \u00a0]+", " ", line).strip(" ")
        line = re.sub(r"\t+$", "", line.strip())
        lines.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return LoadedText(text, None, title or None, "html")


# Site navigation, breadcrumbs and footers of government portals are not part of the document.
_FURNITURE_TAGS = ("nav", "footer", "aside")
_FURNITURE_NAME = re.compile(r"(?:^|[-_ ])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|sidebar|copyright|share)"
                             r"(?:$|[-_ ])", re.IGNORECASE)


def _drop_page_furniture(soup: BeautifulSoup) -> None:
    total = len(soup.get_text(strip=True)) or 1
    found = list(soup.find_all(_FURNITURE_TAGS))
    for tag in soup.find_all(True):
        names = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
        if names.strip() and _FURNITURE_NAME.search(names):
            found.append(tag)
    for tag in found:
        if tag.decomposed:
            continue
        # a page whose main container happens to be called "foot…" keeps its text
        if len(tag.get_text(strip=True)) < 0.5 * total:
            tag.decompose()


def _html_grid(table: Tag) -> list[list[str]]:
    """The rows of an HTML table as cell texts, read as DOCX tables are: a cell spanning rows is
    repeated in each row it covers; one spanning columns is given once, then empty cells."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[str] = []
        col = 0
        cells = iter(tr.find_all(["td", "th"], recursive=False))
        cell = next(cells, None)
        while cell is not None or col in pending:
            if col in pending:
                text, left = pending.pop(col)
                row.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            text = re.sub(r"\s+", " ", cell.get_text(" ", strip=True)).strip()
            span = _span(cell.get("colspan"))
            down = _span(cell.get("rowspan"))
            row.extend([text] + [""] * (span - 1))
            if down > 1:
                pending[col] = (text, down - 1)
            col += span
            cell = next(cells, None)
        while row and not row[-1]:
            row.pop()
        if row:
            grid.append(row)
    return grid


def _span(value: object) -> int:
    try:
        return max(1, min(int(str(value)), 50))
    except ValueError:
        return 1
