"""Table detection and parsing (placeholder signature; being implemented)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import IndicatorRow, Line, ProjectRow, SummaryRow, Table


@dataclass
class TableSpan:
    table: Table
    start: int  # index of the first line of the table block (its title line)
    end: int  # index after the last line


def extract_tables(lines: list[Line], doc_id: str) -> list[TableSpan]:
    return []


def row_text(table: Table, row: IndicatorRow | ProjectRow | SummaryRow) -> str:
    return row.text
