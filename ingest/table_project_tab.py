"""Project lists whose rows arrive as tab-separated cells (DOCX tables, some PDF extractors).

Cells are explicit here, so the columns are mapped by their header words; group rows
(`一、公共基础设施（53个）`) and the total row (`总计（178个） … 21124119`) are recognised the same
way as in the PDF layout. A table may have several investment columns (总投资 and “十四五”投资 or
年度计划投资): 总投资 is the row's investment, the others are kept in `extra` as printed, with
every column a project row has no field for (责任单位, 备注 when there is a 进展 column, ...).
The total row is kept as a summary row too, so the stated total is searchable like any row.
"""

from __future__ import annotations

import re

from ingest.model import Line, ProjectRow, SummaryRow, Table
from ingest.table_cells import display_title, norm_name
from ingest.table_project import _CATEGORY, _TOTAL, _number, looks_like_project_header

_ROLES = [
    ("seq", r"序号|编号"),
    ("name", r"项目名称|名称"),
    ("park", r"园区|地点|所在|区域|位置|属地|地区|区县|乡镇|所属"),
    ("period", r"年限|起止|建设期|时间|年度"),
    ("investment", r"投资"),
    ("progress", r"进展|进度"),
    ("content", r"内容|规模"),
    ("category", r"类别|类型|分类"),
    ("note", r"^(?:备注|说明)$"),
]
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?(?:\s*[-—–~～至]\s*((?:19|20)\d{2}))?")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?")
_SEQ = re.compile(r"^\d{1,4}$")


def _roles(head: list[str]) -> list[str]:
    out = []
    for cell in head:
        c = re.sub(r"\s+", "", cell)
        out.append(next((role for role, pat in _ROLES if re.search(pat, c)), "other"))
    # the row's investment is 总投资; a second investment column (“十四五”投资) is an extra column
    inv = [k for k, r in enumerate(out) if r == "investment"]
    main = next((k for k in inv if "总投资" in head[k]), inv[0] if inv else None)
    for k in inv:
        if k != main:
            out[k] = "other"
    if "note" in out and "progress" not in out:
        out[out.index("note")] = "progress"  # a 备注 column is where such tables note progress
    return out


def _factor(header: str, fallback: str) -> float:
    """万元 per printed unit of an amount column: its own header decides, else the table's."""
    for text in (header, fallback):
        if "亿元" in text:
            return 10000.0
        if "万元" in text:
            return 1.0
    return 1.0


def _cells(line: Line, width: int) -> list[str]:
    cells = [c.strip() for c in line.text.split("\t")]
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


def parse_tab_projects(
    lines: list[Line], header: int, end: int, title: str, doc_id: str, unit_hint: str = ""
) -> Table | None:
    """Rows lines[header+1:end]; `unit_hint` is a unit note printed above the header (单位：亿元)."""
    head = [c.strip() for c in lines[header].text.split("\t")]
    if not looks_like_project_header(" ".join(head)):
        return None
    roles = _roles(head)
    if "name" not in roles:
        return None
    inv_col = roles.index("investment") if "investment" in roles else None
    factor = _factor(head[inv_col] if inv_col is not None else "", lines[header].text + unit_hint + title)
    head_key = [re.sub(r"\s+", "", c) for c in head]
    rows: list[ProjectRow] = []
    totals: list[SummaryRow] = []
    stated: dict = {}
    counts: dict[str, int] = {}
    category: str | None = None
    for line in lines[header + 1 : end]:
        cells = _cells(line, len(head))
        filled = [c for c in cells if c]
        if not filled or [re.sub(r"\s+", "", c) for c in cells[: len(head)]] == head_key:
            continue  # blank, or the header repeated on the next page
        joined = " ".join(filled)
        total = _TOTAL.match(joined)
        if total:
            if total.group(1):
                stated["count"] = int(total.group(1))
            stated["investment_wan"] = _number(total.group(2), factor)
            totals.append(_total_row(head, cells, line, title, doc_id))
            continue
        cat = _CATEGORY.match(joined)
        if len(filled) == 1 and (cat or not _SEQ.match(joined)) and len(joined) <= 30:
            # a category row spanning the table: `一、交通基础设施（2个）` or just `交通基础设施`
            category = cat.group("name") if cat else joined
            if cat and cat.group("count"):
                counts[category] = int(cat.group("count"))
            continue
        cell = {role: cells[k] for k, role in reversed(list(enumerate(roles)))}
        if not cell.get("name"):
            continue
        rows.append(_project(cell, roles, head, cells, line, title, doc_id, category, factor))
    if not rows:
        return None
    if counts:
        stated["categories"] = counts
    return Table(
        doc_id=doc_id,
        title=title,
        kind="project",
        page_start=lines[header].page,
        page_end=lines[end - 1].page,
        stated_total=stated,
        projects=rows,
        summary=totals,
    )


def _project(
    cell: dict[str, str],
    roles: list[str],
    head: list[str],
    cells: list[str],
    line: Line,
    title: str,
    doc_id: str,
    category: str | None,
    factor: float,
) -> ProjectRow:
    period = _PERIOD.search(cell.get("period", ""))
    amount = _AMOUNT.search(cell.get("investment", "").replace(",", ""))
    start = int(period.group(1)) if period else None
    stop = int(period.group(2)) if period and period.group(2) else start
    seq = cell.get("seq", "")
    extra = {h or f"列{k + 1}": cells[k] for k, (h, r) in enumerate(zip(head, roles, strict=False))
             if r in ("other", "note") and cells[k]}
    return ProjectRow(
        doc_id=doc_id,
        table=display_title(title),
        category=cell.get("category") or category,
        seq=int(seq) if seq.isdigit() else None,
        name=norm_name(cell["name"]).replace(" ", ""),
        park=norm_name(cell.get("park", "")) or None,
        content=cell.get("content") or None,
        period=(f"{start}-{stop}" if stop != start else str(start)) if start else cell.get("period") or None,
        start_year=start,
        end_year=stop,
        investment_wan=_number(amount.group(0), factor) if amount else None,
        progress=cell.get("progress") or None,
        page=line.page,
        text=" ".join(c for c in cells if c),
        extra=extra,
    )


def _total_row(head: list[str], cells: list[str], line: Line, title: str, doc_id: str) -> SummaryRow:
    """`合计 | | | 173.4 |` -> label 合计, cells {总投资（亿元）: 173.4} (empty cells dropped)."""
    label = next(c for c in cells if c)
    at = cells.index(label)
    got = {head[k] or f"列{k + 1}": c for k, c in enumerate(cells[: len(head)]) if c and k != at}
    return SummaryRow(doc_id, title, label, got, line.page, text=" ".join(c for c in cells if c))
