"""A cell of any table, read by its row and its column header: 稳岗补贴的补贴标准是多少 → the 稳岗补贴
row's 补贴标准 cell.  Ingest parses a labelled table (first column: what each row is about; a header
row: what each column holds) into summary rows whatever the document; the question names the row by
its label and the column by a run of its header's characters outside the label (标准 of 补贴标准).
This is the last structured reading: the project, aggregate and indicator readers come first."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from assistant.cite import Answer
from assistant.corpus import Corpus, RowRef
from assistant.numbers import is_blank_cell, match_form
from assistant.query import Query

MIN_LABEL = 2  # characters of a row label the question must hold whole
MIN_HEADER_RUN = 2  # characters of a column header the question must hold in one run …
HEADER_SHARE = 0.5  # … and at least this share of the header (its unit in brackets left out)
_UNIT = re.compile(r"[（(][^）)]*[）)]")
_YEARISH = re.compile(r"[\d\s年.]+")  # a year row (2013, 2018年) is read by the indicator reader


def answer_table_cell(q: Query, corpus: Corpus) -> Answer | None:
    """The cell at the row and the column the question names, quoted from its row; None when no
    row label and column header are both named (the longest label, then the longest header run)."""
    best: tuple[int, int, RowRef, str, str] | None = None
    for ref in corpus.summaries:
        label = match_form(getattr(ref.row, "label", "") or "")
        if len(label) < MIN_LABEL or label not in q.norm or _YEARISH.fullmatch(label):
            continue
        rest = q.norm.replace(label, "|")
        for header, cell in ref.row.cells.items():
            if is_blank_cell(cell):
                continue
            h = match_form(_UNIT.sub("", header))
            run = SequenceMatcher(None, h, rest, autojunk=False).find_longest_match(0, len(h), 0, len(rest)).size
            key = (len(label), run)
            if run >= max(MIN_HEADER_RUN, HEADER_SHARE * len(h)) and (best is None or key > best[:2]):
                best = (len(label), run, ref, header, cell)
    if best is None:
        return None
    _, _, ref, header, cell = best
    ev = corpus.row_evidence(ref, must=cell)
    title = ref.table.title or "表格"
    return Answer([cell.strip(), f"（{title}：“{ref.row.label}”行，“{header}”列）"], [ev],
                  mode="structured", confidence=0.8)
