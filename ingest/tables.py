"""Table detection and parsing over cleaned (not yet reflowed) lines.

A table starts at a title line (`表 N：…`, `表N …`, `表1 2024年…`, `附件 N …表/库`) followed by a
header row (or header cells printed one per line), or at a run of tab-separated lines (category
rows such as `一、交通基础设施` may sit between them). The header decides the kind: project list (table_project,
table_project_tab), indicator table (table_indicator) or summary/statistics table (table_summary);
a table none of them can read is kept as `kind="unparsed"` with its raw text. Spans cover exactly
the table's lines so the text around it is reflowed normally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import IndicatorRow, Line, ProjectRow, SummaryRow, Table
from ingest.table_cells import display_title, is_table_title, is_value, join_years, running_headers
from ingest.table_indicator import header_columns, looks_like_indicator_header, parse_space_indicator
from ingest.table_indicator_tab import parse_tab_indicator, split_tab
from ingest.table_project import looks_like_project_header, parse_projects
from ingest.table_project_tab import parse_tab_projects
from ingest.table_summary import parse_summary

_HEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百]+[章节]|\d+[.．、]\D)"
)
_NOTE_RE = re.compile(r"^[（(]?\s*(金额)?单位[:：].{0,12}[）)]?$")


@dataclass
class TableSpan:
    table: Table
    start: int  # index of the first line of the table block (its title line)
    end: int  # index after the last line


def extract_tables(lines: list[Line], doc_id: str) -> list[TableSpan]:
    """Find and parse every table in the document's cleaned lines, in document order."""
    noise = running_headers(lines)
    spans: list[TableSpan] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        span = None
        if is_table_title(text):
            span = _titled(lines, i, doc_id, noise)
        elif _is_tab(lines, i) and (_is_tab(lines, i + 1) or _tab_continues(lines, i + 1)):
            span = _tab_table(lines, i, i, "", doc_id)
        if span:
            spans.append(span)
            i = span.end
        else:
            i += 1
    return spans


def _is_tab(lines: list[Line], i: int) -> bool:
    return i < len(lines) and "\t" in lines[i].text and len([c for c in split_tab(lines[i].text) if c]) >= 2


def _titled(lines: list[Line], i: int, doc_id: str, noise: set[str]) -> TableSpan | None:
    title = lines[i].text.strip()
    h = i + 1
    while h < len(lines) and (_NOTE_RE.match(lines[h].text.strip()) or lines[h].text.strip() in noise):
        h += 1
    if h >= len(lines):
        return None
    # a category row ("一、交通基础设施") may sit between the header and the first tab row
    # a unit note between caption and header ("单位：亿元") gives the amounts' unit
    hint = " ".join(ln.text for ln in lines[i + 1 : h])
    if _is_tab(lines, h) and (_is_tab(lines, h + 1) or _tab_continues(lines, h + 1)):
        return _tab_table(lines, i, h, title, doc_id, hint)
    header = lines[h].text
    parsed: tuple[Table, int] | None = None
    stacked = _stacked_header(lines, h)
    if looks_like_project_header(header):
        parsed = parse_projects(lines, h, title, doc_id, noise, hint)
    elif looks_like_indicator_header(header):
        parsed = parse_space_indicator(lines, h, title, doc_id, noise)
    elif stacked:
        parsed = parse_space_indicator(lines, h, title, doc_id, noise, head=stacked)
    if parsed is None and not looks_like_project_header(header):
        parsed = parse_summary(lines, h, title, doc_id, noise)
    if parsed:
        table, end = parsed
        return _span(lines, table, i, end)
    return _unparsed(lines, i, title, doc_id)


def _stacked_header(lines: list[Line], h: int) -> tuple[str, int] | None:
    """Header cells printed one per line (`指标` / `单位` / `2020年` / …), as some PDF extractors
    emit a header row: (the cells joined as one header line, index of the first row)."""
    cells: list[str] = []
    k = h
    while k < len(lines) and len(cells) < 10:
        t = lines[k].text.strip()
        if not t or len(t) > 12 or " " in t or re.search(r"[，。；：、]", t):
            break
        cells.append(t)
        k += 1
    cols = header_columns([join_years(c) for c in cells]) if len(cells) >= 3 else None
    if cols is None:
        return None
    while cols.roles[len(cells) - 1] == "other":  # a group row right under the header is no header cell
        cells.pop()
        k -= 1
    return " ".join(cells), k


