"""Retrieval units: section-aware text chunks, one chunk per parsed table row, unparsed tables whole.

Chunk text is always a slice of Document.text (so quotes are verbatim) except `table_row`
chunks, which render the row with its headers. The section path goes to `meta["section"]` for
the index to prepend at embedding time; it is never written into `text`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter

from ingest import tables as table_mod
from ingest.model import Chunk, Document, FactRecord, IndicatorRow, Paragraph, ProjectRow, SummaryRow, Table
from ingest.structure import assign_sections

TARGET = 360  # characters: a chunk is closed once it would grow past MAX
MAX = 420
MIN_TAIL = 80  # a last piece shorter than this is merged into the previous chunk
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+$")
_TABLE_PIECE = 900  # an unparsed table longer than this is cut at line ends


def make_chunks(doc: Document) -> list[Chunk]:
    sections, owner = assign_sections(doc.doc_id, doc.paragraphs)
    paths = [s.path for s in sections]
    chunks: list[Chunk] = []
    run: list[Paragraph] = []
    run_owner: int | None = None

    parents = {s.parent_id for s in sections if s.parent_id}

    def flush() -> None:
        # A bare heading with sub-sections is not worth a chunk of its own: its text is in the
        # section path of every chunk below it.
        bare = (len(run) == 1 and run_owner is not None and sections[run_owner].id in parents
                and run[0].start == sections[run_owner].start and len(run[0].text) <= 80)
        if run and not bare:
            chunks.extend(_text_chunks(doc, run, paths[run_owner] if run_owner is not None else ""))
        run.clear()

    table_paras = {(p.start, p.end) for p in doc.paragraphs if p.kind == "table"}
    for para, own in zip(doc.paragraphs, owner, strict=True):
        if para.kind in ("table", "toc"):
            continue  # table blocks become row chunks below; a 目录 only repeats headings
        if own != run_owner:
            flush()
            run_owner = own
        run.append(para)
    flush()
    for table in doc.tables:
        chunks.extend(_table_chunks(doc, table, table_paras))
    chunks.extend(_fact_chunks(doc))
    chunks.sort(key=lambda c: (c.start, c.kind != "text"))
    return _with_ids(chunks)


def _text_chunks(doc: Document, paras: list[Paragraph], section: str) -> list[Chunk]:
    """Pack consecutive paragraphs of one section; split long paragraphs on sentence ends."""
    pieces: list[tuple[int, int]] = []  # (start, end) offsets into doc.text
    for para in paras:
        if len(para.text) <= MAX:
            pieces.append((para.start, para.end))
        else:
            pieces.extend(_sentence_windows(para))
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for start, end in pieces:
        if cur is None:
            cur = (start, end)
        elif end - cur[0] <= MAX and cur[1] - cur[0] < TARGET and _adjacent(doc.text, cur[1], start):
            cur = (cur[0], end)
        else:
            spans.append(cur)
            cur = (start, end)
    if cur is not None:
        if (spans and cur[1] - cur[0] < MIN_TAIL and cur[1] - spans[-1][0] <= MAX + MIN_TAIL
                and _adjacent(doc.text, spans[-1][1], cur[0])):
            spans[-1] = (spans[-1][0], cur[1])
        else:
            spans.append(cur)
    out = []
    starts = [p.start for p in paras]
    for start, end in spans:
        text = doc.text[start:end]
        if not text.strip():
            continue
        out.append(Chunk(
            id="", doc_id=doc.doc_id, doc_title=doc.title, text=text, kind="text", section=section,
            page_start=_page_at(paras, start, starts),
            page_end=_page_at(paras, max(start, end - 1), starts),
            start=start, end=end, meta={"section": section},
        ))
    return out


def _adjacent(text: str, end: int, start: int) -> bool:
    """Can a chunk ending at `end` grow to a piece starting at `start`? Only over whitespace: a
    table block between two paragraphs of a section must not be pulled into a text chunk."""
    return start >= end and not text[end:start].strip()


def _sentence_windows(para: Paragraph) -> list[tuple[int, int]]:
    """Windows of whole sentences up to TARGET characters, each repeating the last sentence before it."""
    sents = [(m.start(), m.end()) for m in _SENTENCE.finditer(para.text) if m.group().strip()]
    if not sents:
        return [(para.start, para.end)]
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j = i
        while j + 1 < len(sents) and sents[j + 1][1] - sents[i][0] <= TARGET:
            j += 1
        windows.append((para.start + sents[i][0], para.start + sents[j][1]))
        if j + 1 >= len(sents):
            break
        # one-sentence overlap, unless the window is a single sentence (then move on)
        i = j if j > i else j + 1
    # a short last window is better merged into its predecessor
    if len(windows) >= 2 and windows[-1][1] - windows[-1][0] < MIN_TAIL:
        last = windows.pop()
        windows[-1] = (windows[-1][0], last[1])
    return windows


def _page_at(paras: list[Paragraph], offset: int, starts: list[int] | None = None) -> int:
    """Page of `offset`: the paragraph holding it (binary search over the paragraphs' starts,
    which are in document order: a linear scan per chunk made huge sections quadratic), else the
    paragraph starting nearest to it."""
    starts = starts if starts is not None else [p.start for p in paras]
    i = bisect_right(starts, offset) - 1
    if i >= 0:
        p = paras[i]
        if p.start <= offset < p.end or (offset == p.end and i == len(paras) - 1):
            return p.page_at(offset - p.start)
    near = [j for j in (i, i + 1) if 0 <= j < len(paras)]
    best = min(near, key=lambda j: (abs(paras[j].start - offset), j))
    return paras[best].page_start


# --- tables -----------------------------------------------------------------------------------


def _table_chunks(doc: Document, table: Table, table_paras: set[tuple[int, int]]) -> list[Chunk]:
    start, end = _table_span(doc, table)
    base_meta = {"section": table.section, "table": table.title, "table_kind": table.kind}
    rows: list[IndicatorRow | ProjectRow | SummaryRow] = [*table.indicators, *table.projects, *table.summary]
    out: list[Chunk] = []
    if rows and table.kind != "unparsed":
        spans = _row_spans(doc.text, rows, start, end)
        for n, row in enumerate(rows):
            text = table_mod.row_text(table, row)
            if row.text and not re.search(r"\s", row.text.strip()):
                # a row whose cells ran together (`2旅游总收入亿元5015024.6%预期性`): its printed form
                # is what a reader quotes, so it is searchable too
                text += "\n" + row.text.strip()
            r_start, r_end = spans[n]
            meta = dict(base_meta, row=n, **_row_meta(row))
            out.append(Chunk(
                id="", doc_id=doc.doc_id, doc_title=doc.title, text=text, kind="table_row",
                section=table.section, page_start=row.page or table.page_start,
                page_end=row.page or table.page_end, start=r_start, end=r_end, meta=meta,
            ))
        return out
    body = doc.text[start:end] if end > start else table.text
    # very long unparsed tables are cut at line ends so one chunk stays embeddable
    offset = start
    for piece in _cut_lines(body, _TABLE_PIECE):
        out.append(Chunk(
            id="", doc_id=doc.doc_id, doc_title=doc.title, text=piece, kind="table",
            section=table.section, page_start=table.page_start, page_end=table.page_end,
            start=offset, end=offset + len(piece), meta=dict(base_meta),
        ))
        offset += len(piece) + 1
    return out


def _table_span(doc: Document, table: Table) -> tuple[int, int]:
    if table.text:
        at = doc.text.find(table.text)
        if at >= 0:
            return at, at + len(table.text)
    return 0, 0


def _row_spans(text: str, rows: list, lo: int, hi: int) -> list[tuple[int, int]]:
    """Offsets of each row in its table block: from where its name (or first cell) is printed to
    where the next row starts. Cells may be wrapped, so names are matched without whitespace."""
    block = text[lo:hi]
    squeezed, index = [], []
    for i, ch in enumerate(block):
        if not ch.isspace():
            squeezed.append(ch)
            index.append(i)
    flat = "".join(squeezed)
    starts: list[int | None] = []
    cursor = 0
    for row in rows:
        key = getattr(row, "name", None) or getattr(row, "label", None) or row.text
        key = re.sub(r"\s+", "", key or "")
        at = flat.find(key, cursor) if key else -1
        if at < 0:
            starts.append(None)
            continue
        # include the row's sequence number printed just before the name
        seq = getattr(row, "seq", None)
        if seq is not None and flat[max(0, at - len(str(seq))):at] == str(seq):
            at -= len(str(seq))
        starts.append(lo + index[at])
        cursor = at + len(key)
    spans: list[tuple[int, int]] = []
    for n, st in enumerate(starts):
        if st is None:
            spans.append((lo, hi))
            continue
        nxt = next((x for x in starts[n + 1:] if x is not None and x > st), hi)
        end = nxt
        while end > st and text[end - 1].isspace():
            end -= 1
        spans.append((st, end))
    return spans


def _row_meta(row: IndicatorRow | ProjectRow | SummaryRow) -> dict:
    if isinstance(row, ProjectRow):
        return {k: v for k, v in {
            "park": row.park, "category": row.category, "start_year": row.start_year,
            "end_year": row.end_year, "name": row.name,
        }.items() if v is not None}
    if isinstance(row, IndicatorRow):
        years = [int(y) for y in row.values if str(y).isdigit()]
        return {k: v for k, v in {"group": row.group, "name": row.name, "years": years}.items() if v}
    return {"label": row.label}


def _cut_lines(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    cur: list[str] = []
    size = 0
    for line in text.split("\n"):
        if cur and size + len(line) + 1 > limit:
            pieces.append("\n".join(cur))
            cur, size = [], 0
        cur.append(line)
        size += len(line) + 1
    if cur:
        pieces.append("\n".join(cur))
    return [p for p in pieces if p.strip()] or [text]


_FACT_CONTEXT = 100  # characters of the sentence kept on each side of a run of target figures
_SENTENCE_END = "。！？!?\n"


def _fact_chunks(doc: Document) -> list[Chunk]:
    """One `fact` chunk per sentence stating targets: the sentence (at most _FACT_CONTEXT characters
    either side of its figures), verbatim, with the facts' years and measures in `meta`. Actual
    figures get none: they are read in the text chunks, and the text around them is what a question
    quotes."""
    groups: list[list[tuple[int, FactRecord]]] = []
    for n, f in enumerate(doc.facts):
        if f.kind != "target":
            continue
        prev = groups[-1][-1][1] if groups else None
        if (prev is not None and prev.section == f.section and prev.end <= f.start
                and not any(c in _SENTENCE_END for c in doc.text[prev.end:f.start])):
            groups[-1].append((n, f))
        else:
            groups.append([(n, f)])
    out: list[Chunk] = []
    for group in groups:
        first, last = group[0][1], group[-1][1]
        start, end = _sentence_span(doc.text, first.start, last.end)
        facts = [f for _, f in group]
        out.append(Chunk(
            id="", doc_id=doc.doc_id, doc_title=doc.title, text=doc.text[start:end], kind="fact",
            section=first.section, page_start=first.page, page_end=last.page, start=start, end=end,
            meta={"section": first.section, "facts": [n for n, _ in group], "years": sorted({f.year for f in facts
                                                                                          if f.year}),
                  "fact_kind": sorted({f.kind for f in facts}), "measures": [f.measure for f in facts]},
        ))
    return out


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _FACT_CONTEXT)
    cut = max(text.rfind(c, lo, start) for c in _SENTENCE_END)
    lo = cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + _FACT_CONTEXT)
    ends = [i for i in (text.find(c, end, hi) for c in _SENTENCE_END) if i >= 0]
    hi = min(ends) + 1 if ends else hi
    while hi > lo and text[hi - 1] == "\n":
        hi -= 1
    while lo < start and text[lo].isspace():
        lo += 1
    return lo, hi


def _with_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Stable ids from content: the same text in the same document always gets the same id."""
    seen: Counter[tuple[str, str]] = Counter()
    for c in chunks:
        # surrogatepass: a stray surrogate (normally replaced at the loader boundary) never raises
        h = hashlib.sha1(c.text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        n = seen[(c.kind, h)]
        seen[(c.kind, h)] += 1
        c.id = f"{c.doc_id}:{c.kind}:{h}:{n}"
    return chunks
