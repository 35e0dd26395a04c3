"""Indicator (target) tables: name / unit / year columns, optional group rows and 指标性质.

Three physical layouts occur: PDF text where each row is one line of space-separated cells (group
rows such as `质量效益` stand alone on their own line; rows are read from the right), text tables
aligned with runs of spaces (one cell per column, so a value may be words: `与经济增长同步`), and
tab-separated rows (DOCX, some PDF extractors) where the group cell is printed only on a group's
first row and must be carried down, or drawn as one merged cell across the table.
The tab-separated layout is read in table_indicator_tab.py; the header's columns, the row
grammar of the space layouts and the group rows shared by both are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import IndicatorRow, Line, Table
from ingest.table_cells import (
    clean_unit,
    is_page_number,
    is_unit,
    is_value,
    join_years,
    norm_name,
    split_values,
    year_of,
)

_PUNCT = re.compile(r"[，。；：、,;:]")


@dataclass
class Columns:
    """What each header cell means."""

    roles: list[str]  # per column: group | name | unit | year | value | nature | note | seq | other
    years: list[str]  # keys of the value columns (year / value), left to right: "2025", "年均增长"
    notes: list[str] = field(default_factory=list)  # headers of 备注-like columns, kept in `values`

    @property
    def n_years(self) -> int:
        return len(self.years)

    def has(self, role: str) -> bool:
        return role in self.roles


def header_columns(cells: list[str]) -> Columns | None:
    """Classify header cells; None unless there is a name column and at least one year column."""
    roles: list[str] = []
    years: list[str] = []
    notes: list[str] = []
    for cell in cells:
        c = re.sub(r"\s+", "", cell)
        y = year_of(c)
        if y:
            roles.append("year")
            years.append(y if y not in years else c)
        elif re.fullmatch(r"备注|说明|备注说明|附注", c):
            roles.append("note")
            notes.append(c)
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
    return Columns(roles, years, notes)


def looks_like_indicator_header(text: str) -> bool:
    cols = header_columns(join_years(text).replace("\t", " ").split())
    return cols is not None


@dataclass
class _Parsed:
    name: str
    unit: str | None
    values: list[str]  # one per value column, left to right
    nature: str | None
    group: str | None = None  # from a 类别 cell on the row itself (aligned layout)
    notes: list[str] = field(default_factory=list)


# cells of a column-aligned text table are set apart by runs of spaces; words inside a cell are not
_GAP = re.compile(r"\s{2,}|\u3000+")


def _aligned_row(text: str, cols: Columns) -> _Parsed | None:
    """A row of a table aligned with runs of spaces: one cell per column, text values allowed
    ("与经济增长同步"), as long as at least one value cell is a printed number."""
    cells = _GAP.split(text.strip())
    if len(cells) != len(cols.roles) or "。" in text:
        return None
    got = _Parsed("", None, [], None)
    for role, cell in zip(cols.roles, cells, strict=True):
        if role == "group":
            got.group = cell
        elif role == "name" and not got.name:
            got.name = norm_name(cell)
        elif role == "unit":
            if len(cell) > 10 or _PUNCT.search(cell):
                return None
            got.unit = clean_unit(cell) or None
        elif role in ("year", "value"):
            if len(cell) > 20:
                return None
            got.values.append(cell)
        elif role == "nature":
            if not re.search(r"性$", cell):
                return None
            got.nature = cell
        elif role == "note":
            got.notes.append(cell)
    if not any(is_value(v) for v in got.values) or not re.search(r"[^\d\s.%]", got.name):
        return None
    if not cols.has("unit"):
        got.name, got.unit = unit_in_name(got.name)
    return got


def _loose_values(tokens: list[str], n: int) -> tuple[list[str], list[str]] | None:
    """The last `n` tokens as values when some are words ("与经济增长同步"); one must be a number."""
    if len(tokens) <= n:
        return None
    values = tokens[len(tokens) - n :]
    if not any(is_value(v) for v in values):
        return None
    if any(len(v) > 12 or _PUNCT.search(v) for v in values if not is_value(v)):
        return None
    return tokens[: len(tokens) - n], values


def _parse_space_row(text: str, cols: Columns) -> _Parsed | None:
    """One text line -> the row's cells, or None if it is not a complete row."""
    if "。" in text:
        return None
    aligned = _aligned_row(text, cols)
    if aligned:
        return aligned
    tokens = text.split()
    nature = None
    notes: list[str] = []
    if cols.has("nature"):
        at = max((k for k, t in enumerate(tokens) if re.search(r"性$", t)), default=None)
        if at is None or (at != len(tokens) - 1 and not cols.has("note")):
            return None
        nature, notes = tokens[at], [" ".join(tokens[at + 1 :])] if cols.has("note") else []
        tokens = tokens[:at]
    got = split_values(tokens, cols.n_years)
    if got is None and (nature or cols.has("unit")):
        # a word among the values ends the strict reading; it is still a row when the row's other
        # cells (nature, or a unit right before the values) say so
        got = _loose_values(tokens, cols.n_years)
        if got and not nature and not (len(got[0]) >= 2 and is_unit(got[0][-1])):
            got = None
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
    return _Parsed(name, unit, values, nature, notes=notes)


