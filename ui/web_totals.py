"""Computed project totals next to the totals a document states, and why they differ.

A plan's project list (ProjectRow) and its summary tables (SummaryRow: projects by park, by
category, by start year) are printed separately and do not always agree: a row is listed under
another park name, or a summary table counts a project the list leaves out. The pages show both
figures and, where the rows allow it, which rows make the difference. Everything here is computed
from the records; no park, table or category name is known in advance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ingest.model import ProjectRow, SummaryRow

# Summary-table columns are recognised by these words in their headers ("汇总 / 个数", "项目数量",
# "公共基础设施 / 金额"); a header with a "/" names its category before the slash.
COUNT_WORDS = ("个数", "数量", "项目数", "项数")
AMOUNT_WORDS = ("金额", "投资", "万元", "亿元")
TOTAL_WORDS = ("汇总", "合计", "总计", "小计", "全部")
# At most this many rows are searched as the explanation of one gap (subsets of 1..N rows whose
# amounts add up to the gap); larger gaps are reported without naming rows.
MAX_GAP_ROWS = 2
MAX_NAMED_ROWS = 3  # rows named in one explanation line


@dataclass
class Stated:
    """What a summary row states for one park / category: its table, page, totals and per-category cells."""

    row: SummaryRow
    count: int | None
    amount_wan: float | None
    by_category: dict[str, tuple[int | None, float | None]] = field(default_factory=dict)


@dataclass
class Comparison:
    label: str
    count: int
    amount_wan: float
    stated: Stated | None
    reasons: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        s = self.stated
        return s is not None and ((s.count is not None and s.count != self.count) or
                                  (s.amount_wan is not None and abs(s.amount_wan - self.amount_wan) > 0.5))


def _number(cell: str | None) -> float | None:
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", cell or "")
    return float(m.group(0).replace(",", "")) if m else None


def _is_count(header: str) -> bool:
    return any(w in header for w in COUNT_WORDS)


def _is_amount(header: str) -> bool:
    return any(w in header for w in AMOUNT_WORDS) and not _is_count(header)


def _unit_factor(header: str, table: str) -> float:
    """Summary amounts are in 万元 unless the header or title says 亿元."""
    return 10000.0 if "亿元" in header or ("亿元" in table and "万元" not in header) else 1.0


def read_stated(row: SummaryRow) -> Stated | None:
    """Totals and per-category (count, amount) pairs of a summary row; None when it has no count."""
    count = amount = None
    by_cat: dict[str, list[float | None]] = {}
    for header, cell in row.cells.items():
        head, _, tail = header.rpartition(" / ")
        value = _number(cell)
        kind = "count" if _is_count(tail) else "amount" if _is_amount(tail) else None
        if kind is None:
            continue
        if kind == "amount" and value is not None:
            value *= _unit_factor(tail, row.table)
        if not head or any(w in head for w in TOTAL_WORDS):
            if kind == "count" and count is None:
                count = value
            elif kind == "amount" and amount is None:
                amount = value
            continue
        pair = by_cat.setdefault(head, [None, None])
        pair[0 if kind == "count" else 1] = value if value is not None else 0.0  # "——" = none
    if count is None and by_cat and all(p[0] is not None for p in by_cat.values()):
        count = sum(p[0] or 0 for p in by_cat.values())
    if count is None:
        return None
    if amount is None and by_cat and all(p[1] is not None for p in by_cat.values()):
        amount = sum(p[1] or 0 for p in by_cat.values())
    cats = {k: (None if v[0] is None else int(v[0]), v[1]) for k, v in by_cat.items()}
    return Stated(row, int(count), amount, cats)


def _amount(rows: list[ProjectRow]) -> float:
    return float(sum(r.investment_wan or 0 for r in rows))


def _wan(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _row_names(rows: tuple[ProjectRow, ...] | list[ProjectRow], with_park: bool = False) -> str:
    named = [f"“{r.name}”（{_wan(r.investment_wan or 0)}万元"
             + (f"，园区列为“{r.park or '—'}”）" if with_park else "）") for r in rows[:MAX_NAMED_ROWS]]
    return "、".join(named) + ("等" if len(rows) > MAX_NAMED_ROWS else "")


def _subset_matching(rows: list[ProjectRow], n: int, amount: float | None) -> tuple[ProjectRow, ...] | None:
    """`n` rows whose investments add up to `amount` (exactly, to the 万元), if exactly one such set exists."""
    if n <= 0 or n > MAX_GAP_ROWS or amount is None or len(rows) < n:
        return None
    found = [c for c in combinations(rows, n) if abs(sum(r.investment_wan or 0 for r in c) - amount) < 0.5]
    return found[0] if len(found) == 1 else None


def explain(mine: list[ProjectRow], stated: Stated, others: list[ProjectRow]) -> list[str]:
    """Why the list's rows and the summary's figures differ: the categories that differ, and the
    rows whose amounts make up a gap (extra rows of this list, or rows listed under a park name the
    summary table does not use)."""
    reasons: list[str] = []
    pairs: list[tuple[str | None, list[ProjectRow], int | None, float | None]] = []
    # per-category columns only when they are the rows' categories (not start-year buckets)
    known = {r.category for r in [*mine, *others] if r.category}
    if stated.by_category and set(stated.by_category) <= known:
        for cat, (n, amt) in stated.by_category.items():
            pairs.append((cat, [r for r in mine if (r.category or "") == cat], n, amt))
    else:
        pairs.append((None, mine, stated.count, stated.amount_wan))
    for cat, rows, n, amt in pairs:
        gap_amt = None if amt is None else amt - _amount(rows)
        if n is not None and n == len(rows) and gap_amt is not None and abs(gap_amt) > 0.5:
            where = f"“{cat}”类金额" if cat else "金额"
            reasons.append(f"{where}：汇总表 {_wan(amt)} 万元，项目库逐项合计 {_wan(_amount(rows))} 万元（项目数相同）")
            continue
        if n is None or n == len(rows):
            continue
        where = f"“{cat}”类" if cat else "项目数"
        line = f"{where}：汇总表 {n} 个，项目库 {len(rows)} 个"
        if n < len(rows):
            extra = _subset_matching(rows, len(rows) - n, None if gap_amt is None else -gap_amt)
            if extra:
                line += f"；项目库多出的{_row_names(extra)}与差额相符"
        else:
            pool = [r for r in others if cat is None or (r.category or "") == cat]
            missing = _subset_matching(pool, n - len(rows), gap_amt)
            if missing:
                line += f"；{_row_names(missing, with_park=True)} 与差额相符，项目库把它列在别的园区名下"
        reasons.append(line)
    return reasons


def stated_for(label: str, summary: list[SummaryRow], match: Callable[[str, str], bool]) -> Stated | None:
    """The first summary row naming `label` (by `match`) that states a count."""
    for row in summary:
        if match(row.label, label):
            st = read_stated(row)
            if st is not None:
                return st
    return None


def compare(label: str, mine: list[ProjectRow], all_rows: list[ProjectRow], summary: list[SummaryRow],
            match: Callable[[str, str], bool], park_of: Callable[[ProjectRow], str | None] | None = None) -> Comparison:
    """Computed count and amount of `mine` against the summary row naming `label`.

    `park_of` (for park comparisons) lets rows listed under a park name that no summary row uses
    be searched as the rows the list put elsewhere."""
    docs = {r.doc_id for r in mine}
    summary = [s for s in summary if not docs or s.doc_id in docs]
    stated = stated_for(label, summary, match)
    comp = Comparison(label, len(mine), _amount(mine), stated)
    if comp.differs and stated is not None:
        ids = {id(r) for r in mine}
        others = [r for r in all_rows if id(r) not in ids and r.doc_id in (docs or {r.doc_id})]
        if park_of is not None:
            labels = [s.label for s in summary]
            others = [r for r in others if not any(match(lbl, park_of(r) or "") for lbl in labels)]
        comp.reasons = explain(mine, stated, others)
    return comp


def comparison_md(comp: Comparison, escape: Callable[[str], str] = lambda s: s) -> str:
    """Markdown lines: the document's stated figures next to the computed ones, and the reasons."""
    st = comp.stated
    if st is None:
        return ""
    said = f"{st.count} 个项目" + (f"，{_wan(st.amount_wan)} 万元" if st.amount_wan is not None else "")
    where = f"《{escape(st.row.table)}》“{escape(st.row.label)}”行（第{st.row.page}页）"
    if not comp.differs:
        return f"文档汇总表{where}：{said}，与项目库逐项计算一致。"
    md = (f"**文档汇总表{where}：{said}；项目库逐项计算（系统计算）：{comp.count} 个项目，"
          f"{_wan(comp.amount_wan)} 万元——两者不一致。**")
    if comp.reasons:
        md += "\n\n差异：" + "；".join(escape(r) for r in comp.reasons) + "。"
    return md


def document_totals(records: Any, rows: list[ProjectRow]) -> list[str]:
    """Per project table among `rows`: the total the document states for the whole table (its
    总计 line) next to the count and amount computed from all of its rows."""
    out = []
    def key(doc_id: str, title: str) -> tuple[str, str]:
        return doc_id, re.sub(r"\s+", "", title or "")

    tables = {key(r.doc_id, r.table) for r in rows}
    for t in records.tables():
        if key(t.doc_id, t.title) not in tables or not t.stated_total:
            continue
        mine = [r for r in rows if key(r.doc_id, r.table) == key(t.doc_id, t.title)]
        n, amt = t.stated_total.get("count"), t.stated_total.get("investment_wan")
        said = "，".join(x for x in (f"{n} 个项目" if n is not None else "",
                                    f"{_wan(float(amt))} 万元" if amt is not None else "") if x)
        same = (n is None or n == len(mine)) and (amt is None or abs(float(amt) - _amount(mine)) < 0.5)
        out.append(f"《{t.title}》文档所列总计：{said}；逐项计算：{len(mine)} 个项目，{_wan(_amount(mine))} 万元"
                   + ("（一致）" if same else "（不一致）"))
    return out
