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

Document text stays verbatim: apart from removed header lines, joined wraps and the footnote
marker separation, no character is changed. `match_form` is the normalised copy for matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.loaders import HEADING_START, LoadedText
from ingest.model import Line, Paragraph
from ingest.runon import split_by_contents

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


# --- widths and line shapes -------------------------------------------------------------------


def display_width(s: str) -> int:
    """Columns a line takes when printed: CJK / full-width characters count 2.

    Ambiguous-width characters (“” —— …) are typeset full-width in Chinese text.
    """
    wide = "WFA" if _CJK.search(s) else "WF"
    return sum(2 if unicodedata.east_asian_width(c) in wide else 1 for c in s)


_CJK = re.compile(r"[\u4e00-\u9fff]")


# a line ending in ； usually continues the paragraph (lists of clauses), so it is not here
_TERMINAL = set("。！？：!?:…")
_CLOSERS = "”’」』）)】》\"'"
_COMMA_END = set("，、,（(“《")

_HEADING_START = HEADING_START  # a wrapped body line practically never begins with these
_CAPTION = re.compile(r"^\s*(?:附\s*)?[表图]\s*\d{1,2}(?:\s*[-—.．]\s*\d{1,2})?\s*[：:\s“\u4e00-\u9fff]")
# a salutation (各位代表： 各区人民政府，市政府各部门：) opens a paragraph of its own
_SALUTATION = re.compile(r"^各[^。；，]{1,60}[:：]$")
_TOC_LINE = re.compile(r"^\s*目\s*[录次]\s*$")
_NUMBER_TOKEN = re.compile(r"^[-+−]?[\d,.]+%?$|^——$|^—$|^-$")
_COLUMN_GAP = re.compile(r"(?<=\S)(?: {2,}|\u3000{2,})(?=\S)")
# a typeset line never starts with these: a line that does is the continuation of the one before
_NO_LINE_START = set("，。、；：？！）》」』”’%‰")


def ends_sentence(s: str) -> bool:
    s = s.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


def looks_like_heading(s: str) -> bool:
    return bool(_HEADING_START.match(s))


def _tableish(s: str) -> bool:
    """A row of a flattened table: several numeric cells separated by spaces, and no prose
    punctuation (a sentence like `2019 年 5 月 17 日，…` has spaced numbers too)."""
    if "\t" in s:
        return True
    if re.search(r"[，。；]", s):
        return False
    if len(_COLUMN_GAP.findall(s)) >= 2:
        return True  # cells aligned in columns with runs of spaces (text dumps, PDF layout mode)
    tokens = s.split()
    numeric = sum(1 for tok in tokens if _NUMBER_TOKEN.match(tok))
    return numeric >= 3 and numeric >= 0.4 * len(tokens)


# --- page numbers and running headers ---------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_PAGE_NUMBER_DECORATED = re.compile(
    r"^(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)


@dataclass
class Cleaned:
    lines: list[Line]
    running_headers: list[str] = field(default_factory=list)  # removed repeated lines, most frequent first
    pages: int = 1
    footnotes: list[str] = field(default_factory=list)  # footnote lines as separated ("1 2013年…")
    run_on: bool = False  # the text had a whole body on one line: its lines are not hard-wrapped


@dataclass
class _Raw:
    text: str
    page: int
    para_break: bool
    page_first: bool = False


def to_lines(loaded: LoadedText) -> list[Line]:
    """Physical lines with 1-based pages; running headers, page numbers removed; footnotes split."""
    return clean(loaded).lines


def clean(loaded: LoadedText) -> Cleaned:
    raws = _split_pages(loaded)
    pages = max((r.page for r in raws), default=1)
    raws, headers = _drop_running_headers(raws, paged=pages > 1, pdf_pages=loaded.pages is not None)
    notes: list[str] = []
    raws = _separate_footnotes(raws, notes)
    lines = [Line(r.text, r.page, r.para_break) for r in raws]
    run_on = loaded.pages is None and any(len(ln) >= _RUN_ON for ln in loaded.text.split("\n"))
    return Cleaned(lines, headers, pages, notes, run_on)


