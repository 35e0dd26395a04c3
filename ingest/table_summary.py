"""Summary and statistics tables: a label column followed by numeric columns.

Headers are the hard part: PDF extraction wraps header cells over several lines
(`港口货物吞吐` / `量（万吨）`) and prints two-level headers as a row of groups above a row of
repeating sub-headers (`公共基础设施 …` above `个数 金额 个数 金额 …`). Column names are joined
as `公共基础设施 / 个数`; when no reading of the header fits the number of values, generic names
(`列1`…) are used rather than dropping the table.
"""

from __future__ import annotations

import re

from ingest.model import Line, SummaryRow, Table
from ingest.table_cells import is_page_number, is_table_title, is_value, join_years, trailing_values

_NOTE_RE = re.compile(r"^[（(][^）)]*单位[^）)]*[）)]$|^(金额)?单位[:：]")
_ASCII_RE = re.compile(r"^[A-Za-z0-9&.\-+/]+$")


def _data_row(text: str) -> tuple[str, list[str]] | None:
    """'某开发区 30 734867 …' -> ('某开发区', ['30', '734867', …]) when ≥2 trailing values."""
    if "。" in text:
        return None
    tokens = text.split()
    n = trailing_values(tokens)
    if n < 2 or n == len(tokens):
        if n >= 3 and n == len(tokens) and re.fullmatch(r"(19|20)\d{2}", tokens[0]):
            return tokens[0], tokens[1:]  # a year label: "2013 7267 103814 …"
        return None
    return " ".join(tokens[: len(tokens) - n]), tokens[len(tokens) - n :]


def _repeating(tokens: list[str]) -> tuple[list[str], int] | None:
    """`个数 金额 个数 金额` -> (['个数', '金额'], 2)."""
    for p in range(1, len(tokens) // 2 + 1):
        if len(tokens) % p == 0 and len(tokens) // p >= 2:
            pat = tokens[:p]
            if all(tokens[i : i + p] == pat for i in range(0, len(tokens), p)):
                if not any(is_value(t) for t in pat):
                    return pat, len(tokens) // p
    return None


def _ascii_merge(tokens: list[str], target: int) -> list[str]:
    """Append a latin token to the word before it ('人均' 'GDP') until `target` cells remain, from the right."""
    toks = list(tokens)
    while len(toks) > target:
        for k in range(len(toks) - 1, 1, -1):
            if _ASCII_RE.match(toks[k]) and not _ASCII_RE.match(toks[k - 1]):
                toks[k - 1 : k + 1] = [toks[k - 1] + toks[k]]
                break
        else:
            break
    return toks


def _header_names(header: list[Line], n: int) -> list[str]:
    """Column names for the n value columns (label column excluded)."""
    lines = [join_years(ln.text.strip()) for ln in header]
    keep = [(ln, txt) for ln, txt in zip(header, lines, strict=False) if not _NOTE_RE.match(txt)]
    sub = None
    for idx, (_, txt) in enumerate(keep):
        rep = _repeating(txt.split())
        if rep:
            sub = (idx, rep)
    if sub:
        idx, (pat, k) = sub
        top = _block_cells(keep[:idx])
        singles = n - len(pat) * k
        if singles >= 0 and len(top) in (singles + k, singles + k + 1):
            top = top[len(top) - singles - k :]
            names = top[:singles]
            for g in top[singles:]:
                names += [f"{g} / {p}" for p in pat]
            return names
    for cells in (_block_cells(keep), _aligned_cells(keep, n), _paren_cells(keep)):
        if cells and len(cells) in (n, n + 1):
            return cells[len(cells) - n :]
    return [f"列{k + 1}" for k in range(n)]


def _block_cells(keep: list[tuple[Line, str]]) -> list[str]:
    """Cells from header blocks: a block of one-word lines is one wrapped cell, else split on spaces."""
    blocks: list[list[str]] = []
    for ln, txt in keep:
        if ln.para_break or not blocks:
            blocks.append([])
        blocks[-1].append(txt)
    cells: list[str] = []
    for b in blocks:
        parts = [t for t in b if not _NOTE_RE.match(t)]
        if parts and all(len(t.split()) == 1 for t in parts):
            cells.append("".join(parts))
        else:
            for t in parts:
                cells += [c for c in t.split() if not _NOTE_RE.match(c)]
    return cells


def _paren_cells(keep: list[tuple[Line, str]]) -> list[str]:
    """Fragments joined until one ends with a unit in brackets: '外贸进出口总' '额（亿美元）'."""
    frags = [c for _, t in keep for c in t.split() if not _NOTE_RE.match(c)]
    if not frags:
        return []
    cells: list[str] = []
    if not frags[0].endswith(("）", ")")):
        cells.append(frags.pop(0))  # the label column's header ("年份")
    cur = ""
    for f in frags:
        cur += f
        if cur.endswith(("）", ")")):
            cells.append(cur)
            cur = ""
    if cur or any(len(c) > 24 for c in cells):
        return []
    return cells


def _aligned_cells(keep: list[tuple[Line, str]], n: int) -> list[str]:
    """First header line gives n+1 cells; later lines continue the right-most cells."""
    if not keep:
        return []
    top = _ascii_merge(keep[0][1].split(), n + 1)
    if len(top) != n + 1:
        return []
    for _, txt in keep[1:]:
        more = txt.split()
        if len(more) > len(top):
            return []
        for k, m in enumerate(more):
            top[len(top) - len(more) + k] += m
    return top


def parse_summary(
    lines: list[Line], start: int, title: str, doc_id: str, noise: set[str]
) -> tuple[Table, int] | None:
    """Header lines from `start` up to the first data row, then rows while they keep coming.

    A table printed in two halves (a second header after some rows) is read as one table: rows
    with the same label are merged.
    """
    rows: list[SummaryRow] = []
    by_label: dict[str, SummaryRow] = {}
    i = start
    end = start
    while i < len(lines):
        header: list[Line] = []
        while i < len(lines) and _data_row(lines[i].text) is None and len(header) < 14:
            t = lines[i].text.strip()
            if re.search(r"[。；]", t) or (len(t) > 12 and "，" in t) or is_table_title(t):
                break
            if t not in noise and not is_page_number(t):
                header.append(lines[i])
            i += 1
        if i >= len(lines) or _data_row(lines[i].text) is None:
            break
        first = _data_row(lines[i].text)
        assert first is not None
        n = len(first[1])
        names = _header_names(header, n) if header else [f"列{k + 1}" for k in range(n)]
        while i < len(lines):
            t = lines[i].text.strip()
            if t in noise or is_page_number(t):
                i += 1
                continue
            got = _data_row(t)
            if got is None or len(got[1]) != n:
                break
            label, values = got
            cells = dict(zip(names, values, strict=False))
            if label in by_label:
                by_label[label].cells.update(cells)
                by_label[label].text += " " + " ".join(values)
            else:
                row = SummaryRow(doc_id, title, label, cells, lines[i].page, text=re.sub(r"\s+", " ", t))
                rows.append(row)
                by_label[label] = row
            i += 1
            end = i
    if not rows:
        return None
    table = Table(
        doc_id=doc_id,
        title=title,
        kind="summary",
        page_start=lines[start].page,
        page_end=lines[end - 1].page,
        summary=rows,
    )
    return table, end
