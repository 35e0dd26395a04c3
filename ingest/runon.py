"""Headings inside one-line bodies, found through the document's own table of contents.

A web dump may hold a whole plan on one line, its headings glued to their bodies:
`…全面提升民生保障水平。第一节 建立高效运行的社会保险制度（一）实施全民参保计划开展养老保险…`.
Where a heading's title ends cannot be told from the text alone, but such plans open with a 目录
that lists every heading as printed (`第一节 建立高效运行的社会保险制度`, with or without dot
leaders and page numbers). The 目录 is read entry by entry until an entry repeats (the body has
begun); then each entry is looked up in the body, in order, and put on a line of its own. The
目录 itself becomes one line per entry, so `structure.toc_range` skips it as a table of contents.

Only line breaks are added (and the spaces at a break dropped): no character of the text changes.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十百零〇"
_ENTRY = re.compile(
    rf"第\s*[{_CN}\d]{{1,4}}\s*[章节篇]|[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]"
    r"|前\s*言|序\s*言|引\s*言|结\s*束\s*语|结\s*语|附\s*件\s*\d{0,2}|附\s*录|专栏\s*\d{1,2}")
_TOC = re.compile(r"目\s*录|目\s*次")
_TOC_WINDOW = 3000  # characters: a 目录 starts near the top of the document
_LEADER = re.compile(r"(?:[.。·…．\s]{2,}|[.…]+)\s*\d{0,4}\s*$")
_INNER_LEADER = re.compile(r"(?:[.·…．]{2,}|…)\s*\d{1,4}")
_MIN_ENTRIES = 4  # fewer entries are a sentence that mentions 目录, not a table of contents
_QUOTES = "“”\"‘’'"


def split_by_contents(line: str) -> list[str] | None:
    """The line cut before and after every heading its 目录 lists; None without a usable 目录."""
    toc = _TOC.search(line[:_TOC_WINDOW])
    if toc is None:
        return None
    entries, body_at = _entries(line, toc.end())
    if len(entries) < _MIN_ENTRIES or body_at is None:
        return None
    pieces = [line[:toc.start()].strip(), line[toc.start():toc.end()]]
    starts = [a for a, _, _ in entries] + [body_at]
    pieces += [line[a:b].strip() for a, b in zip(starts, starts[1:], strict=False)]  # leaders, page numbers kept
    cursor, last = body_at, body_at
    for _, _, key in entries:
        m = _pattern(key).search(line, cursor)
        if m is None or m.start() - cursor > len(line) // 2:
            continue  # not in the body (or only far away): leave the text as it is
        pieces += [line[last:m.start()].strip(), line[m.start():m.end()].strip()]
        last = cursor = m.end()
    pieces.append(line[last:].strip())
    return [p for p in pieces if p]


def _entries(line: str, start: int) -> tuple[list[tuple[int, int, str]], int | None]:
    """(start, end, squeezed key) of each 目录 entry, and where the body begins (the first entry
    printed again)."""
    marks = [m.start() for m in _ENTRY.finditer(line, start, min(len(line), start + _TOC_WINDOW * 2))]
    entries: list[tuple[int, int, str]] = []
    seen: list[str] = []
    for n, at in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else at + 60
        raw = line[at:end]
        squeezed = _squeeze(raw)
        if any(squeezed.startswith(k) for k in seen) and entries:
            return entries, at
        leader = _INNER_LEADER.search(raw)
        if leader and re.search(r"[。；，]", raw[leader.end():]):
            # the last entry's page number, then the body without a heading of its own
            key = _squeeze(raw[:leader.start()])
            entries.append((at, at + leader.start(), key))
            return entries, at + leader.end()
        title = _LEADER.sub("", raw).strip()
        key = _squeeze(title)
        if len(key) > 60 or re.search(r"[。；]", key):
            return entries, None  # prose before any repeat: no 目录 of headings
        entries.append((at, at + len(title), key))
        seen.append(key)
    return entries, None


def _squeeze(s: str) -> str:
    return re.sub(rf"[\s{_QUOTES}]", "", s)


def _pattern(key: str) -> re.Pattern[str]:
    """The heading as printed in the body: any spacing, quotes optional."""
    return re.compile(rf"[\s{_QUOTES}]*".join(re.escape(c) for c in key))
