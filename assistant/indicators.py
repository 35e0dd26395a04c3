"""Indicator-table answers: the value of a named indicator for a year, the same indicator in two
plans. The row is picked by `indicator_match`, the body text checked by `indicator_text`.

An Answer with `abstained=True` means the indicator matched but the table lacks the asked value (a
year the table lacks, a blank cell) — the caller may still let the text answer before abstaining.
"""

from __future__ import annotations

import dataclasses
import re

from assistant.cite import Answer, Evidence
from assistant.corpus import Corpus, RowRef
from assistant.indicator_match import best_indicators, indicator_score, year_value, years_of
from assistant.indicator_text import conflicting_statement, corroborating_sentence, text_figure
from assistant.numbers import is_blank_cell, match_form
from assistant.query import Query, plan_end_years
from assistant.rowtext import short_table as _short_table
from assistant.rowtext import squash as _squash

# best_indicators and indicator_score are imported from here by assistant.structured and the tests
__all__ = ["answer_compare", "answer_indicator", "best_indicators", "indicator_score"]


def _with_unit(value: str, unit: str | None) -> str:
    v = re.sub(r"\s+", "", value)
    u = re.sub(r"[（）()\s]", "", unit or "")
    if not u or not re.search(r"\d", v) or u in v or re.search(r"[%％]", v):
        return v  # a growth column's 7%左右 is no amount of the row's unit
    return v + u


_YEAR_COLUMN = re.compile(r"(19|20)\d{2}")


def _column(key: str) -> str:
    """A value column's name before its value: a year column reads 2025年, another (年均增长) as it is."""
    k = _squash(key)
    return k + "年" if _YEAR_COLUMN.fullmatch(k) else k


def _evidence(corpus: Corpus, ref: RowRef, years: list[int]) -> list[Evidence]:
    """The row (or, for a year-row statistics table, the rows of those years) and the year header."""
    if ref.sources is not None:
        keys = [k for y in years for k in ref.sources if str(y) in k] or list(ref.sources)
        return [corpus.row_evidence(ref.sources[k], must=ref.row.values.get(k)) for k in keys]
    ev = [corpus.row_evidence(ref)]
    if years:
        head = corpus.table_line_evidence(ref.table, [str(y) for y in years], ref.table.page_start)
        if head:
            ev.append(head)
    return ev


def _target_word(ref: RowRef, year: int) -> str:
    title = match_form(ref.table.title)
    if year <= min(years_of(ref.row) or [year]):
        return "为"  # the base-year column is a reported value, not a target
    return "目标为" if ("目标" in title or "规划" in title or "指标表" in title and year >= 2020) and \
        not re.search(r"评估|对比|统计", title) else "为"


def _same_fact_elsewhere(picked: RowRef, ranked: list[tuple[float, RowRef]], top: float,
                         years: list[int]) -> list[RowRef]:
    """Rows of other tables that give the same indicator for the same year a different value."""
    out = []
    for s, ref in ranked:
        if ref is picked or s < top - 0.06 or ref.table.title == picked.table.title:
            continue
        if ref.row.doc_id != picked.row.doc_id:
            continue
        for y in years:
            a, b = year_value(picked.row, y), year_value(ref.row, y)
            if a and b and not is_blank_cell(b[1]) and _squash(a[1]) != _squash(b[1]):
                out.append(ref)
                break
    return out[:1]


def answer_indicator(q: Query, corpus: Corpus, min_score: float = 0.6) -> Answer | None:
    """The asked year's value of the best-fitting indicator row (every value when no year is asked),
    with the same indicator of other plans when compared, a differing table or text figure when the
    document gives one, and a sentence of the text stating the same figure."""
    if not q.years and plan_end_years(q.norm):
        q = dataclasses.replace(q, years=plan_end_years(q.norm))  # 十四五末: the table's 2025 column
    ranked = best_indicators(q, corpus)
    if not ranked or ranked[0][0] < min_score:
        return None
    if q.years and not all(year_value(ranked[0][1].row, y) for y in q.years):
        # a close candidate that has the asked year beats one that lacks it (表2 2013 vs 表1 2017-2019)
        with_year = [(s, ref) for s, ref in ranked if s >= ranked[0][0] - 0.25 and
                     all(year_value(ref.row, y) for y in q.years)]
        if with_year:
            ranked = with_year + [x for x in ranked if x not in with_year]
    top_score = ranked[0][0]
    picks = _picks(q, ranked, top_score)
    if re.search(r"性质|约束性|预期性", q.norm) and picks[0].row.nature:
        r = picks[0].row
        return Answer([f"{r.name}为{r.nature}指标（{_short_table(picks[0].table.title)}）"],
                      _evidence(corpus, picks[0], []), confidence=top_score)
    parts: list[str] = []
    ev: list[Evidence] = []
    missing: list[_Missing] = []
    for ref in picks:
        # (years named inside the indicator, 比2018年下降, are part of the name, not asked: they stay
        # dropped for the next picks too)
        asked = [y for y in q.years if f"{y}年" not in match_form(ref.row.name)]
        if asked != q.years:
            q = dataclasses.replace(q, years=asked)
        _read_row(q, corpus, ref, parts, ev, missing)
    if not parts:
        return _no_value(missing[0], corpus)
    lines = ["；".join(parts)]
    for ref, y, _yv in missing:
        lines.append(f"（{ref.row.name}{'' if y is None else f'{y}年'}在{_short_table(ref.table.title)}中无数值。）")
    support = corroborating_sentence(corpus, picks[0], q)
    if support is not None:
        ev.append(support)
        lines.append(f"正文：{support.quote}")
    return Answer(lines, ev, confidence=top_score)


