"""Time in questions, resolved per document against its profile.

A question's time words mean different years in different documents: 今年 is the year a work
report sets targets for (`report_year`), 去年/上一年/过去一年 the year it reviews (`review_year`),
十四五末 the last year of the 14th five-year plan, 十四五期间 a plan's whole period. This module
decides:

- `asked_time(norm)`: what the question says about time (explicit years, relative words, plan
  periods) as an `AskedTime`;
- `years_for(asked, profile)`: the concrete years that time means in one document;
- `time_match(years, sentence, context, profile)`: how well a sentence (with its section path and
  the paragraph text before it) states something of those years, in [0, 1] — a named feature of
  the abstention score (assistant/abstention.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# a year is written with 年 or as the start of a range (2021—2025); 2000公里 is no year
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*年|\s*[-—–~至到]\s*(?:19|20)?\d{2})")
# a year that names a document rather than the asked time: 2025年政府工作报告, 2017年计划报告
_NAMES_DOC = re.compile(r"(?:(?<!\d)(?:19|20)\d{2}年?|[“\"]?十[一二三四五]五[”\"]?)[\u4e00-\u9fff]{0,4}?"
                        r"(?:政府工作报告|工作报告|报告|规划|纲要)")
_PLAN = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
         "十五五": (2026, 2030)}
_PLAN_RX = re.compile(r"(十[一二三四五]五)")
_PLAN_END = re.compile(r"(十[一二三四五]五)[”\"]?(?:规划)?(?:期末|末期|末|收官|结束时)")
# relative year words → offset from the document's report year
_RELATIVE = [("今年", 0), ("本年", 0), ("明年", 1), ("去年", -1), ("上一年", -1), ("上年", -1), ("过去一年", -1)]
_SPAN_PAST = re.compile(r"过去(五|5)年")
# a sentence's own relative years (offsets as above); 比去年 / 较去年 / 同去年 compare with last year and
# speak of this one
_RELATIVE_YEAR = {0: re.compile(r"今年"), -1: re.compile(r"(?<![比较同])去年")}


@dataclass
class AskedTime:
    years: list[int] = field(default_factory=list)  # explicit years (2025年)
    relative: list[int] = field(default_factory=list)  # offsets from the report year (今年 → 0)
    plan_end: list[int] = field(default_factory=list)  # 十四五末 → 2025
    plan_span: list[tuple[int, int]] = field(default_factory=list)  # 十四五期间 → (2021, 2025)
    past_five: bool = False  # 过去五年: the reviewed plan period

    @property
    def empty(self) -> bool:
        return not (self.years or self.relative or self.plan_end or self.plan_span or self.past_five)


def asked_time(norm: str) -> AskedTime:
    """The time a question asks about, before it is resolved against a document."""
    t = AskedTime()
    norm = _NAMES_DOC.sub(" ", norm)
    t.years = list(dict.fromkeys(int(y) for y in _YEAR.findall(norm)))
    t.relative = [off for word, off in _RELATIVE if word in norm]
    ends = {m.group(1) for m in _PLAN_END.finditer(norm)}
    t.plan_end = [_PLAN[p][1] for p in ends]
    t.plan_span = [_PLAN[p] for p in dict.fromkeys(_PLAN_RX.findall(norm)) if p not in ends]
    t.past_five = bool(_SPAN_PAST.search(norm))
    return t


def _int(v: str | None) -> int | None:
    return int(v) if v and v.isdigit() else None


def doc_years(profile) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """(report_year, review_year, period) of a document profile (None when unknown)."""
    if profile is None:
        return None, None, None
    report = _int(getattr(profile.report_year, "value", ""))
    review = _int(getattr(profile.review_year, "value", ""))
    m = re.fullmatch(r"(\d{4})-(\d{4})", getattr(profile.period, "value", "") or "")
    period = (int(m.group(1)), int(m.group(2))) if m else None
    return report, review, period


def years_for(asked: AskedTime, profile) -> set[int]:
    """The years the question's time means in this document (empty: no time asked)."""
    report, review, period = doc_years(profile)
    out = set(asked.years) | set(asked.plan_end)
    for off in asked.relative:
        if report is not None:
            out.add(review if off == -1 and review is not None else report + off)
    if asked.past_five and review is not None:
        out.add(review)
    for _lo, hi in asked.plan_span:
        out.add(hi)  # a period's target is stated for its last year (到2025年)
    return out