def _split_pages(loaded: LoadedText) -> list[_Raw]:
    out: list[_Raw] = []
    if loaded.pages is not None:
        for n, page_text in enumerate(loaded.pages, start=1):
            pending = True
            first = True
            for raw in page_text.replace("\f", "\n").split("\n"):
                text = raw.strip()
                if not text:
                    pending = True
                    continue
                out.append(_Raw(text, n, pending, first))
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
                out.append(_Raw(head.strip(), page, pending))
            page += 1 if seen_text else 0
            new_page = True
        if not raw.strip():
            pending = True
            continue
        if space_break and raw.startswith(" ") and not raw.startswith("  "):
            if seen_text:
                page += 1
            new_page = True
        out.append(_Raw(raw.strip(), page, pending or new_page, new_page or not seen_text))
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


def _drop_running_headers(raws: list[_Raw], paged: bool, pdf_pages: bool = False) -> tuple[list[_Raw], list[str]]:
    n = len(raws)
    counts = Counter(r.text for r in raws)
    page_last = {}
    for i, r in enumerate(raws):
        page_last[r.page] = i

    def is_number(i: int) -> bool:
        return 0 <= i < n and bool(_PAGE_NUMBER.match(raws[i].text))

    def at_page_edge(i: int) -> bool:
        r = raws[i]
        return r.page_first or page_last.get(r.page) == i or (i > 0 and raws[i - 1].page_first and
                                                               raws[i - 1].page == r.page)

    drop: set[int] = set()
    headers: list[str] = []
    candidates = [
        t for t, c in counts.items()
        if c >= (2 if pdf_pages else 3) and display_width(t) <= 80 and "\t" not in t and "。" not in t and t[-1] not in "，、；,;"
        and not looks_like_heading(t) and not _PAGE_NUMBER.match(t) and not _tableish(t)
    ]
    for text in sorted(candidates, key=lambda t: -counts[t]):
        idx = [i for i, r in enumerate(raws) if r.text == text]
        if len({raws[i].page for i in idx}) < max(2 if pdf_pages else 3, 0.6 * len(idx)):
            continue  # a running header is on many different pages, not repeated within a few
        numbers = [int(raws[j].text) for i in idx for j in (i + 1, i - 1) if is_number(j)][: len(idx)]
        numbers_ok = len(numbers) >= 0.5 * len(idx) and all(a < b for a, b in zip(numbers, numbers[1:], strict=False))
        at_edge = sum(1 for i in idx if at_page_edge(i)) if paged else 0
        # A table cell that repeats (a park name) may sit next to row numbers, but those do not
        # grow page by page; a repeated table header is never next to a page number at all.
        if (numbers_ok and len(idx) >= 3) or at_edge >= 0.8 * len(idx):
            headers.append(text)
            for i in idx:
                drop.add(i)
                for j in (i - 1, i + 1):
                    if is_number(j):
                        drop.add(j)
    for i, r in enumerate(raws):
        if _PAGE_NUMBER_DECORATED.match(r.text):
            drop.add(i)
        elif pdf_pages and _PAGE_NUMBER.match(r.text) and (page_last.get(r.page) == i or r.page_first):
            # a bare number as the first/last line of a PDF page is its page number
            drop.add(i)
    if paged:
        drop |= _running_heading_copies(raws, drop)
    kept: list[_Raw] = []
    carry_first = False
    for i, r in enumerate(raws):
        if i in drop:
            carry_first = carry_first or r.page_first
            continue
        if carry_first and (not kept or kept[-1].page != r.page or True):
            r.page_first = True
            r.para_break = True
            carry_first = False
        kept.append(r)
    return kept, headers


_MARKER_CLASS = re.compile(r"^\s*(?:第\s*[一二三四五六七八九十百零〇\d]{1,4}\s*(章|节|篇|部分)"
                           r"|([一二三四五六七八九十]{1,3})、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)])")


