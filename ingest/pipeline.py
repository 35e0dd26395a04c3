"""The whole ingest pipeline for one file: load → clean → tables → reflow → sections → chunks."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest import tables as table_mod
from ingest.chrome import strip_chrome
from ingest.chunk import make_chunks
from ingest.clean import blank_lines_mark_paragraphs, clean, reflow, typical_width
from ingest.facts import extract_facts
from ingest.loaders import SUPPORTED_SUFFIXES, LoadedText, load
from ingest.model import Document, IngestError, Line, Paragraph, Section, Table
from ingest.profile import read_profile
from ingest.structure import assign_sections, parse_heading, toc_range
from ingest.table_runon import split_runon_tables

BUNDLED_CORPUS: Path = Path(__file__).resolve().parent.parent / "data" / "corpus"


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MB blocks (the identity of a document version)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def discover(paths: list[Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand folders to the supported files inside them (sorted); report unusable paths."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                errors.append(IngestError(str(p), "folder has no supported files (.txt .md .html .htm .docx .pdf)"))
            files.extend(found)
        elif not p.exists():
            errors.append(IngestError(str(p), "file not found"))
        elif p.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(IngestError(str(p), f"unsupported file type {p.suffix or '(none)'}"))
        else:
            files.append(p)
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def parse_document(path: Path, doc_id: str | None = None) -> Document:
    """Parse one file into a Document with paragraphs, sections, tables and chunks."""
    path = Path(path)
    loaded = load(path)
    doc_id = doc_id or path.stem
    fields: dict[str, str] = {}
    if loaded.pages is None:
        body, chrome = strip_chrome(loaded.text)
        if body.strip():
            loaded = LoadedText(body, None, loaded.title_hint, loaded.fmt)
            fields = chrome.fields
    cleaned = clean(loaded)
    if not cleaned.lines:
        raise IngestError(str(path), "no text found in file")
    lines, runon = split_runon_tables(cleaned.lines, doc_id)
    cleaned.lines = lines
    try:
        spans = table_mod.extract_tables(cleaned.lines, doc_id)
        spans = _with_runon(spans, runon)
    except Exception as e:  # a table parser bug must not make the whole document unreadable
        raise IngestError(str(path), f"table parsing failed ({type(e).__name__}: {e})") from None
    # HTML blocks and DOCX paragraphs are paragraphs already; in Markdown a blank line always
    # ends a paragraph, even when (as in many files) every paragraph is one line
    paragraphs, blocks = _assemble(cleaned.lines, spans, hard_wraps=loaded.fmt not in ("html", "docx") and not cleaned.run_on,
                                   blanks=True if loaded.fmt == "md" else None)
    notes = set(cleaned.footnotes)
    for p in paragraphs:
        if p.kind == "text" and p.text in notes:
            p.kind = "footnote"
    toc = toc_range(paragraphs)
    for p in paragraphs[toc[0]:toc[1]]:
        p.kind = "toc"  # kept in the text, but neither headings nor chunks
    text = "\n".join(p.text for p in paragraphs)
    sections, owner = assign_sections(doc_id, paragraphs)
    tables = _place_tables(spans, blocks, paragraphs, sections, owner)
    profile = read_profile(text, paragraphs, sections, fields, loaded.title_hint, cleaned.running_headers)
    doc = Document(
        doc_id=doc_id,
        title=profile.title.value or path.stem,
        source=str(path),
        sha256=file_sha256(path),
        text=text,
        pages=max(cleaned.pages, max((ln.page for ln in cleaned.lines), default=1)),
        paragraphs=paragraphs,
        sections=sections,
        tables=tables,
        profile=profile,
        facts=extract_facts(doc_id, paragraphs, sections, owner, profile),
    )
    doc.replaced_chars = loaded.replaced  # counted at the loader boundary (ingest.limits)
    doc.chunks = make_chunks(doc)
    return doc


def _with_runon(spans: list[table_mod.TableSpan], runon: list) -> list[table_mod.TableSpan]:
    """Run-together tables win over whatever the line-based parsers made of the same lines."""
    if not runon:
        return spans
    taken = [(a, b) for a, b, _ in runon]
    kept = [s for s in spans if not any(s.start < b and a < s.end for a, b in taken)]
    kept += [table_mod.TableSpan(t, a, b) for a, b, t in runon]
    return sorted(kept, key=lambda s: s.start)


def _assemble(lines: list[Line], spans: list[table_mod.TableSpan], hard_wraps: bool = True,
              blanks: bool | None = None) -> tuple[list[Paragraph], dict[int, tuple[int, int]]]:
    """Reflow text between tables; each table block is kept line for line as its own paragraph.

    Returns the paragraphs and, per span index, the (first, last) paragraph of its block.
    """
    width = typical_width(lines)
    blanks = blank_lines_mark_paragraphs(lines) if blanks is None else blanks
    out: list[Paragraph] = []
    blocks: dict[int, tuple[int, int]] = {}
    pos = 0
    for n, span in sorted(enumerate(spans), key=lambda e: e[1].start):
        if span.start < pos or span.end <= span.start:
            continue  # overlapping or empty spans: keep the first
        # split headings are joined within a stretch of text: block indices below stay valid
        out.extend(_join_split_headings([p for p in reflow(lines[pos:span.start], width, blanks, hard_wraps) if p.text]))
        block = lines[span.start:span.end]
        first = len(out)
        # a caption line (表3：… / 附件3 …) stays a paragraph of its own so it becomes a heading
        if parse_heading(block[0].text) is not None and len(block) > 1:
            out.append(Paragraph(block[0].text, block[0].page, block[0].page))
            block = block[1:]
        out.append(_block(block))
        blocks[n] = (first, len(out) - 1)
        pos = span.end
    out.extend(_join_split_headings([p for p in reflow(lines[pos:], width, blanks, hard_wraps) if p.text]))
    offset = 0
    for p in out:
        p.start = offset
        p.end = offset + len(p.text)
        offset = p.end + 1
    return out, blocks


_SPLIT_TAIL = 20  # characters: the tail of a heading broken over two paragraphs (`三、持续提升政府` / `治理效能和服务水平`)


def _join_split_headings(paras: list[Paragraph]) -> list[Paragraph]:
    """A numbered heading broken over two paragraphs (a word processor's manual line break) is one
    heading: the second part is short, has no punctuation and is no heading itself."""
    out: list[Paragraph] = []
    for p in paras:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == p.kind == "text" and len(p.text) <= _SPLIT_TAIL
                and re.fullmatch(r"[\u4e00-\u9fff]{2,}", p.text.strip()) and parse_heading(p.text) is None
                and (h := parse_heading(prev.text)) is not None and h.kind in ("chapter", "part", "cn", "paren_cn")
                and h.text == prev.text.strip() and not re.search(r"[，。；：！？]$", prev.text)
                and len(prev.text) <= _SPLIT_TAIL):
            prev.text += p.text
            prev.page_end = p.page_end
            continue
        out.append(p)
    return out


def _block(lines: list[Line]) -> Paragraph:
    para = Paragraph("", lines[0].page, lines[-1].page, kind="table")
    parts: list[str] = []
    size = 0
    for ln in lines:
        if ln.page != (para.page_marks[-1][1] if para.page_marks else para.page_start):
            para.page_marks.append((size, ln.page))
        parts.append(ln.text)
        size += len(ln.text) + 1
    para.text = "\n".join(parts)
    return para


def _place_tables(spans: list[table_mod.TableSpan], blocks: dict[int, tuple[int, int]],
                  paragraphs: list[Paragraph], sections: list[Section], owner: list[int | None]) -> list[Table]:
    """Tables in document order with their section path (tables.py sees lines, not sections)
    and `text` equal to their verbatim block in Document.text, so offsets can be found."""
    tables: list[Table] = []
    for n, span in enumerate(spans):
        if n not in blocks:
            continue
        first, last = blocks[n]
        table = span.table
        table.text = "\n".join(p.text for p in paragraphs[first:last + 1])
        if not table.title:
            # a caption tables.py did not take as the table's title (`表1 2024年…`) names it
            table.title = _caption_before(paragraphs, first)
            for row in [*table.indicators, *table.projects, *table.summary]:
                row.table = row.table or table.title
        own = owner[last]
        if not table.section:
            table.section = sections[own].path if own is not None else ""
        for row in [*table.indicators, *table.projects, *table.summary]:
            if not row.section:
                row.section = table.section
        tables.append(table)
    return tables


def _caption_before(paragraphs: list[Paragraph], first: int) -> str:
    """The 表N caption printed right above a table block, or ''."""
    for p in (paragraphs[first], paragraphs[first - 1] if first > 0 else None):
        if p is None or p.kind != "text":
            continue
        heading = parse_heading(p.text)
        if heading is not None and heading.kind == "table":
            return heading.text
    return ""