def _tab_table(lines: list[Line], start: int, header: int, title: str, doc_id: str, hint: str = "") -> TableSpan:
    end = header
    while _is_tab(lines, end) or (end > header and _tab_continues(lines, end)):
        end += 1
    table = parse_tab_projects(lines, header, end, title, doc_id, hint)
    if table is None:
        table = parse_tab_indicator(lines, header, end, title, doc_id)
    if table is None:
        table = _tab_summary(lines, header, end, title, doc_id)
    return _span(lines, table, start, end)


def _tab_continues(lines: list[Line], i: int) -> bool:
    """Inside a tab run: a row with one filled cell (a group row whose empty cells were stripped)."""
    if i >= len(lines):
        return False
    t = lines[i].text
    if "\t" in t:
        return True
    return len(t.strip()) <= 30 and not re.search(r"[。；]", t) and _is_tab(lines, i + 1)


def _tab_summary(lines: list[Line], header: int, end: int, title: str, doc_id: str) -> Table:
    head = split_tab(lines[header].text)
    rows = []
    for line in lines[header + 1 : end]:
        cells = split_tab(line.text)
        if not cells or not cells[0] or cells == head:  # blank, or the header repeated on a new page
            continue
        rows.append(
            SummaryRow(
                doc_id=doc_id,
                table=title,
                label=cells[0],
                cells={
                    h or f"列{k + 2}": c for k, (h, c) in enumerate(zip(head[1:], cells[1:], strict=False))
                },
                page=line.page,
                text=" ".join(c for c in cells if c),
            )
        )
    kind = "summary" if rows else "unparsed"
    return Table(doc_id, title, kind, lines[header].page, lines[end - 1].page, summary=rows)


def _tableish(text: str) -> bool:
    """A line that reads like table cells rather than prose."""
    t = text.strip()
    if "\t" in t:
        return True
    if re.search(r"[。；]", t) or (len(t) > 20 and "，" in t) or _HEADING_RE.match(t):
        return False
    tokens = t.split()
    return len(t) <= 20 or sum(is_value(x) for x in tokens) >= 2


def _unparsed(lines: list[Line], i: int, title: str, doc_id: str) -> TableSpan | None:
    end = i + 1
    while end < len(lines) and _tableish(lines[end].text) and not is_table_title(lines[end].text):
        end += 1
    if end - i < 3:  # a title with no cells under it is a mention, not a table
        return None
    table = Table(doc_id, title, "unparsed", lines[i].page, lines[end - 1].page)
    return _span(lines, table, i, end)


def _span(lines: list[Line], table: Table, start: int, end: int) -> TableSpan:
    table.text = "\n".join(ln.text.rstrip() for ln in lines[start:end])
    table.page_start = lines[start].page
    table.page_end = lines[end - 1].page
    return TableSpan(table, start, end)


def _fmt_number(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


def row_text(table: Table, row: IndicatorRow | ProjectRow | SummaryRow) -> str:
    """The row with its headers, for a `table_row` chunk: `表2 … | 质量效益 | 某指标 | 单位 % | 2018年 2.17 | …`."""
    parts = [display_title(table.title)] if table.title else []
    if isinstance(row, IndicatorRow):
        if row.group:
            parts.append(row.group)
        parts.append(row.name)
        if row.unit:
            parts.append(f"单位 {row.unit}")
        for key, value in row.values.items():
            parts.append(f"{key}年 {value}" if re.fullmatch(r"\d{4}", key) else f"{key} {value}")
        if row.nature:
            parts.append(f"指标性质 {row.nature}")
    elif isinstance(row, ProjectRow):
        if row.category:
            parts.append(row.category)
        if row.seq is not None:
            parts.append(str(row.seq))
        parts.append(row.name)
        for label, value in (
            ("园区", row.park),
            ("建设内容", row.content),
            ("建设年限", row.period),
            ("总投资", f"{_fmt_number(row.investment_wan)}万元" if row.investment_wan is not None else None),
            ("进展", row.progress),
        ):
            if value:
                parts.append(f"{label} {value}")
        parts += [f"{k} {v}" for k, v in row.extra.items()]
    else:
        parts.append(row.label)
        parts += [f"{k} {v}" for k, v in row.cells.items()]
    return " | ".join(parts)
