"""The cells before a project row's period/investment anchor: name, park and content.

A PDF wraps each cell over short lines and may put the tail of one cell and the head of the next
on one line, so the row's pre-anchor lines are cut into fragments (whitespace-separated, with
their line and offset) and the park is found among them with a vocabulary learned from the rows of
the same table (runs ending in 园区/新区/开发区/…, a run that recurs across rows). A module of its
own: this is the one part of the project-list parser that reasons about the table as a whole
rather than line by line (table_project.py reads the lines into rows).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from ingest.table_cells import join_wrapped

_PARK_SUFFIX = re.compile(
    r"(园区|新区|开发区|经济区|保税区|产业区|工业区|高新区|示范区|功能区|集聚区|片区|港区|试验区|"
    r"合作区|自贸区|产业园|工业园|科技园|软件园|物流园|基地|街道|[县镇乡])$"
)
# how project names end; used to prefer the park reading that leaves a plausible name
_NAME_END = re.compile(
    r"(项目|工程|中心|平台|基地|[园楼厂线站馆院校所路桥期化城港区库室场台厦号谷器车机仓网段道地房店街镇村湾岛池司]|[）)A-Za-z0-9])$"
)


@dataclass
class Frag:
    text: str
    line: int  # index into the row's pre-anchor line list
    start: int  # offset in that line
    brk: bool = False  # its line follows a blank line (a new block of the PDF)



class DraftRow(Protocol):
    """A row as the line reader leaves it: its lines up to the anchor, cut into fragments."""

    pre: list[str]  # lines from the seq up to the anchor
    frags: list[Frag]


def split_frags(pre: list[str], breaks: list[bool]) -> list[Frag]:
    frags = []
    for k, line in enumerate(pre):
        for m in re.finditer(r"\S+", line):
            frags.append(Frag(m.group(0), k, m.start(), breaks[k]))
    return frags


def _joinable(frags: list[Frag], k: int) -> bool:
    """May frags k and k+1 be one wrapped cell?

    A wrapped cell continues at the start of the next line, in the same block (no blank line in
    between) -- unless its first part shared a line with the previous cell (`平台项目 大连经济技术`),
    in which case the rest of it comes as a block of its own.
    """
    a, b = frags[k], frags[k + 1]
    return b.start == 0 and b.line == a.line + 1 and (not b.brk or a.start > 0)


def _is_park(text: str) -> bool:
    return (
        2 < len(text) <= 16 and bool(_PARK_SUFFIX.search(text)) and not re.search(r"[，。、；：\d（(]", text)
    )


def _park_windows(frags: list[Frag]) -> list[tuple[int, int, str]]:
    """Runs of 1-3 fragments (never the first, which starts the name) that read like a park."""
    out = []
    for b in range(1, len(frags)):
        for a in range(b, max(0, b - 3), -1):
            if a < b and not _joinable(frags, a):
                break
            s = "".join(f.text for f in frags[a : b + 1])
            if _is_park(s):
                out.append((a, b, s))
    return out


def _choose_park(frags: list[Frag], vocab: Counter, seen: Counter) -> tuple[int, int, str] | None:
    """Pick the park run: the shortest park-like run ending at some fragment, extended backwards over
    wrapped lines while the fragment in front is nearly always followed by this run in the table
    (`大连经济技术` + `开发区`, unlike a name tail such as `项目`), or when only the extension
    leaves a name that ends like a name."""

    def name_ok(a: int) -> bool:
        return bool(_NAME_END.search("".join(f.text for f in frags[:a])))

    choices = []
    for b in range(1, len(frags)):
        a = b
        while a > 1 and b - a < 2 and not _is_park("".join(f.text for f in frags[a : b + 1])):
            if not _joinable(frags, a - 1):
                break
            a -= 1
        s = "".join(f.text for f in frags[a : b + 1])
        if not _is_park(s):
            continue
        while a - 1 >= 1 and b - a < 2 and _joinable(frags, a - 1):
            longer = frags[a - 1].text + s
            if not _is_park(longer):
                break
            if not (name_ok(a) and not name_ok(a - 1)):
                a, s = a - 1, longer
            else:
                break
        choices.append((vocab[s] >= 2, name_ok(a), -b, a, b, s))
    if not choices:
        return None
    *_, a, b, s = max(choices)
    return a, b, s


def _content(row: DraftRow, frags: list[Frag]) -> str:
    """Content fragments rejoined with their in-line spacing kept and line wraps removed."""
    if not frags:
        return ""
    parts: list[str] = []
    first = frags[0]
    for k in range(first.line, frags[-1].line + 1):
        line = row.pre[k]
        parts.append(line[first.start :] if k == first.line else line)
    return join_wrapped(parts)


def _name_end(frags: list[Frag]) -> int:
    """Without a park column: the name is the first fragment plus its short wrapped continuations."""
    k = 1
    while k < len(frags) and _joinable(frags, k - 1) and len(frags[k].text) <= 12:
        k += 1
    return k


def resolve(rows: list[DraftRow], has_park: bool) -> list[tuple[str, str | None, str]]:
    """Split each row's pre-anchor fragments into (name, park, content) with a learned park vocabulary."""
    if not has_park:
        out = []
        for row in rows:
            k = _name_end(row.frags)
            out.append(("".join(f.text for f in row.frags[:k]), None, _content(row, row.frags[k:])))
        return out
    windows = [_park_windows(r.frags) for r in rows]
    vocab = Counter(s for ws in windows for s in {w[2] for w in ws})
    seen = Counter(t for r in rows for t in {f.text for f in r.frags})  # rows each fragment occurs in
    out = []
    for row in rows:
        frags = row.frags
        best = _choose_park(frags, vocab, seen)
        if best is None:
            k = _name_end(frags)
            out.append(("".join(f.text for f in frags[:k]), None, _content(row, frags[k:])))
            continue
        a, b, park = best
        out.append(("".join(f.text for f in frags[:a]), park, _content(row, frags[b + 1 :])))
    return out

