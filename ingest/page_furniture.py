"""Page furniture of extracted text: running headers and footers, page numbers, and running
chapter headings repeated atop each page. Short lines that repeat on many pages next to a
page-number line (or at page edges) are removed; the headings where chapters start are kept.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.line_shapes import RawLine, display_width, looks_like_heading, tableish

# --- page numbers and running headers ---------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_PAGE_NUMBER_DECORATED = re.compile(
    r"^(?:第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)


def drop_running_headers(raws: list[RawLine], paged: bool, pdf_pages: bool = False) -> tuple[list[RawLine], list[str]]:
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
        and not looks_like_heading(t) and not _PAGE_NUMBER.match(t) and not tableish(t)
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
    kept: list[RawLine] = []
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


def _running_heading_copies(raws: list[RawLine], drop: set[int]) -> set[int]:
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

