"""Tab-separated indicator tables (DOCX tables, some PDF extractors): one row per line, cells by tab.

The group cell is printed only on a group's first row and is carried down, or drawn as one merged
cell across the table (a line with a single non-value cell); a short row lost empty cells to
whitespace stripping and is padded on the side that puts values under the value columns. Apart
from the space-aligned layouts (table_indicator.py) because no row grammar is needed: the tabs
say where each cell is.
"""

from __future__ import annotations

import re

from ingest.model import IndicatorRow, Line, Table
from ingest.table_cells import clean_unit, is_unit, is_value, join_years, norm_name
from ingest.table_indicator import Columns, group_text, header_columns, indicator_table, unit_in_name


def split_tab(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")]


def _align(cells: list[str], cols: Columns) -> list[str]:
    """A short row lost empty cells to whitespace stripping: leading ones (an empty 类别 cell) or
    trailing ones (an empty 属性/备注 cell). Pad on the side that puts values under value columns."""
    n = len(cols.roles)
    if len(cells) >= n:
        return cells[:n]
    missing = [""] * (n - len(cells))

    def fit(row: list[str]) -> int:
        score = 0
        for role, cell in zip(cols.roles, row, strict=True):
            if role in ("year", "value"):
                score += is_value(cell)
            elif role == "nature":
                score += bool(re.search(r"性$", cell)) - (bool(cell) and not re.search(r"性$", cell))
            elif role == "unit":
                score += is_unit(cell) - is_value(cell)
            elif role == "name":
                score += bool(cell) and not is_value(cell)
        return score

    left, right = missing + cells, cells + missing
    return right if fit(right) > fit(left) else left



def parse_tab_indicator(lines: list[Line], header: int, end: int, title: str, doc_id: str) -> Table | None:
    """Tab-separated rows lines[header+1:end]; the group cell is carried down when left empty."""
    head = split_tab(join_years(lines[header].text))
    cols = header_columns(head)
    if cols is None:
        return None
    rows: list[IndicatorRow] = []
    carried: dict[int, str] = {}
    spanning: str | None = None  # a group row drawn as one merged cell across the table
    for line in lines[header + 1 : end]:
        cells = split_tab(line.text)
        filled = [c for c in cells if c]
        if split_tab(join_years(line.text)) == head:
            continue  # the header repeated on the next page
        if len(filled) == 1 and not is_value(filled[0]):
            spanning = group_text(filled[0]) or spanning
            continue
        cells = _align(cells, cols)
        group, name, unit, nature, values = _tab_cells(cells, cols, head, carried)
        group = group or spanning
        if name and not cols.has("unit"):
            name, unit = unit_in_name(name)
        if not name or not any(values.get(y) for y in cols.years):
            continue
        rows.append(
            IndicatorRow(
                doc_id=doc_id,
                table=title,
                group=group,
                name=name,
                unit=unit,
                values=values,
                nature=nature,
                page=line.page,
                text=" ".join(c for c in cells if c),
            )
        )
    if not rows:
        return None
    return indicator_table(doc_id, title, rows, lines, header, end)


def _tab_cells(cells: list[str], cols: Columns, head: list[str], carried: dict[int, str]
               ) -> tuple[str | None, str | None, str | None, str | None, dict[str, str]]:
    """(group, name, unit, nature, values) of one aligned row; a group cell is remembered in
    `carried` for the rows below that leave it empty."""
    group = name = unit = nature = None
    values: dict[str, str] = {}
    yi = 0
    for k, (role, cell) in enumerate(zip(cols.roles, cells, strict=False)):
        if role == "group":
            if cell:
                carried[k] = cell
            group = carried.get(k)
        elif role == "name" and name is None:
            name = norm_name(cell)
        elif role == "unit":
            unit = clean_unit(cell) or None
        elif role in ("year", "value"):
            values[cols.years[yi]] = cell
            yi += 1
        elif role == "nature":
            nature = cell or None
        elif role == "note" and cell:
            values[head[k]] = cell
    return group, name, unit, nature, values