def unit_in_name(name: str) -> tuple[str, str | None]:
    """'地区生产总值（亿元）' -> ('地区生产总值', '亿元') when the table has no unit column."""
    m = re.match(r"^(.+?)\s*[（(]([^（）()]{1,8})[）)]$", name)
    if m and is_unit(m.group(2)):
        return m.group(1), m.group(2)
    return name, None


_GROUP_MARK = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）)\s*")


def group_text(text: str) -> str | None:
    """A line that can be a group row (`经济发展`, `一、经济发展`) or a name wrapped onto its own line."""
    t = _GROUP_MARK.sub("", text.strip())
    t = re.sub(r"\s*[（(]\d+\s*[项个]?[）)]$", "", t)  # "经济发展（4项）"
    if not t or len(t) > 20 or re.search(r"\d", t) or _PUNCT.search(t):
        return None
    return t


def _is_group(text: str, group: str, row: _Parsed, cols: Columns) -> bool:
    """Group row or the first part of a wrapped name? A table with a group column says so; else a
    numbered or short line is a group, and so is one followed by a name that is whole on its own
    line (a wrapped name leaves a short tail such as `比例`)."""
    if cols.has("group") or _GROUP_MARK.match(text.strip()):
        return len(group) <= 12
    return len(group) <= 6 or (len(group) <= 12 and len(row.name) >= 6)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def parse_space_indicator(
    lines: list[Line],
    header: int,
    title: str,
    doc_id: str,
    noise: set[str],
    head: tuple[str, int] | None = None,
) -> tuple[Table, int] | None:
    """Parse rows after the header line at `header`; returns the table and the end index.

    `head` is (header text, first row index) when the header cells were printed one per line.
    """
    header_text, i = head if head else (lines[header].text.strip(), header + 1)
    cols = header_columns(join_years(header_text).split())
    if cols is None:
        return None
    skip = {_key(header_text), *(_key(c) for c in header_text.split())} if head else {_key(header_text)}
    rows: list[IndicatorRow] = []
    group: str | None = None
    pending: list[str] = []  # a name wrapped onto its own line in a table without group column
    i = end = _after_second_header(lines, i, cols)
    while i < len(lines):
        text = lines[i].text.strip()
        if _is_noise(text, skip, noise):
            i += 1
            continue
        parsed = _parse_space_row(text, cols)
        if parsed:
            if parsed.group:
                group = parsed.group
            rows.append(_space_record(parsed, pending, text, group, cols, title, doc_id, lines[i].page))
            pending = []
            i += 1
            end = i
            continue
        g = group_text(text)
        nxt = _next_row(lines, i + 1, cols, skip, noise) if g else None
        if g and nxt:
            if _is_group(text, g, nxt, cols):
                group = g
            else:
                pending.append(text)
            i += 1
            continue
        break
    if not rows:
        return None
    return indicator_table(doc_id, title, rows, lines, header, end), end


def indicator_table(doc_id: str, title: str, rows: list[IndicatorRow], lines: list[Line], header: int,
                    end: int) -> Table:
    """The parsed indicator table of either layout: its rows, on the pages from the header line
    `lines[header]` to the table's last line `lines[end - 1]`."""
    return Table(
        doc_id=doc_id,
        title=title,
        kind="indicator",
        page_start=lines[header].page,
        page_end=lines[end - 1].page,
        indicators=rows,
    )


def _after_second_header(lines: list[Line], i: int, cols: Columns) -> int:
    """The first row after a second header line ("（基期） （目标）": several cells, no values)."""
    while i < len(lines) and len(lines[i].text.split()) > 1 and not re.search(r"\d", lines[i].text):
        if _parse_space_row(lines[i].text.strip(), cols) or _PUNCT.search(lines[i].text):
            break
        i += 1
    return i


def _space_record(parsed: _Parsed, pending: list[str], text: str, group: str | None, cols: Columns,
                  title: str, doc_id: str, page: int) -> IndicatorRow:
    """The row of a parsed line, joined to the head of its name wrapped onto the lines before."""
    name = parsed.name
    verbatim = re.sub(r"\s+", " ", text)
    if pending:
        name = norm_name("".join(pending) + name)
        verbatim = " ".join(pending) + " " + verbatim
    values = dict(zip(cols.years, parsed.values, strict=False))
    values.update({k: v for k, v in zip(cols.notes, parsed.notes, strict=False) if v})
    return IndicatorRow(
        doc_id=doc_id,
        table=title,
        group=group,
        name=name,
        unit=parsed.unit,
        values=values,
        nature=parsed.nature,
        page=page,
        text=verbatim,
    )


def _is_noise(text: str, skip: set[str], noise: set[str]) -> bool:
    """A repeated header, a stray running header or a page number inside the table."""
    return _key(text) in skip or text in noise or is_page_number(text)


def _next_row(lines: list[Line], i: int, cols: Columns, skip: set[str], noise: set[str]) -> _Parsed | None:
    while i < len(lines):
        text = lines[i].text.strip()
        if _is_noise(text, skip, noise):
            i += 1
            continue
        parsed = _parse_space_row(text, cols)
        if parsed:
            return parsed
        # a second group-like line (wrapped group or name) may sit in between
        if group_text(text):
            i += 1
            continue
        return None
    return None
