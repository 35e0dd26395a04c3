"""Cleaning and reflow of PDF-extracted plan text.

What PDF extraction leaves behind and what this module undoes:
- page breaks: in the bundled text a page starts with a line that begins with one ASCII space
  (or a form feed); PDFs loaded here know their pages already.
- running headers/footers and page numbers: short lines that repeat and sit next to a
  page-number line (or at the top/bottom of pages) are removed.
- footnotes: the footnote text at a page bottom (`12013年 8月，…` for marker `1`) is split from
  its marker (`1 2013年 8月，…`) and moved out of the paragraph that continues on the next page.
- hard line wraps: a line that fills the typical line width and does not end a sentence
  continues into the next one (CJK wraps are joined without a space).

Each pass has its module: running headers and page numbers (page_furniture.py), footnotes
(footnotes.py), reflow (reflow.py), over the line shapes of line_shapes.py; this module splits
pages, breaks run-on dumps at headings and runs the passes.

Document text stays verbatim: apart from removed header lines, joined wraps and the footnote
marker separation, no character is changed. `match_form` is the normalised copy for matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.footnotes import separate_footnotes
from ingest.line_shapes import RawLine
from ingest.loaders import LoadedText
from ingest.model import Line
from ingest.page_furniture import drop_running_headers
from ingest.reflow import blank_lines_mark_paragraphs, reflow, should_join, typical_width
from ingest.runon import split_by_contents

# importable from here, where pipeline.py and the tests import them
__all__ = ["Cleaned", "blank_lines_mark_paragraphs", "clean", "match_form", "reflow", "should_join", "to_lines",
           "typical_width"]

# --- matching form ----------------------------------------------------------------------------

_FULL_TO_HALF = {0x3000: " "}
_FULL_TO_HALF.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})


# review-comment anchors a word processor leaves in exported text ([U12], [A3]): kept verbatim in the
# document text, left out of the matching copy
_ANCHOR = re.compile(r"\[[A-Z]{1,2}\d{1,3}\]")


def match_form(s: str) -> str:
    """Full-width digits/letters/punctuation → half-width, all whitespace removed.

    Used only to compare strings (quotes, evidence, TOC entries); never stored as document text.
    """
    return _ANCHOR.sub("", re.sub(r"\s+", "", s.translate(_FULL_TO_HALF)))


@dataclass
class Cleaned:
    lines: list[Line]
    running_headers: list[str] = field(default_factory=list)  # removed repeated lines, most frequent first
    pages: int = 1
    footnotes: list[str] = field(default_factory=list)  # footnote lines as separated ("1 2013年…")
    run_on: bool = False  # the text had a whole body on one line: its lines are not hard-wrapped


def to_lines(loaded: LoadedText) -> list[Line]:
    """Physical lines with 1-based pages; running headers, page numbers removed; footnotes split."""
    return clean(loaded).lines


def clean(loaded: LoadedText) -> Cleaned:
    raws = _split_pages(loaded)
    pages = max((r.page for r in raws), default=1)
    raws, headers = drop_running_headers(raws, paged=pages > 1, pdf_pages=loaded.pages is not None)
    notes: list[str] = []
    raws = separate_footnotes(raws, notes)
    lines = [Line(r.text, r.page, r.para_break) for r in raws]
    run_on = loaded.pages is None and any(len(ln) >= _RUN_ON for ln in loaded.text.split("\n"))
    return Cleaned(lines, headers, pages, notes, run_on)


def _split_pages(loaded: LoadedText) -> list[RawLine]:
    out: list[RawLine] = []
    if loaded.pages is not None:
        for n, page_text in enumerate(loaded.pages, start=1):
            pending = True
            first = True
            for raw in page_text.replace("\f", "\n").split("\n"):
                text = raw.strip()
                if not text:
                    pending = True
                    continue
                out.append(RawLine(text, n, pending, first))
                pending = first = False
        return out
    raw_lines = _break_run_on_lines(loaded.text.replace("\r\n", "\n").split("\n"))
    space_break = _uses_space_page_breaks(raw_lines)
    page = 1
    seen_text = False
    pending = True
    for raw in raw_lines:
        new_page = False
        if "\f" in raw:
            head, _, raw = raw.rpartition("\f")
            if head.strip():
                out.append(RawLine(head.strip(), page, pending))
            page += 1 if seen_text else 0
            new_page = True
        if not raw.strip():
            pending = True
            continue
        if space_break and raw.startswith(" ") and not raw.startswith("  "):
            if seen_text:
                page += 1
            new_page = True
        out.append(RawLine(raw.strip(), page, pending or new_page, new_page or not seen_text))
        seen_text = True
        pending = False
    return out


_RUN_ON = 800  # characters: longer than a plan's paragraphs, as a whole document on one line is
_RUN_ON_PART = 200  # characters: a piece of such a line this short is a heading or a 目录 entry
_RUN_ON_MARKER = (r"第[一二三四五六七八九十百零〇\d]{1,4}[章节篇]|[一二三四五六七八九十]{1,3}、"
                  r"|[（(][一二三四五六七八九十]{1,3}[）)]|专栏\s*\d{1,2}|表\s*\d{1,2}")
_RUN_ON_HEADING = re.compile(rf"(?<=[。；！？!?\s])\s*(?={_RUN_ON_MARKER})")
# in such a dump a heading is set off from its body by a space: `第一节　发展成就 “十三五”时期，…`
_RUN_ON_TITLE = re.compile(rf"^((?:{_RUN_ON_MARKER})[\s：:]*[^\s。；，]{{1,38}})\s+(?=\S)")


def _break_run_on_lines(raw_lines: list[str]) -> list[str]:
    """A text dump with the whole document (or a chapter) on one line gets a line break before
    each heading that follows a sentence end or a space, so its structure can be found."""
    if all(len(ln) < _RUN_ON for ln in raw_lines):
        return raw_lines
    out: list[str] = []
    for ln in raw_lines:
        if len(ln) < _RUN_ON:
            out.append(ln)
            continue
        for part in split_by_contents(ln) or [ln]:
            # a 目录 entry or a heading put on its own line is short and stays whole
            out.extend(_break_at_headings(part) if len(part) > _RUN_ON_PART else [part])
    return out


def _break_at_headings(ln: str) -> list[str]:
    """Breaks before headings that follow a sentence end or a space; a heading set off from its
    body by a space gets its own line."""
    out: list[str] = []
    for piece in _RUN_ON_HEADING.split(ln):
        m = _RUN_ON_TITLE.match(piece)
        out.extend([m.group(1), piece[m.end():]] if m else [piece])
    return out


def _uses_space_page_breaks(raw_lines: list[str]) -> bool:
    """PDF-extracted text marks a page start with a single leading space on a few lines.

    Documents that indent every paragraph with spaces must not be cut into pages, so the
    convention only counts when such lines are a small minority.
    """
    nonblank = [ln for ln in raw_lines if ln.strip()]
    if not nonblank:
        return False
    single = sum(1 for ln in nonblank if ln.startswith(" ") and not ln.startswith("  "))
    indented = sum(1 for ln in nonblank if ln[:1].isspace())
    return single >= 1 and indented <= max(2, 0.2 * len(nonblank))
