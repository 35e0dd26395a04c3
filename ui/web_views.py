"""What the web pages show, computed from the record store without any Gradio import.

Every function here takes plain records (RecordStore, answer dicts, ProjectRow lists) and returns
strings, HTML or pandas frames, so the views can be tested without a browser and the server
only imports Gradio in ui/web.py. The indicator views live in ui/web_indicators.py and the answer
and source views in ui/web_source.py; their names stay importable from here.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.cite import has_pages  # noqa: F401  (the tabs use it through this module too)
from ingest.model import ProjectRow, Section
from ui import web_totals as totals
from ui.web_indicators import (  # noqa: F401  (re-exported: the tabs and tests use these names)
    SIMILAR_COLUMNS,
    indicator_frame_rows,
    similar_indicators,
)
from ui.web_source import (  # noqa: F401  (re-exported: the pages and older callers use these names)
    CHAT_A11Y_JS,
    answer_markdown,
    citation_label,
    citation_lines,
    highlight,
    md_escape,
    section_for,
    source_html,
)

_md_escape = md_escape

ALL = "全部"

PROJECT_COLUMNS = [
    "文档", "类别", "序号", "项目名称", "园区", "建设内容", "建设年限", "开工年份", "总投资（万元）", "进展", "页码",
]


# ---------------------------------------------------------------- numbers and names


def fmt_wan(wan: float | None) -> str:
    """An amount in 万元 and its exact value in 亿元 (1 亿元 = 10000 万元)."""
    if wan is None:
        return "—"
    yi = wan / 10000
    wan_s = f"{wan:.4f}".rstrip("0").rstrip(".")
    yi_s = f"{yi:.6f}".rstrip("0").rstrip(".")
    return f"{wan_s} 万元（{yi_s} 亿元）"


# Chinese park names appear in long and short forms in the same plan (X经济技术开发区 / X开发区,
# X高新技术产业园区 / X高新区, with or without the city in front); reducing both to a core lets a
# project's park meet its profile section and its summary-table row.
_SUFFIXES = [
    (re.compile(r"经济技术开发区$"), "开发区"),
    (re.compile(r"高新技术产业(?:开发|园)区$"), "高新区"),
    (re.compile(r"经济开发区$"), "经济区"),
    (re.compile(r"产业园区$"), "园区"),
]
_CITY_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2}(?:市|省))")
PLACE_PREFIX_CHARS = 2  # a city name written before a park name ("X市" already stripped) is this long
MIN_CORE_CHARS = 3  # a short form must keep this much to be matched by suffix ("保税区")


def park_core(name: str) -> str:
    s = re.sub(r"\s+", "", name or "")
    s = re.sub(r"（.*?）|\(.*?\)", "", s)
    s = re.sub(r"^[0-9一二三四五六七八九十]+[、.．]", "", s)
    s = _CITY_PREFIX.sub("", s)
    for long, short in _SUFFIXES:
        if long.search(s):
            return long.sub(short, s)
    return s


def same_park(a: str, b: str) -> bool:
    ca, cb = park_core(a), park_core(b)
    if not ca or not cb:
        return False
    if ca == cb:
        return True
    # the short form leaves out the city name in front: "Y保税区" / "保税区"
    short, long = sorted((ca, cb), key=len)
    if len(short) >= MIN_CORE_CHARS and len(long) - len(short) == PLACE_PREFIX_CHARS and long.endswith(short):
        return True
    from rapidfuzz import fuzz

    # Same characters in another order ("循环经济产业区" / "循环产业经济区").
    return len(ca) >= 4 and len(cb) >= 4 and fuzz.token_sort_ratio(" ".join(ca), " ".join(cb)) >= 85


# ---------------------------------------------------------------- documents


def documents_rows(records: Any) -> list[list[Any]]:
    return [
        [d.get("doc_id"), d.get("title"), d.get("pages") if has_pages(d) else "无分页", d.get("n_sections"),
         d.get("n_chunks"), d.get("n_tables")]
        for d in records.documents()
    ]


DOCUMENT_COLUMNS = ["文档ID", "标题", "页数", "章节数", "分块数", "表格数"]


def doc_choices(records: Any) -> list[tuple[str, str]]:
    return [(f"{d.get('title') or d['doc_id']}（{d['doc_id']}）", d["doc_id"]) for d in records.documents()]


PROFILE_LABELS = {"title": "标题", "issuer": "发布机关", "place": "地区", "date": "日期", "doc_type": "类型",
                  "period": "规划期", "report_year": "报告年度（今年）", "review_year": "回顾年度"}


def profile_html(profile: Any) -> str:
    """The document profile (ingest.model.DocumentProfile) as a small table; each value's source
    is its tooltip. Empty when nothing is known."""
    rows = [
        f'<tr><th>{label}</th><td title="{html.escape(getattr(profile, k).source)}">'
        f"{html.escape(getattr(profile, k).value)}</td></tr>"
        for k, label in PROFILE_LABELS.items() if getattr(profile, k).value
    ]
    return f'<table class="doc-profile">{"".join(rows)}</table>' if rows else ""


def section_tree_html(sections: list[Section], paged: bool = True) -> str:
    """The section tree, each heading with its page when the document has pages."""
    if not sections:
        return '<div class="source-empty">该文档没有识别出章节。</div>'
    lines = []
    for s in sections:
        indent = "　" * (max(s.level, 1) - 1)
        lines.append(
            f'<div class="tree-node lvl{s.level}">{indent}{html.escape(s.marker)}{html.escape(s.title)}'
            + (f' <span class="page">p.{s.page}</span>' if paged else "") + "</div>"
        )
    return '<div class="section-tree">' + "".join(lines) + "</div>"


# ---------------------------------------------------------------- projects


def project_dicts(rows: Iterable[ProjectRow], titles: dict[str, str],
                  paged: set[str] | None = None) -> list[dict[str, Any]]:
    """Rows for the project tables; the page is left blank for a document without pages (`paged`:
    doc ids that have pages, None = all)."""
    return [
        {
            "文档": titles.get(r.doc_id, r.doc_id),
            "类别": r.category or "",
            "序号": r.seq,
            "项目名称": r.name,
            "园区": r.park or "",
            "建设内容": r.content or "",
            "建设年限": r.period or "",
            "开工年份": r.start_year,
            "总投资（万元）": r.investment_wan,
            "进展": r.progress or "",
            "页码": r.page if paged is None or r.doc_id in paged else None,
        }
        for r in rows
    ]


PARK_PROJECT_COLUMNS = ["项目名称", "类别", "建设年限", "总投资（万元）", "进展", "页码"]


def filter_projects(
    rows: list[ProjectRow],
    doc_id: str | None = None,
    park: str | None = None,
    category: str | None = None,
    year_from: float | None = None,
    year_to: float | None = None,
    text: str | None = None,
) -> list[ProjectRow]:
    out = []
    needle = re.sub(r"\s+", "", text or "")
    for r in rows:
        if doc_id and doc_id != ALL and r.doc_id != doc_id:
            continue
        if park and park != ALL and not same_park(r.park or "", park):
            continue
        if category and category != ALL and (r.category or "") != category:
            continue
        if year_from is not None and (r.start_year is None or r.start_year < year_from):
            continue
        if year_to is not None and (r.start_year is None or r.start_year > year_to):
            continue
        if needle:
            hay = re.sub(r"\s+", "", " ".join(filter(None, [r.name, r.park, r.content, r.progress, r.category])))
            if needle not in hay:
                continue
        out.append(r)
    return out


def project_total(rows: list[ProjectRow]) -> tuple[int, float, int]:
    """(count, total 万元 over rows with an amount, rows without an amount)."""
    amounts = [r.investment_wan for r in rows if r.investment_wan is not None]
    return len(rows), float(sum(amounts)), len(rows) - len(amounts)


def project_summary_md(rows: list[ProjectRow], records: Any = None, park: str | None = None,
                       category: str | None = None, narrowed: bool = False) -> str:
    """The computed count and total of the shown rows, with the document's own figures beside them:
    a park's or category's summary-table row when one is chosen, the project table's stated total
    (and its summary tables' 合计 rows) when nothing narrows the list. `narrowed`: a year or text
    filter is set, so no stated figure applies."""
    if not rows:
        return "**没有符合当前筛选条件的项目**。请放宽筛选条件（文档、园区、类别、开工年份或搜索词）。"
    n, total, missing = project_total(rows)
    s = f"**共 {n} 个项目，总投资 {fmt_wan(total)}**（逐项计算）"
    if missing:
        s += f"（其中 {missing} 个项目未列投资额，未计入合计）"
    if records is None or narrowed:
        return s
    all_rows = records.projects()
    summary = records.summary_rows()
    lines: list[str] = []
    if park and park != ALL:
        comp = totals.compare(park, rows, all_rows, summary, same_park, lambda r: r.park)
        lines.append(totals.comparison_md(comp, md_escape))
    elif category and category != ALL:
        comp = totals.compare(category, rows, all_rows, summary, lambda a, b: _squash(a) == _squash(b))
        lines.append(totals.comparison_md(comp, md_escape))
    else:
        lines += [md_escape(x) for x in totals.document_totals(records, rows)]
        for label in sorted({r.label for r in summary if _squash(r.label) in totals.TOTAL_WORDS}):
            comp = totals.compare(label, rows, all_rows, summary, lambda a, b: _squash(a) == _squash(b))
            lines.append(totals.comparison_md(comp, md_escape))
    return "\n\n".join([s, *(x for x in lines if x)])


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def park_names(rows: list[ProjectRow]) -> list[str]:
    """Parks of the project rows, short and long forms of one park merged, most projects first."""
    counts = Counter(r.park for r in rows if r.park)
    groups: list[list[str]] = []
    for name, _ in counts.most_common():
        for g in groups:
            if same_park(g[0], name):
                g.append(name)
                break
        else:
            groups.append([name])
    return [g[0] for g in groups]


def investment_by_park(rows: list[ProjectRow]) -> list[dict[str, Any]]:
    out = []
    for park in park_names(rows):
        mine = [r for r in rows if same_park(r.park or "", park)]
        _, total, _ = project_total(mine)
        out.append({"园区": park, "总投资（亿元）": round(total / 10000, 6), "项目数": len(mine)})
    return out


def write_projects_csv(rows: list[ProjectRow], titles: dict[str, str], path: Path,
                       paged: set[str] | None = None) -> Path:
    """CSV with a BOM so spreadsheet programs read the Chinese headers."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=PROJECT_COLUMNS)
        w.writeheader()
        for d in project_dicts(rows, titles, paged):
            w.writerow({k: ("" if v is None else v) for k, v in d.items()})
    return path


# ---------------------------------------------------------------- parks


def park_profile_md(records: Any, park: str, max_chars: int = 1500, max_sections: int = 30) -> str:
    """Sections about a park: the section titled with its name and everything under it, plus
    other sections whose title names it (policies, positioning), each cited."""
    chosen: list[tuple[dict[str, Any], Section]] = []
    for d in records.documents():
        sections = records.sections(d["doc_id"])
        anchors = [s for s in sections if _title_names_park(s.title, park)]
        for s in sections:
            under = any(s.path == a.path or s.path.startswith(a.path + " > ") for a in anchors)
            if under:
                chosen.append((d, s))
    if not chosen:
        return f"文档中没有以“{park}”为题的章节。"
    parts = []
    texts: dict[str, str] = {}
    top = min(s.level for _, s in chosen)
    for d, s in chosen[:max_sections]:
        doc_id = d["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = records.document_text(doc_id)
        body = texts[doc_id][s.start: s.end].strip()
        # The heading line is already the title of the block.
        head, _, rest = body.partition("\n")
        if s.title and s.title in head:
            body = rest.strip()
        if len(body) > max_chars:
            body = body[:max_chars] + "…"
        level = min(4 + s.level - top, 6)
        parts.append(
            f"{'#' * level} {_md_escape(s.marker + s.title)}\n\n"
            f"{_md_escape(body) if body else ''}\n\n"
            f"<small>〔{_md_escape(d.get('title') or doc_id)} › {_md_escape(s.path)}"
            f"{f' · 第{s.page}页' if has_pages(d) else ''}〕</small>"
        )
    if len(chosen) > max_sections:
        parts.append(f"<small>（另有 {len(chosen) - max_sections} 节未显示）</small>")
    return "\n\n".join(parts)


def _title_names_park(title: str, park: str) -> bool:
    t = re.sub(r"\s+", "", title or "")
    if not t or len(t) > 30:
        return False
    return same_park(t, park)


def park_summary_md(records: Any, park: str, rows: list[ProjectRow]) -> str:
    """A park's computed count and total, the summary table's figures for it and why they differ."""
    mine = [r for r in rows if same_park(r.park or "", park)]
    n, total, missing = project_total(mine)
    md = f"**{_md_escape(park)}：{n} 个项目，总投资 {fmt_wan(total)}**（项目库逐项计算）"
    if missing:
        md += f"（{missing} 个项目未列投资额）"
    summary = records.summary_rows()
    comp = totals.compare(park, mine, rows, summary, same_park, lambda r: r.park)
    if comp.stated is not None:
        md += "\n\n" + totals.comparison_md(comp, md_escape)
    elif any(totals.read_stated(r) for r in summary if r.doc_id in {x.doc_id for x in mine}):
        md += "\n\n文档的汇总表没有单列这个园区名称，上面的数字只来自项目库。"
    return md


# ---------------------------------------------------------------- uploads

# defined with the upload checks; re-exported for the tabs
from ui.uploads import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, safe_filename  # noqa: E402,F401
