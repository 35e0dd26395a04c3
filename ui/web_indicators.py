"""The 指标 tab's views: indicator rows as a table with one column per year, and similar indicators
across documents. Plain records in, rows out (no Gradio import); importable from ui.web_views too.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.model import IndicatorRow


def indicator_frame_rows(rows: list[IndicatorRow], paged: set[str] | None = None) -> tuple[list[str], list[list[Any]]]:
    years = sorted({y for r in rows for y in r.values}, key=_year_key)
    headers = ["表", "类别", "指标", "单位", *[f"{y}年" if y.isdigit() else y for y in years], "性质", "页码"]
    data = [
        [r.table, r.group or "", r.name, r.unit or "", *[r.values.get(y, "") for y in years], r.nature or "",
         r.page if paged is None or r.doc_id in paged else None]
        for r in rows
    ]
    return headers, data


def _year_key(y: str) -> tuple[int, str]:
    m = re.search(r"\d{4}", y)
    return (int(m.group(0)) if m else 9999, y)


def _values_text(r: IndicatorRow) -> str:
    return "；".join(f"{y}: {v}" for y, v in sorted(r.values.items(), key=lambda kv: _year_key(kv[0])))


def similar_indicators(rows: list[IndicatorRow], threshold: float = 70.0,
                       titles: dict[str, str] | None = None) -> list[list[Any]]:
    """Pairs of indicators from different documents with similar names and the same unit, best
    match per row; an indicator printed in two tables of one document is listed once. Documents
    are named by `titles` (doc id → title) where given."""
    titles = titles or {}
    from rapidfuzz import fuzz

    by_doc: dict[str, list[IndicatorRow]] = {}
    for r in rows:
        by_doc.setdefault(r.doc_id, []).append(r)
    docs = sorted(by_doc)
    out, seen = [], set()
    for i, a_doc in enumerate(docs):
        for b_doc in docs[i + 1:]:
            for a in by_doc[a_doc]:
                best, best_score = None, 0.0
                for b in by_doc[b_doc]:
                    if a.unit and b.unit and _norm_name(a.unit) != _norm_name(b.unit):
                        continue  # "增长率 %" is not "数量 家" however alike the names
                    score = fuzz.ratio(_norm_name(a.name), _norm_name(b.name))
                    if score > best_score:
                        best, best_score = b, score
                if best is None or best_score < threshold:
                    continue
                row = [a.name, a.unit or "", _values_text(a), best.name, best.unit or "", _values_text(best),
                       round(best_score), titles.get(a_doc, a_doc), titles.get(b_doc, b_doc)]
                key = tuple(row[:6])
                if key not in seen:
                    seen.add(key)
                    out.append(row)
    out.sort(key=lambda r: -r[6])
    return out


SIMILAR_COLUMNS = ["指标A", "单位A", "数值A", "指标B", "单位B", "数值B", "相似度", "文档A", "文档B"]


def _norm_name(s: str) -> str:
    return re.sub(r"[\s（）()]", "", s or "")
