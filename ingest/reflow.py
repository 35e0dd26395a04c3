"""Reflow: hard-wrapped lines joined into paragraphs. A line that fills the typical wrap width
and does not end a sentence continues into the next one (CJK wraps joined without a space);
headings, captions, salutations, table rows and Markdown headings stand alone.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.line_shapes import display_width, ends_sentence, looks_like_heading, tableish
from ingest.model import Line, Paragraph

_COMMA_END = set("，、,（(“《")
_CAPTION = re.compile(r"^\s*(?:附\s*)?[表图]\s*\d{1,2}(?:\s*[-—.．]\s*\d{1,2})?\s*[：:\s“\u4e00-\u9fff]")
# a salutation (各位代表： 各区人民政府，市政府各部门：) opens a paragraph of its own
_SALUTATION = re.compile(r"^各[^。；，]{1,60}[:：]$")
_TOC_LINE = re.compile(r"^\s*目\s*[录次]\s*$")
# a typeset line never starts with these: a line that does is the continuation of the one before
_NO_LINE_START = set("，。、；：？！）》」』”’%‰")


# --- reflow -----------------------------------------------------------------------------------


def typical_width(lines: list[Line]) -> int:
    """The wrap width of the text: the most common display width of long lines.

    Text without a consistent wrap width (one paragraph per line) falls back to 52 columns,
    the 26-character width of the common A4 layout.
    """
    widths = [display_width(ln.text) for ln in lines if "\t" not in ln.text]
    long = [w for w in widths if w >= 30]
    if long:
        w, c = Counter(long).most_common(1)[0]
        if c >= 0.15 * len(long) and c >= 5:
            return w
    return 52


def _joiner(a: str, b: str) -> str:
    # English prose wraps at spaces; CJK wraps between characters
    if a and b and re.match(r"[A-Za-z,.;:]", a[-1]) and re.match(r"[A-Za-z(]", b[0]):
        return " "
    return ""


def _full(text: str, width: int) -> bool:
    """Does a line reach the wrap width? Typesetters wrap by printed width (digits are narrow);
    plain-text wrappers by a count of characters, which is half the width in columns."""
    return display_width(text) >= width - 8 or len(text) >= width // 2 - 2


def should_join(a: Line, b: Line, width: int, blank_lines_mark_paragraphs: bool) -> bool:
    """Does line `a` continue into line `b` (a hard wrap) rather than end a paragraph?"""
    # a page start is no evidence of a paragraph start: the width rule decides there
    if blank_lines_mark_paragraphs and b.para_break and b.page == a.page:
        return False
    if tableish(a.text) or tableish(b.text):
        return False
    if a.text.startswith("#") or b.text.startswith("#"):
        return False  # a Markdown heading is one line
    if a.text[-1:] in _COMMA_END or b.text[:1] in _NO_LINE_START:
        return True
    if looks_like_heading(b.text) or _SALUTATION.match(b.text) or _TOC_LINE.match(b.text):
        return False
    if ends_sentence(a.text):
        return False
    if _CAPTION.match(a.text):
        return False  # a table/figure caption is followed by the table header or the figure
    if not _full(a.text, width):
        return False
    if looks_like_heading(a.text) and "。" not in a.text:
        # A full-width heading line either wraps into the short tail of the heading, or into
        # the rest of a run-in heading that ends with 。 soon; otherwise the next full line is
        # the first line of the body.
        if not _full(b.text, width):
            return True
        return bool(re.search(r"[。；]", b.text[:14]))
    return True


def blank_lines_mark_paragraphs(lines: list[Line]) -> bool:
    """In PDF dumps every wrapped line is followed by a blank line, so blanks mean nothing."""
    if len(lines) < 4:
        return True
    return sum(1 for ln in lines if ln.para_break) < 0.6 * len(lines)


def reflow(lines: list[Line], width: int | None = None, blanks: bool | None = None,
           hard_wraps: bool = True) -> list[Paragraph]:
    """Join hard-wrapped lines into paragraphs; offsets assume paragraphs joined by '\\n'."""
    # hard_wraps=False: the format's lines already are paragraphs (HTML blocks, DOCX paragraphs)
    if not lines:
        return []
    width = width or typical_width(lines)
    blanks = blank_lines_mark_paragraphs(lines) if blanks is None else blanks
    paragraphs: list[Paragraph] = []
    cur: Paragraph | None = None
    prev: Line | None = None
    offset = 0
    for ln in lines:
        if cur is not None and prev is not None and hard_wraps and should_join(prev, ln, width, blanks):
            joint = _joiner(cur.text, ln.text)
            if ln.page != cur.page_end:
                cur.page_marks.append((len(cur.text) + len(joint), ln.page))
            cur.text += joint + ln.text
            cur.page_end = ln.page
        else:
            if cur is not None:
                cur.end = cur.start + len(cur.text)
                paragraphs.append(cur)
                offset = cur.end + 1
            cur = Paragraph(ln.text, ln.page, ln.page, start=offset)
        prev = ln
    assert cur is not None
    cur.end = cur.start + len(cur.text)
    paragraphs.append(cur)
    return paragraphs
