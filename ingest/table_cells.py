"""Cell-level helpers shared by the table parsers: what a value, a unit, a year looks like.

PDF extraction flattens a table row into one line of space-separated cells, so the parsers read
rows from the right (values) towards the left (unit, name). These predicates decide which
tokens are values and which are words.
"""

from __future__ import annotations

import re

from ingest.model import Line

_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"

# A printed value: a number with optional sign / comparison / percent, or a dash meaning "none".
_VALUE_RE = re.compile(
    r"^(?:[≥≤<>＞＜约]?[-+−]?\d[\d,]*(?:\.\d+)?\s*[%‰]?(?:以上|以下|左右)?|[—–\-－]{1,2}|/)$"
    r"|^[\[〔【(（][-+−]?\d[\d,]*(?:\.\d+)?[%‰]?[\]〕】)）]$"  # bracketed: cumulative targets "[15]"
    r"|^(?:完成|达到|持续|稳步|保持|不低于|不高于|控制在|确保|逐步|显著)[^\s\d，。]{1,10}$"  # "稳步提升"
)
# Words printed in front of a value in target tables: "年均 6.5", "增长 7%", "年均增长 7%".
_QUALIFIER_RE = re.compile(
    r"^(?:年均|累计|每年|比上年|较上年|比基期)?(?:增长|下降|提高|降低|提升|减少|增加|达到|控制在)?$"
)
_UNIT_CHARS = (
    "元万亿千百个家件人户吨米平方立公里克度台套项所座张辆艘次倍小时天年月日标准箱"
    "升亩床位名兆瓦千时条处顷微毫立方斤头只株棵篇部本份例秒分钟／/％%‰℃·"
)
_UNIT_RE = re.compile(rf"^(?:[（(][^）)]{{1,10}}[）)]|[%‰℃]|[{_UNIT_CHARS}A-Za-z0-9.²³]{{1,8}})$")
_YEAR_HEADER_RE = re.compile(r"^((?:19|20)\d{2})\s*年?(.{0,6})$")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:\d{1,4}|[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?)$"
)


def is_value(token: str) -> bool:
    return bool(_VALUE_RE.match(token.strip()))


def is_qualifier(token: str) -> bool:
    return bool(token) and len(token) <= 6 and bool(_QUALIFIER_RE.match(token))


def is_unit(token: str) -> bool:
    """A short token made of unit characters ("%", "亿元", "件/万人", "（万吨）")."""
    t = token.strip()
    if not t or is_value(t):
        return False
    if _UNIT_RE.match(t):
        return True
    # compound units: "吨标煤/万元", "亿美元", "万标准箱"
    return len(t) <= 8 and ("/" in t or t[-1] in _UNIT_CHARS) and not re.search(r"[，。、：；]", t)


def clean_unit(token: str) -> str:
    return token.strip().strip("（）()").strip()


def year_of(header: str) -> str | None:
    """'2018 年' / '2025年' / '2020年目标' -> '2018'; anything else -> None."""
    m = _YEAR_HEADER_RE.match(header.strip())
    return m.group(1) if m else None


def join_years(text: str) -> str:
    """Glue '2018 年' into '2018年' so a year header stays one token."""
    return re.sub(r"((?:19|20)\d{2})\s+年", r"\1年", text)


def norm_name(text: str) -> str:
    """Drop whitespace next to CJK characters ('R&D 支出占…' -> 'R&D支出占…'); keep latin spacing."""
    text = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


def join_wrapped(parts: list[str]) -> str:
    """Rejoin pieces of one cell wrapped over several lines (no space between CJK pieces)."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and re.match(r"[A-Za-z0-9]", p[0]) and re.match(r"[A-Za-z0-9.,%]", out[-1]):
            out += " "
        out += p
    return out


def split_values(tokens: list[str], n: int) -> tuple[list[str], list[str]] | None:
    """Take `n` printed values from the right end of a row's tokens.

    A value may carry a qualifier word in front ("年均 6.5"); it is kept with the value as printed.
    Returns (remaining tokens, values left-to-right) or None when the row has too few values.
    """
    rest = list(tokens)
    values: list[str] = []
    while len(values) < n:
        if not rest or not is_value(rest[-1]):
            return None
        v = rest.pop()
        if rest and is_qualifier(rest[-1]) and len(values) < n:
            v = rest.pop() + " " + v
        values.append(v)
    values.reverse()
    return rest, values


def trailing_values(tokens: list[str]) -> int:
    """How many value tokens end this row (qualifiers not counted)."""
    n = 0
    for t in reversed(tokens):
        if not is_value(t):
            break
        n += 1
    return n


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(text))


def running_headers(lines: list[Line]) -> set[str]:
    """Texts that sit right before a page number at least twice: running headers/footers.

    The cleaner normally removes them; tables tolerate the ones it misses.
    """
    seen: dict[str, set[str]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        if is_page_number(b.text.strip()) and not is_page_number(a.text.strip()) and len(a.text) <= 40:
            seen.setdefault(a.text.strip(), set()).add(b.text.strip())
    # a header is a title, not the tail of a sentence ("工。" before a row number is not one)
    return {
        t
        for t, numbers in seen.items()
        if len(numbers) >= 2 and len(t) >= 4 and not re.search(r"[。；，、]$", t)
    }


def display_title(title: str) -> str:
    """'表 2：某…指标表' -> '表2 某…指标表'; '附件 5某…库' -> '附件5 某…库'."""
    m = re.match(r"^\s*(表|附件|附表)\s*(\d+)\s*[：:．.、]?\s*(.*)$", title)
    if not m:
        return title.strip()
    return f"{m.group(1)}{m.group(2)} {m.group(3).strip()}".strip()


_TABLE_TITLE_RE = re.compile(
    r"^(?:表|附表)\s*\d+(?:\s*[：:．.、]\s*|\s+)?[^\d\s，。].{0,60}$"
    # a title may itself start with a year once a separator sets it apart: "表1 2024年主要预期目标"
    r"|^(?:表|附表)\s*\d+(?:\s*[：:．.、]\s*|\s+)(?:19|20)\d{2}\s*(?:年|[-—–~～至]).{0,60}$"
)
_ANNEX_TITLE_RE = re.compile(r"^附件\s*\d+\s*[：:．.、]?\s*\S.{0,60}(?:表|库|清单|目录|一览)$")


def is_table_title(text: str) -> bool:
    """`表 3：…指标表`, `表 1 “十四五”…主要指标表`, `附件 3…项目库` (not a sentence that mentions 表)."""
    t = text.strip()
    if t.endswith(("。", "；", "，")) or len(t) > 70:
        return False
    return bool(_TABLE_TITLE_RE.match(t) or _ANNEX_TITLE_RE.match(t))