# a picked row with an asked year (None: no year asked) whose cell is missing or blank, and the cell
_Missing = tuple[RowRef, int | None, tuple[str, str] | None]


def _picks(q: Query, ranked: list[tuple[float, RowRef]], top_score: float) -> list[RowRef]:
    """The top row, the same indicator in the other documents compared, and a row of another table
    of the same document giving the asked year a different value."""
    picks = [ranked[0][1]]
    if q.wants_compare or len(q.doc_ids) > 1:
        # the same indicator in another document (compare across plans)
        for s, ref in ranked[1:]:
            if ref.row.doc_id not in {p.row.doc_id for p in picks} and s >= top_score - 0.08 and s >= 0.7:
                picks.append(ref)
    if q.years:
        picks += _same_fact_elsewhere(picks[0], ranked, top_score, q.years)
    return picks


def _read_row(q: Query, corpus: Corpus, ref: RowRef, parts: list[str], ev: list[Evidence],
              missing: list[_Missing]) -> None:
    """One picked row's answer part and evidence (the asked years' values, each with a differing
    figure the text gives; or all its values), or what it is missing."""
    r = ref.row
    label = _short_table(ref.table.title)
    if not q.years:
        shown = [(k, v) for k, v in r.values.items() if not is_blank_cell(v)]
        # a value column the question names (年均增长, 增速): that column alone
        shown = [(k, v) for k, v in shown if not _YEAR_COLUMN.fullmatch(_squash(k)) and len(_squash(k)) >= 2 and
                 _squash(k) in q.norm] or shown
        if not shown:
            missing.append((ref, None, None))
            return
        years = [int(m.group(0)) for k, _ in shown if (m := re.search(r"(19|20)\d{2}", k))]
        vals = "，".join(f"{_column(k)}{_with_unit(v, r.unit)}" for k, v in shown)
        parts.append(f"{r.name}：{vals}（{label}）")
        ev += _evidence(corpus, ref, years)
        return
    vals = []
    for y in q.years:
        yv = year_value(r, y)
        if yv is None or is_blank_cell(yv[1]):
            missing.append((ref, y, yv))
            continue
        vals.append(f"{y}年{r.name}{_target_word(ref, y)}{_with_unit(yv[1], r.unit)}")
    if not vals:
        return
    parts.append("，".join(vals) + f"（{label}）")
    ev += _evidence(corpus, ref, [y for y in q.years if year_value(r, y)])
    for y in q.years:
        yv = year_value(r, y)
        other = conflicting_statement(corpus, ref, y, yv[1]) if yv else None
        if other is not None:
            parts.append(f"正文另有：{other[0]}")
            ev.append(other[1])


def _no_value(first: _Missing, corpus: Corpus) -> Answer:
    """The indicator matched but its table has no value for the asked year (or none at all)."""
    ref, y, yv = first
    r = ref.row
    have = "、".join(f"{x}年" for x in years_of(r))
    label = _short_table(ref.table.title)
    if yv is None and y is not None:
        why = f"{label}中“{r.name}”只列出{have}的数值，没有{y}年的数值"
    else:
        why = f"{label}中“{r.name}”{'' if y is None else f'{y}年'}一栏为空（{_squash(yv[1]) if yv else '—'}）"
    # confidence 0.5: the body text may still state the figure (研发经费投入年均增长5%以上)
    blank = f"（{label}中该年一栏为空）" if yv is not None and y is not None else ""
    return Answer([f"文档中未找到{y or ''}{'年' if y else ''}{r.name}的数值{blank}。", why + "。"],
                  _evidence(corpus, ref, []), abstained=True, confidence=0.5)


def answer_compare(q: Query, corpus: Corpus) -> Answer | None:
    """The same indicator asked of two documents (某县和示范区2025年的高企目标分别是多少): one
    answer per document, joined on the first line — from the document's indicator table, or, where
    the table has no value (a blank cell, no such row), from a sentence of its text stating it."""
    if len(q.doc_ids) < 2:
        return None
    parts, ev, conf, missing = [], [], [], []
    for d in q.doc_ids:
        sq = dataclasses.replace(q, doc_ids=[d], wants_compare=False)
        # the other plan already fixes what is compared, so a weaker name match is enough
        sub = answer_indicator(sq, corpus, min_score=0.45)
        name = _doc_word(q, corpus, d)
        if sub is None or sub.abstained:
            ranked = best_indicators(sq, corpus)
            said = text_figure(corpus, d, ranked[0][1].row.name if ranked else None, sq)
            if said is not None:
                parts.append(f"{name}：{said[0]}（正文）")
                ev.append(said[1])
                conf.append(0.6)
            elif sub is not None:
                missing.append(f"{name}：{sub.lines[0]}")
            continue
        parts.append(f"{name}：{sub.lines[0]}")
        ev += sub.evidence
        conf.append(sub.confidence)
    if not parts or len(parts) + len(missing) < 2:
        return None
    if len(parts) < 2:
        # one plan has the figure, the other's table names the indicator without a value for it
        return Answer(["；".join(parts + missing)], ev, confidence=conf[0])
    # both plans answer, as asked: a single text sentence cannot, so this is the answer to give
    return Answer(["；".join(parts)], ev, confidence=max(0.8, min(1.0, min(conf) + 0.1)))


def _doc_word(q: Query, corpus: Corpus, doc_id: str) -> str:
    """How the question names a document (某县, 示范区), else its title."""
    for sc in corpus.vocab.scopes:
        if sc.doc_id == doc_id:
            found = sorted((k for k in sc.keywords if k in q.norm), key=lambda k: (-len(k), k))
            return found[0] if found else sc.title
    return doc_id

