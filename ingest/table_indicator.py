"""Indicator (target) tables: name / unit / year columns, optional group rows and 指标性质.

Two physical layouts occur: PDF text where each row is one line of space-separated cells (group
rows such as `质量效益` stand alone on their own line), and tab-separated rows (DOCX, some PDF
extractors) where the group cell is printed only on a group's first row and must be carried down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import IndicatorRow, Line, Table
from ingest.table_cells import (
    clean_unit,
    is_page_number,
    is_unit,
    join_years,
    norm_name,
    split_values,
    year_of,
)

_PUNCT = re.compile(r"[，。；：、,;:]")


@dataclass
class Columns:
    """What each header cell means."""

    roles: list[str]  # per column: group | name | unit | year | value | nature | seq | other
    years: list[str]  # keys of the value columns (year / value), left to right: "2025", "年均增长"

    @property
    def n_years(self) -> int:
        return len(self.years)

    def has(self, role: str) -> bool:
        return role in self.roles


def header_columns(cells: list[str]) -> Columns | None:
    """Classify header cells; None unless there is a name column and at least one year column."""
    roles: list[str] = []
    years: list[str] = []
    for cell in cells:
        c = re.sub(r"\s+", "", cell)
        y = year_of(c)
        if y:
            roles.append("year")
            years.append(y if y not in years else c)
        elif "name" in roles and re.search(r"年均|累计|增长|增速|目标|预期|变化|增幅", c):
            roles.append("value")  # a value column that is not a year: "年均增长[累计]"
            years.append(c)
        elif re.search(r"性质|属性", c):
            roles.append("nature")
        elif re.fullmatch(r"(计量)?单位", c):
            roles.append("unit")
        elif re.search(r"序号|编号", c):
            roles.append("seq")
        elif re.search(r"一级|类别|领域|分类|类型|方面|维度", c):
            roles.append("group")
        elif re.search(r"指标|名称|项目|内容", c):
            roles.append("name")
        else:
            roles.append("other")
    if "name" not in roles and roles.count("group") == 1 and "year" in roles:
        roles[roles.index("group")] = "name"  # a lone 类别-like column is the name column
    if not years or "name" not in roles:
        return None
    return Columns(roles, years)


def looks_like_indicator_header(text: str) -> bool:
    cols = header_columns(join_years(text).replace("\t", " ").split())
    return cols is not None


def _parse_space_row(text: str, cols: Columns) -> tuple[str, str | None, list[str], str | None] | None:
    """One PDF line -> (name, unit, values, nature) or None if it is not a complete row."""
    if "。" in text:
        return None
    tokens = text.split()
    nature = None
    if cols.has("nature"):
        if not tokens or not re.search(r"性$", tokens[-1]):
            return None
        nature = tokens.pop()
    got = split_values(tokens, cols.n_years)
    if got is None:
        return None
    rest, values = got
    if cols.has("seq") and rest and re.fullmatch(r"\d{1,3}", rest[0]):
        rest = rest[1:]
    unit = None
    if cols.has("unit") and len(rest) >= 2 and is_unit(rest[-1]):
        unit = clean_unit(rest.pop())
    name = norm_name(" ".join(rest))
    if unit is None:
        name, unit = unit_in_name(name)
    if not name or not re.search(r"[^\d\s.%]", name):
        return None
    return name, unit, values, nature


def unit_in_name(name: str) -> tuple[str, str | None]:
    """'地区生产总值（亿元）' -> ('地区生产总值', '亿元') when the table has no unit column."""
    m = re.match(r"^(.+?)\s*[（(]([^（）()]{1,8})[）)]$", name)
    if m and is_unit(m.group(2)):
        return m.group(1), m.group(2)
    return name, None


def _is_group_line(text: str) -> bool:
    return len(text) <= 12 and not re.search(r"\d", text) and not _PUNCT.search(text)


def parse_space_indicator(
    lines: list[Line], header: int, title: str, doc_id: str, noise: set[str]
) -> tuple[Table, int] | None:
    """Parse rows after the header line at `header`; returns the table and the end index."""
    cols = header_columns(join_years(lines[header].text).split())
    if cols is None:
        return None
    header_text = lines[header].text.strip()
    rows: list[IndicatorRow] = []
    group: str | None = None
    pending: list[str] = []  # a name wrapped onto its own line in a table without group column
    end = header + 1
    i = header + 1
    # a second header line ("（基期） （目标）") holds no values and several cells
    while i < len(lines) and len(lines[i].text.split()) > 1 and not re.search(r"\d", lines[i].text):
        if _parse_space_row(lines[i].text.strip(), cols) or _PUNCT.search(lines[i].text):
            break
        i += 1
        end = i
    while i < len(lines):
        text = lines[i].text.strip()
        if text == header_text or text in noise or is_page_number(text):
            i += 1
            continue
        parsed = _parse_space_row(text, cols)
        if parsed:
            name, unit, values, nature = parsed
            verbatim = re.sub(r"\s+", " ", text)
            if pending:
                name = norm_name("".join(pending) + name)
                verbatim = " ".join(pending) + " " + verbatim
                pending = []
            rows.append(
                IndicatorRow(
                    doc_id=doc_id,
                    table=title,
                    group=group,
                    name=name,
                    unit=unit,
                    values=dict(zip(cols.years, values, strict=False)),
                    nature=nature,
                    page=lines[i].page,
                    text=verbatim,
                )
            )
            i += 1
            end = i
            continue
        if _is_group_line(text) and _next_is_row(lines, i + 1, cols, header_text, noise):
            if cols.has("group"):
                group = text
            else:
                pending.append(text)
            i += 1
            continue
        break
    if not rows:
        return None
    table = Table(
        doc_id=doc_id,
        title=title,
        kind="indicator",
        page_start=lines[header].page,
        page_end=lines[end - 1].page,
        indicators=rows,
    )
    return table, end


def _next_is_row(lines: list[Line], i: int, cols: Columns, header_text: str, noise: set[str]) -> bool:
    while i < len(lines):
        text = lines[i].text.strip()
        if text == header_text or text in noise or is_page_number(text):
            i += 1
            continue
        if _parse_space_row(text, cols):
            return True
        # a second group-like line (wrapped group or name) may sit in between
        if _is_group_line(text):
            i += 1
            continue
        return False
    return False


def split_tab(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")]


def parse_tab_indicator(lines: list[Line], header: int, end: int, title: str, doc_id: str) -> Table | None:
    """Tab-separated rows lines[header+1:end]; the group cell is carried down when left empty."""
    head = split_tab(join_years(lines[header].text))
    cols = header_columns(head)
    if cols is None:
        return None
    ncol = len(head)
    rows: list[IndicatorRow] = []
    carried: dict[int, str] = {}
    for line in lines[header + 1 : end]:
        cells = split_tab(line.text)
        if len(cells) < ncol:  # leading empty cells lost to whitespace stripping
            cells = [""] * (ncol - len(cells)) + cells
        cells = cells[:ncol]
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
        if name and not cols.has("unit"):
            name, unit = unit_in_name(name)
        if not name or not any(values.values()):
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
    return Table(
        doc_id=doc_id,
        title=title,
        kind="indicator",
        page_start=lines[header].page,
        page_end=lines[end - 1].page,
        indicators=rows,
    )