def _marker_class(text: str) -> str | None:
    m = _MARKER_CLASS.match(text)
    if m is None or display_width(text) > 60:
        return None
    return m.group(1) or ("cn" if m.group(2) else "paren_cn")


def _running_heading_copies(raws: list[_Raw], drop: set[int]) -> set[int]:
    """Running headers that name the current chapter (`第三章 构建现代产业体系` atop each of its
    pages). Such a line opens a page and repeats the latest heading of its kind, or is followed
    on the same page by the heading itself; the heading where the chapter starts is kept."""
    tops: set[int] = set()
    pages: set[int] = set()
    for i, r in enumerate(raws):
        if i not in drop and r.page not in pages:
            pages.add(r.page)
            tops.add(i)
    copies: set[int] = set()
    current: dict[str, str] = {}
    for i, r in enumerate(raws):
        kind = None if i in drop else _marker_class(r.text)
        if kind is None:
            continue
        if i in tops and (current.get(kind) == r.text or any(
                raws[j].text == r.text and raws[j].page == r.page for j in range(i + 1, min(i + 6, len(raws))))):
            copies.add(i)
            continue
        current[kind] = r.text
    return copies


# --- footnotes --------------------------------------------------------------------------------

# a footnote marker in body text: a small number right after a closing quote or CJK character
# and right before CJK text, e.g. “两先区”1建设
_MARKER = re.compile(r"(?<=[”」』）)\u4e00-\u9fff])(\d{1,2})(?=[\u4e00-\u9fff，。、；])")


def _separate_footnotes(raws: list[_Raw], notes: list[str]) -> list[_Raw]:
    """Split `12013年…` into marker and note text when marker 1 was used on the same page.

    A marker is used once: each footnote consumes it, so later lines starting with the same
    digit (`10平方公里`) are left alone.
    """
    open_markers: dict[str, int] = {}  # marker -> page where it appeared in body text
    out = list(raws)
    i = 0
    while i < len(out):
        r = out[i]
        last_of_page = i + 1 >= len(out) or out[i + 1].page != r.page
        near_bottom = last_of_page or (i + 2 < len(out) and out[i + 2].page != r.page)
        note_marker = None
        if open_markers and near_bottom and not looks_like_heading(r.text):
            for mk in sorted(open_markers, key=len, reverse=True):
                rest = r.text[len(mk):]
                # after the marker comes text or a date (`12013年`); other digits mean the
                # line is a number that continues the paragraph (`10平方公里`)
                # a footnote never starts with 0 nor reads on with a unit (`0亿元` is a wrapped figure)
                if (r.text.startswith(mk) and rest and not mk.startswith("0")
                        and rest[0] not in "、.．)）%％亿万千百十元角家个项台件倍吨米度"
                        and (not rest[0].isdigit() or re.match(r"(19|20)\d\d\s*年", rest))
                        and open_markers[mk] >= r.page - 1 and display_width(rest) >= 10):
                    note_marker = mk
                    break
        if note_marker is None:
            for m in _MARKER.finditer(r.text):
                open_markers.setdefault(m.group(1), r.page)
            i += 1
            continue
        del open_markers[note_marker]
        r.text = f"{note_marker} {r.text[len(note_marker):].lstrip()}"
        notes.append(r.text)
        r.para_break = True
        prev = out[i - 1] if i > 0 else None
        if prev is not None and not ends_sentence(prev.text):
            # the paragraph above continues on the next page: move the note after its end
            del out[i]
            j = i
            while j < len(out) and j < i + 40 and not ends_sentence(out[j].text):
                j += 1
            j = min(j + 1, len(out))
            out.insert(j, r)
            if j + 1 < len(out):
                out[j + 1].para_break = True
            continue
        if i + 1 < len(out):
            out[i + 1].para_break = True
        i += 1
    return out


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
    if _tableish(a.text) or _tableish(b.text):
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
