"""Project lists whose rows arrive as tab-separated cells (DOCX tables, some PDF extractors).

Cells are explicit here, so the columns are mapped by their header words; group rows
(`一、公共基础设施（53个）`) and the total row (`总计（178个） … 21124119`) are recognised the same
way as in the PDF layout.
"""

from __future__ import annotations

import re

from ingest.model import Line, ProjectRow, Table
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
]
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?(?:\s*[-—–~～至]\s*((?:19|20)\d{2}))?")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?")


def _roles(head: list[str]) -> list[str]:
    out = []
    for cell in head:
        c = re.sub(r"\s+", "", cell)
        out.append(next((role for role, pat in _ROLES if re.search(pat, c)), "other"))
    return out


def parse_tab_projects(lines: list[Line], header: int, end: int, title: str, doc_id: str) -> Table | None:
    head = [c.strip() for c in lines[header].text.split("\t")]
    if not looks_like_project_header(" ".join(head)):
        return None
    roles = _roles(head)
    if "name" not in roles:
        return None
    factor = 10000.0 if "亿元" in lines[header].text else 1.0
    rows: list[ProjectRow] = []
    stated: dict = {}
    counts: dict[str, int] = {}
    category: str | None = None
    for line in lines[header + 1 : end]:
        cells = [c.strip() for c in line.text.split("\t")]
        filled = [c for c in cells if c]
        if not filled:
            continue
        joined = " ".join(filled)
        total = _TOTAL.match(joined)
        if total:
            if total.group(1):
                stated["count"] = int(total.group(1))
            stated["investment_wan"] = _number(total.group(2), factor)
            continue
        cat = _CATEGORY.match(joined)
        if len(filled) == 1 and cat:
            category = cat.group("name")
            if cat.group("count"):
                counts[category] = int(cat.group("count"))
            continue
        if len(cells) < len(head):
            cells += [""] * (len(head) - len(cells))
        cell = {role: cells[k] for k, role in reversed(list(enumerate(roles)))}
        if not cell.get("name"):
            continue
        period = _PERIOD.search(cell.get("period", ""))
        amount = _AMOUNT.search(cell.get("investment", "").replace(",", ""))
        start = int(period.group(1)) if period else None
        stop = int(period.group(2)) if period and period.group(2) else start
        seq = cell.get("seq", "")
        rows.append(
            ProjectRow(
                doc_id=doc_id,
                table=display_title(title),
                category=cell.get("category") or category,
                seq=int(seq) if seq.isdigit() else None,
                name=norm_name(cell["name"]).replace(" ", ""),
                park=norm_name(cell.get("park", "")) or None,
                content=cell.get("content") or None,
                period=(f"{start}-{stop}" if stop != start else str(start))
                if start
                else cell.get("period") or None,
                start_year=start,
                end_year=stop,
                investment_wan=_number(amount.group(0), factor) if amount else None,
                progress=cell.get("progress") or None,
                page=line.page,
                text=" ".join(c for c in cells if c),
            )
        )
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
    )
