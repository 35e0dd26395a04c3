"""Segmentation of a document's text into answer spans: sentences, clauses and enumerated items.

Policy answers are verbatim spans of a document — a clause, a sentence, or a contiguous enumerated
block (一是…二是…, （一）…（二）…, 1.…2.…).  Every unit keeps its offsets into the document text,
so the quote of an answer is the document's own characters.

Sentence ends are 。！？； (and their ASCII forms), line breaks, and whitespace between two Chinese
characters (web pages and flattened paragraphs separate paragraphs, titles and datelines by a
space).  Whitespace next to a digit or a Latin letter stays inside a sentence (`2020 年 3 月`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = r"\u4e00-\u9fff"
_END_PUNCT = "。！？；!?;"
# a break: after sentence-final punctuation (closing quotes/brackets kept with the sentence),
# at a line break, or at whitespace between two Chinese characters / closing punctuation
_BREAK = re.compile(
    rf"(?<=[{_END_PUNCT}])[”’」』）)]*\s*"
    rf"|\s*\n\s*"
    rf"|(?<=[{_CJK}：:，,、。”」）)])[ \t\u3000\xa0]+(?=[{_CJK}“「（(《【])"
)
# a clause ends after ，：(and their ASCII forms, but not inside a web address https:// or a number 1,000)
_CLAUSE_END = re.compile(r"(?<=[，：])|(?<=,)(?!\d{3})|(?<=:)(?!//)")
# the marker an enumerated item starts with, and the series it belongs to
_CN_NUM = "一二三四五六七八九十"
_ITEM_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("shi", re.compile(rf"^[{_CN_NUM}]{{1,3}}是")),  # 一是…二是…
    ("paren_cn", re.compile(rf"^[（(][{_CN_NUM}]{{1,3}}[）)]")),  # （一）
    ("cn_dun", re.compile(rf"^[{_CN_NUM}]{{1,3}}[、.．]")),  # 一、
    ("ordinal", re.compile(rf"^第[{_CN_NUM}]{{1,3}}[，,、：:是]")),  # 第一，
    ("paren_num", re.compile(r"^[（(]\d{1,2}[）)]")),  # （1）
    ("num", re.compile(r"^\d{1,2}(?:[、.．](?!\d)|\s)")),  # 1. 1、
    ("circled", re.compile(r"^[①-⑳]")),  # ①
    ("sequence", re.compile(r"^(?:首先|其次|再次|然后|最后|此外|另外)[，,]")),
]
# a sentence that announces what follows: 采取以下措施：, 具体如下。, 包括：
_ANNOUNCES = re.compile(r"[：:]$|如下|以下|下列|下述|主要有|包括[：:]?$")


@dataclass(frozen=True)
class Unit:
    """A sentence of a document: `text == doc_text[start:end]` (stripped)."""

    start: int
    end: int
    text: str
    series: str | None = None  # enumeration series of the item this sentence starts, if any
    para: int = 0  # paragraph number: sentences separated by a line break or a space are in different ones

    @property
    def announces(self) -> bool:
        return bool(_ANNOUNCES.search(self.text))


def item_series(sentence: str) -> str | None:
    """The enumeration series (`shi`, `paren_cn`, …) whose marker `sentence` starts with."""
    for name, rx in _ITEM_PATTERNS:
        if rx.match(sentence):
            return name
    return None


def _inline_items(text: str, start: int) -> list[tuple[int, int]]:
    """Split points of a run-in 一是…；二是… enumeration inside one stretch (no sentence end
    between items is common: 一是……，二是……)."""
    cuts = [m.start() for m in re.finditer(rf"(?<=[，,；;。：:])[{_CN_NUM}]{{1,3}}是", text)]
    if len(cuts) < 1:
        return [(start, start + len(text))]
    bounds = [0, *cuts, len(text)]
    return [(start + a, start + b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def sentences(text: str) -> list[Unit]:
    """The sentences of `text` in order, each with its offsets and enumeration series."""
    out: list[Unit] = []
    cuts = [m.end() for m in _BREAK.finditer(text)]
    pos = 0
    para = 0
    for end in [*cuts, len(text)]:
        if end <= pos:
            continue
        for a, b in _inline_items(text[pos:end], pos):
            raw = text[a:b]
            lead = len(raw) - len(raw.lstrip())
            s = raw.strip()
            if s:
                out.append(Unit(a + lead, a + lead + len(s), s, item_series(s), para))
        if text[pos:end] != text[pos:end].rstrip():
            para += 1  # the stretch ended in whitespace: a paragraph (or title line) ends here
        pos = end
    return out


def paragraph_end(units: list[Unit], i: int, max_units: int = 4) -> int:
    """Index one past the last sentence of units[i]'s paragraph (at most `max_units` sentences on),
    stopping before the next enumerated item."""
    j = i + 1
    while j < min(len(units), i + max_units) and units[j].para == units[i].para and units[j].series is None:
        j += 1
    return j


def clauses(sentence: str) -> list[str]:
    """A sentence cut after ，：(the pieces concatenate back to the sentence)."""
    return [c for c in _CLAUSE_END.split(sentence) if c]


MAX_BLOCK_UNITS = 12  # an enumerated block or a heading's body longer than this is cut
SHORT_HEADING = 24  # an item this short (二、移风易俗过节。) is a heading: its body answers


def is_heading(u: Unit) -> bool:
    """A title line (no sentence-final punctuation) or a short numbered item."""
    if not re.search(r"[。；！？.;!?]$", u.text):
        return True
    return u.series is not None and len(u.text) <= SHORT_HEADING


def block_end(units: list[Unit], i: int, max_units: int = MAX_BLOCK_UNITS) -> int:
    """Index one past the block a sentence leads: for a heading, its body (up to the next item
    of the same or a higher series); for a sentence that announces a list (ends with ：, says
    以下/如下), the items after it; for any other sentence, itself (an item answers alone)."""
    head = units[i]
    limit = min(len(units), i + 1 + max_units)
    if head.announces and i + 1 < len(units) and units[i + 1].series is not None:
        series = units[i + 1].series
        j = i + 1
        while j < limit and (units[j].series is None or units[j].series == series
                             or _rank(units[j].series) > _rank(series)):
            j += 1
        return j
    if is_heading(head) and i + 1 < len(units):
        j = i + 1
        while j < limit and not _closes(units[j], head.series):
            j += 1
        return j
    return i + 1


_KEY_VALUE = re.compile(r"[：:]\s*\S")  # ncpqa-dev dev split, policy spans: 0.5575 → 0.5594 (account, address blocks)


def _closes(u: Unit, series: str | None) -> bool:
    """Whether `u` ends the body of a heading of `series` (a sibling, a parent, or any title line)."""
    if u.series is None:  # a short unpunctuated line — but a key：value line (开户名：…) is body, not a title
        return not re.search(r"[。；！？.;!?，,]$", u.text) and len(u.text) <= SHORT_HEADING \
            and not _KEY_VALUE.search(u.text)
    return series is None or u.series == series or _rank(u.series) <= _rank(series)


_SERIES_RANK = {"cn_dun": 0, "paren_cn": 1, "ordinal": 2, "shi": 2, "num": 3, "paren_num": 4, "circled": 5,
                "sequence": 2}


def _rank(series: str) -> int:
    return _SERIES_RANK.get(series, 3)
