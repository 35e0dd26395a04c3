"""The value a figure, duration or date question asks for, cut out of the text that holds it.

A question asking 多少/几/多久/多长时间 is answered by a figure with its measure word (4262户, 近26万毫升,
三个月, 8种), one asking 何时 by a date (2月16日).  The text around the value — the gap a question
leaves (`assistant.asked.gap`) or the clause holding a value — is not the answer: `asked_value`
cuts it to the one value it states of the asked kind, preferring the measure word the question
names (多少吨 → 1294吨 of 设备967批次、1294吨) or, for a duration, a unit of time.  A figure the question
states itself is never its answer.
"""

from __future__ import annotations

import re

# A figure with its qualifier, measure word and bound (近26万毫升, 超过2000万张, 4262户, 50%以内, 12360)
# and a date (2020年2月22日, 2月16日).
_UNITS = (r"%|‰|个百分点|倍|[万亿]?(?:元|美元)|万?吨|毫升|升|公斤|千克|平方米|立方米|平方公里|公里|米|亩|千瓦时|千瓦|"
          r"个月|个工作日|个小时|小时|分钟|[人辆架班车家]次|[个名人家户件张条项种批次台辆架艘所座支套份元吨天日周年]")
_BOUND = r"(?:以上|以下|以内|左右)?"
_MEASURE_WORD = rf"(?:万|亿|千|百)*(?:余|馀|多)?\s*(?:{_UNITS})?{_BOUND}"
# what a value's qualifier may say before it: per unit (每人每月1000元), a bound (最长不超过3个月), roughly
_QUALIFIER = (r"(?:每[人户家个月天年日次周]){0,2}"
              r"(?:最长|最高|最多|最低|至少|不超过|不高于|不低于|不少于|超过|近|约|逾|达|共|累计){0,2}")
_FIGURE_VALUE = re.compile(_QUALIFIER + r"(?<![\d.\-])\d[\d,.]*(?:[-—－]\d[\d,.]*)*" + _MEASURE_WORD +
                           r"(?![\d月日号])")
# A figure written in Chinese numerals counts only with a measure word (三个月, 十二条, 两批): without one
# 一 and 十 are parts of words (统一, 十足).  一 alone is a count only of time (一个月, 一年): 一次性,
# 一批 and 一线 are words.
_CN_FIGURE = re.compile(_QUALIFIER + r"(?<![第一二三四五六七八九十两百千万])"
                        r"(?:[二三四五六七八九十两][一二三四五六七八九十两百千]*|一[一二三四五六七八九十百千]+)"
                        rf"[万亿]?(?:{_UNITS}){_BOUND}(?![一二三四五六七八九十])"
                        r"|(?<![第一二三四五六七八九十两百千万])一(?:个月|个工作日|个小时|年|天|周)")
_DATE_VALUE = re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<![\d月第])\d{1,2}\s*[日号]")
_YEAR = re.compile(_QUALIFIER + r"(?:19|20)\d{2}\s*年")
FIGURE_DIGITS = re.compile(r"\d[\d.,]*")
# the units of a duration (多久, 多长时间 ask for one)
_TIME_UNIT = re.compile(r"(?:个月|个工作日|个小时|小时|分钟|天|日|周|年)" + _BOUND + "$")
# the measure word a question names right after its wh word (多少吨, 几个月, 多少户)
_ASKED_UNIT = re.compile(rf"^(?:{_UNITS})")
ASKS_DURATION = re.compile(r"多久|多长时间|多长")


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the figures `text` states (Arabic or Chinese numerals), not dates nor years."""
    dates = [m.span() for m in _DATE_VALUE.finditer(text)]
    spans = [m.span() for m in _FIGURE_VALUE.finditer(text)
             if not any(a <= m.start() < b for a, b in dates) and not _YEAR.match(text, m.start())]
    spans += [m.span() for m in _CN_FIGURE.finditer(text)]
    return sorted(spans)


def only_value(clause: str, number: bool, stated: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """Offsets of the one figure (or date) `clause` states beside those the question states
    (`stated`: …开展了25轮的监督指导，涉及多少单位 asks for the other figure), or None when it
    states none or several."""
    spans = _values(clause, number, stated)
    return spans[0] if len(spans) == 1 else None


def _values(text: str, number: bool, stated: frozenset[str]) -> list[tuple[int, int]]:
    spans = figure_spans(text) if number else [m.span() for m in _DATE_VALUE.finditer(text)]
    return [sp for sp in spans if not set(FIGURE_DIGITS.findall(text[sp[0]:sp[1]])) <= stated or
            not FIGURE_DIGITS.search(text[sp[0]:sp[1]])]


def asked_unit(wh: str, after: str) -> re.Pattern[str] | None:
    """What the asked value must end with: the measure word after the wh word (多少吨 → 吨), a unit
    of time for a duration (多久), else None (any figure)."""
    if ASKS_DURATION.fullmatch(wh):
        return _TIME_UNIT
    m = _ASKED_UNIT.match(re.sub(r"^(?:多少|几)", "", wh) + after)
    return re.compile(re.escape(m.group(0)) + _BOUND + "$") if m else None


def asked_value(text: str, wh: str, after: str, stated: frozenset[str]) -> tuple[int, int] | None:
    """Offsets in `text` of the value a figure question asks for: the one figure it states besides
    the question's own, or the one ending with the asked unit (`asked_unit`); None when that is
    not one figure (an enumeration of figures stays whole)."""
    spans = _values(text, True, stated)
    unit = asked_unit(wh, after)
    if unit is not None and len(spans) > 1:
        spans = [sp for sp in spans if unit.search(text[sp[0]:sp[1]])]
    return spans[0] if len(spans) == 1 else None