def covers(years: set[int], profile) -> bool:
    """Whether a document can state something for these years: its report year, review year or
    plan period (±1 for the base year of a plan) includes one of them. Unknown profile: yes."""
    report, review, period = doc_years(profile)
    if not years or (report is None and period is None):
        return True
    ok = {y for y in (report, review) if y is not None}
    if period is not None:
        ok |= set(range(period[0] - 1, period[1] + 1))
    if report is not None and review is None:
        ok.add(report - 1)
    return bool(years & ok)


# how much each way of stating the time counts (a named scale, not tuned per question)
TIME_IN_SENTENCE = 1.0
TIME_IN_HEADING = 0.9
TIME_IN_PARAGRAPH = 0.8
# the parts of a report: its review of last year and its tasks for this year
_REVIEW_PART = re.compile(r"回顾|过去一年|过去五年|主要成绩|成效|取得|执行情况")
_TARGET_PART = re.compile(r"安排|任务|预期目标|主要目标|重点工作|工作建议|主要措施")
TIME_FROM_REPORT = 0.6  # no year near, in a work report whose target year (今年) is asked
TIME_FROM_PERIOD = 0.45  # no year near, in a plan whose last year is asked
TIME_UNSTATED = 0.3  # no year anywhere near: neither confirmed nor contradicted
TIME_OTHER_NEAR = 0.15  # the paragraph before the sentence states another year
TIME_OTHER_YEAR = 0.0  # the sentence (or its heading) states another year only


def time_match(years: set[int], sentence: str, heading: str, before: str, profile,
               asked: AskedTime | None = None) -> float:
    """How well a sentence of this document is about the asked years (1 = it says so itself)."""
    if not years:
        return 1.0
    said = {int(y) for y in _YEAR.findall(sentence)}
    if said & years:
        return TIME_IN_SENTENCE
    def in_plan(text: str) -> bool:
        # a period's figures are its totals and its last year's, not those of a year inside it
        return any(_PLAN[p][1] in years for p in _PLAN_RX.findall(text))

    if in_plan(sentence) and not (said - years):
        return TIME_IN_HEADING
    head_years = {int(y) for y in _YEAR.findall(heading)}
    if in_plan(heading) and not said and not (head_years - years):
        # a section about the plan period (“十三五”时期……回顾) — unless it names another year too
        # (2025年工作回顾和“十四五”成绩 holds 2025's figures and the period's, not 2024's)
        return TIME_IN_PARAGRAPH
    if head_years & years and not (said - years):
        return TIME_IN_HEADING
    report, review, period = doc_years(profile)
    if report is not None:
        target = {0: report, -1: review if review is not None else report - 1}
        if any(target[off] in years and word in sentence for off, word in ((0, "今年"), (-1, "去年"))):
            return TIME_IN_SENTENCE
        # 今年… / 去年… said of another year than the asked one: that year's figure
        if not said and any(target[off] not in years and rx.search(sentence) for off, rx in _RELATIVE_YEAR.items()):
            return TIME_OTHER_YEAR
    near = {int(y) for y in _YEAR.findall(before[-300:])}
    if near & years and not (said - years):
        return TIME_IN_PARAGRAPH
    if said or (head_years and not head_years & years):
        return TIME_OTHER_YEAR
    if near:
        return TIME_OTHER_NEAR  # "2020年，全市……" then this sentence: the figures are 2020's
    review_part, target_part = bool(_REVIEW_PART.search(heading)), bool(_TARGET_PART.search(heading))
    if report is not None and report in years:
        # a work report's targets are this year's unless it says otherwise — not in its review part
        return TIME_OTHER_NEAR if review_part and not target_part else TIME_FROM_REPORT
    if review is not None and review in years:
        # last year's results sit in the review part (回顾, 过去一年) of a report
        if review_part:
            return TIME_FROM_REPORT
        return TIME_OTHER_NEAR if target_part else TIME_UNSTATED
    if period is not None and period[1] in years:
        return TIME_FROM_PERIOD  # a plan's targets are for its last year
    return TIME_UNSTATED
