"""Read one source file into plain text, whatever its format and encoding.

Every user-facing problem (missing file, empty file, binary data, image-only PDF) is raised as
IngestError with a one-line reason; other layers never see a raw decoding or parser exception.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import limits
from ingest.model import IngestError

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table as DocxTable
    from pypdf import PageObject

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

# The printed numbering of plan headings (第一章 一、 （一） 1. ① 专栏1 表1 …) or a Markdown `#`.
# DOCX and HTML headings without one get a `#` marker so their level is not lost.
HEADING_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]{1,4}[章节篇部分]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|\d{1,2}\s*[、.．](?!\d)"
    r"|[\u2460-\u2473]"
    r"|专栏\s*(?:\d+|[一二三四五六七八九十]{1,3})|附件\s*\d+|附表\s*\d+|表\s*\d+\s*[：:\s]|图\s*\d+\s*[：:\s]"
    r"|#{1,6}\s)"
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-6])$", re.IGNORECASE)


def _marked_heading(text: str, level: int) -> str:
    """A styled heading as text: as printed when numbered, else with a Markdown `#` marker."""
    return text if HEADING_START.match(text) else f"{'#' * level} {text}"


@dataclass
class LoadedText:
    text: str
    pages: list[str] | None  # one string per page when the format knows pages (PDF)
    title_hint: str | None
    fmt: str  # txt | md | html | docx | pdf
    replaced: int = 0  # unencodable / control code points replaced by U+FFFD (limits.normalise)


def load(path: Path) -> LoadedText:
    """Load a supported file; raise IngestError with a one-line reason on user problems."""
    path = Path(path)
    if not path.exists():
        raise IngestError(str(path), "file not found")
    if path.is_dir():
        raise IngestError(str(path), "is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'}; use one of {' '.join(SUPPORTED_SUFFIXES)}")
    try:
        limits.check_file_size(path, path.stat().st_size)
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot read file ({e.strerror or e})") from None
    if not data.strip():
        raise IngestError(str(path), "file is empty")
    if suffix == ".txt":
        loaded = LoadedText(decode_text(data, str(path)), None, None, "txt")
    elif suffix == ".md":
        loaded = LoadedText(markdown_to_text(decode_text(data, str(path))), None, None, "md")
    elif suffix in (".html", ".htm"):
        loaded = _load_html(data, str(path))
    elif suffix == ".docx":
        loaded = _load_docx(path)
    else:
        loaded = _load_pdf(path)
    loaded = _normalised(loaded)
    if not loaded.text.strip():
        raise IngestError(str(path), "no text found in file")
    limits.check_text(path, loaded.text)
    return loaded


def _normalised(loaded: LoadedText) -> LoadedText:
    """The loader boundary: no later stage sees a code point it cannot encode (limits.normalise)."""
    text, n = limits.normalise(loaded.text)
    pages = [limits.normalise(p)[0] for p in loaded.pages] if loaded.pages is not None else None
    title = limits.normalise(loaded.title_hint)[0] if loaded.title_hint else loaded.title_hint
    return LoadedText(text, pages, title, loaded.fmt, loaded.replaced + n)


# --- plain text -------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then charset-normalizer's best guess.

    GB18030 is tried before charset-normalizer's guess for Chinese because short GBK files are
    often mis-guessed as other legacy code pages; binary data is rejected either way.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _check_text(data.decode(enc, errors="replace").lstrip("\ufeff"), name)
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has zero bytes (in ASCII characters, newlines); binary data too
        text = _try_utf16(data)
        if text is None:
            raise IngestError(name, "binary data, not a text file")
        return _check_text(text, name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.2:
            return _check_text(text, name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(name, "binary data or unknown text encoding")
    return _check_text(str(best), name)


def _try_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    order = ("utf-16-le", "utf-16-be") if sample[1::2].count(0) >= sample[0::2].count(0) else ("utf-16-be", "utf-16-le")
    for enc in order:
        try:
            text = data[: len(data) - len(data) % 2].decode(enc)
        except UnicodeDecodeError:
            continue
        chars = [c for c in text[:4000] if not c.isspace()]
        if not chars:
            continue
        readable = sum(1 for c in chars if c.isprintable() and not ("\ue000" <= c <= "\uf8ff"))
        # decoding binary as UTF-16 yields unassigned / private-use / control characters
        if readable / len(chars) > 0.97 and (_cjk_ratio(text) > 0.2 or sum(c.isascii() for c in chars) / len(chars) > 0.9):
            return text
    return None


def _cjk_ratio(text: str) -> float:
    sample = [c for c in text[:5000] if not c.isspace()]
    if not sample:
        return 0.0
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / len(sample)


def _check_text(text: str, name: str) -> str:
    sample = text[:20000]
    if not sample:
        return text
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\t\n\r\f"))
    if bad > max(8, 0.02 * len(sample)):
        raise IngestError(name, "binary data, not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Markdown ---------------------------------------------------------------------------------

_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_MD_ALIGN_CELL = re.compile(r"^:?-{2,}:?$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])"), r"\1"),  # italic
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),  # backslash escapes
]


def markdown_to_text(src: str) -> str:
    """Markdown markup off, structure kept: `#` headings stay (they carry the level), pipe tables
    become tab-separated rows like DOCX tables, quote and bullet markers and emphasis go."""
    out: list[str] = []
    fenced = False
    for line in src.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            out.append(line)
            continue
        line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line)  # blockquote (专栏 boxes are often quoted)
        if _MD_RULE.match(line):
            out.append("")
            continue
        stripped = line.strip()
        if stripped.startswith("|") or (stripped.count("|") >= 2 and not stripped.startswith("#")):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped.strip("|"))]
            if all(_MD_ALIGN_CELL.match(c) for c in cells if c) and any(cells):
                continue
            line = "\t".join(_md_inline(c).replace("\n", " ") for c in cells)
        else:
            if re.match(r"^\s*[-*+]\s+", line):
                # a bullet item is a paragraph of its own even without a blank line before it
                line = re.sub(r"^\s*[-*+]\s+", "", line)
                if out and out[-1].strip():
                    out.append("")
            line = re.sub(r"^(#{1,6}\s+.*?)\s+#+\s*$", r"\1", line)  # closing hashes
            line = _md_inline(line)
        out.append(line)
    return "\n".join(out)


def _md_inline(s: str) -> str:
    for pat, repl in _MD_INLINE:
        s = pat.sub(repl, s)
    return s


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "hr",
    "title", "caption", "thead", "tbody", "main", "nav", "aside", "figure", "figcaption",
}


def _load_html(data: bytes, name: str) -> LoadedText:
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


# --- DOCX -------------------------------------------------------------------------------------


def _load_docx(path: Path) -> LoadedText:
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
            out.append(_marked_heading(text, int(style.group(1))) if style and text else text)
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


# --- PDF --------------------------------------------------------------------------------------


def _load_pdf(path: Path) -> LoadedText:
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
