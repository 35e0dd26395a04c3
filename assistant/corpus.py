"""The assistant's read-only view of the indexed records, loaded once per Assistant.

Holds every document's text (for verbatim quotes), the parsed rows, the table_row chunks each
row was rendered into (so a citation carries the chunk id), and the learned vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.bounded import LRUCache
from assistant.cite import DocText, Evidence
from assistant.numbers import fmt_number, match_form
from assistant.vocab import Vocabulary
from index.tokens import Tokenizer, plain_tokenizer
from ingest.model import Chunk, IndicatorRow, ProjectRow, Section, SummaryRow, Table


class Records(Protocol):
    def documents(self) -> list[dict]: ...
    def document_text(self, doc_id: str) -> str: ...
    def tables(self, doc_id: str | None = None) -> list[Table]: ...
    def chunks(self, doc_id: str | None = None, kind: str | None = None) -> list[Chunk]: ...
    def chunk(self, chunk_id: str) -> Chunk | None: ...
    def sections(self, doc_id: str) -> list[Section]: ...


@dataclass
class RowRef:
    """One parsed table row with the table it belongs to.

    `sources` is set for an indicator read out of a statistics table whose rows are years
    (表2: 2013 / 2018 rows, one column per indicator): year → the summary row holding it."""

    row: IndicatorRow | ProjectRow | SummaryRow
    table: Table
    sources: dict[str, RowRef] | None = None


DOC_TEXT_CACHE = 128  # documents whose whitespace-free form and offset map are kept
CHUNK_FORM_CACHE = 8192  # chunks whose matching form (text folded, whitespace removed) is kept

_YEAR_LABEL = re.compile(r"^((?:19|20)\d{2})年?$")
_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,8})[）)]\s*$")


def year_table_facts(table: Table, refs: list[RowRef]) -> list[RowRef]:
    """Indicators of a statistics table laid out with one row per year."""
    years = [(m.group(1), ref) for ref in refs if (m := _YEAR_LABEL.match(match_form(ref.row.label)))]
    if len(years) < 1 or len(years) < len(refs) / 2:
        return []
    facts: dict[str, RowRef] = {}
    for year, ref in years:
        for header, cell in ref.row.cells.items():
            m = _UNIT_IN_HEADER.search(header)
            name = _UNIT_IN_HEADER.sub("", header).strip() or header
            fact = facts.get(header)
            if fact is None:
                row = IndicatorRow(doc_id=table.doc_id, table=table.title, group=None, name=name,
                                   unit=m.group(1) if m else None, values={}, nature=None,
                                   page=ref.row.page, section=ref.row.section)
                fact = facts[header] = RowRef(row, table, {})
            fact.row.values[year] = cell
            fact.sources[year] = ref
    return list(facts.values())


class DocTexts(Mapping[str, DocText]):
    """doc_id → DocText, each built when first quoted from and kept in an LRU cache: the
    character-offset map of every document at once is ~5 bytes per character and minutes of
    start-up at 100× the bundled corpus, and a question quotes from a few documents."""

    def __init__(self, raw: dict[str, str]):
        self._raw = raw
        self._built: LRUCache[str, DocText] = LRUCache(DOC_TEXT_CACHE)

    def __getitem__(self, doc_id: str) -> DocText:
        got = self._built.get(doc_id)
        if got is None:
            got = DocText(self._raw[doc_id])  # KeyError for an unknown document, as a dict
            self._built[doc_id] = got
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._raw


def _profile_value(profile: Any, name: str) -> str:
    f = getattr(profile, name, None)
    return str(getattr(f, "value", "") or "")


class Corpus:
    def __init__(self, records: Records, tokenizer: Tokenizer | None = None):
        self.records = records
        # the index's own jieba instance: the same question is cut the same way in any process
        self.tokenizer = tokenizer or plain_tokenizer()
        self.docs = {d["doc_id"]: d for d in records.documents()}
        raw = {d: records.document_text(d) or "" for d in self.docs}
        self.texts = DocTexts(raw)
        self.tables = records.tables()
        self.indicators: list[RowRef] = []
        self.projects: list[RowRef] = []
        self.summaries: list[RowRef] = []
        for t in self.tables:
            self.indicators += [RowRef(r, t) for r in t.indicators]
            self.projects += [RowRef(r, t) for r in t.projects]
            srefs = [RowRef(r, t) for r in t.summary]
            self.summaries += srefs
            self.indicators += year_table_facts(t, srefs)
        self.chunk_list = records.chunks()
        self.idf: Callable[[str], float] | None = None  # bigram rarity, set by the Assistant
        self.chunk_by_id = {c.id: c for c in self.chunk_list}
        self.row_chunks = [c for c in self.chunk_list if c.kind == "table_row"]
        self._row_chunk_index: dict[tuple[str, str, str], Chunk] | None = None
        self._chunk_forms: LRUCache[str, str] = LRUCache(CHUNK_FORM_CACHE)
        # text chunks per document, in index order: several answers walk one document's text
        self._text_chunks: dict[str | None, list[Chunk]] = {None: []}
        for c in self.chunk_list:
            if c.kind == "text":
                self._text_chunks[None].append(c)
                self._text_chunks.setdefault(c.doc_id, []).append(c)
        self._sections: dict[str, list[Section]] = {}
        # what each document is (place, report year, period); empty profiles for old indexes
        self.profiles = {d: records.profile(d) if hasattr(records, "profile") else None for d in self.docs}
        # prose facts (ingest FactRecord) and the `fact` chunks that hold them, for facts-first answers
        self.facts = records.facts() if hasattr(records, "facts") else []
        self._fact_chunks: dict[str, list[Chunk]] = {}
        for c in self.chunk_list:
            if c.kind == "fact":
                self._fact_chunks.setdefault(c.doc_id, []).append(c)
        park_names = [r.row.park for r in self.projects if r.row.park]
        park_names += [r.row.label for r in self.summaries if _parkish(r.row.label)]
        self.vocab = Vocabulary(
            # a document is named by its title and by the place and issuer its profile found
            documents=[{**d, "title": " ".join(dict.fromkeys(
                x for x in (d.get("title"), *(_profile_value(self.profiles.get(k), f)
                                              for f in ("title", "place", "issuer"))) if x)),
                        "place": _profile_value(self.profiles.get(k), "place")}
                       for k, d in self.docs.items()],
            texts=raw,
            park_names=park_names,
            indicator_names=[r.row.name for r in self.indicators],
            project_names=[r.row.name for r in self.projects],
            categories=[r.row.category for r in self.projects if r.row.category],
            tokenizer=self.tokenizer,
        )

    def fact_chunk(self, fact: Any) -> Chunk | None:
        """The `fact` chunk whose span holds a fact record's start offset."""
        for c in self._fact_chunks.get(fact.doc_id, []):
            if c.start <= fact.start < max(c.end, c.start + 1):
                return c
        return None

    def sections(self, doc_id: str) -> list[Section]:
        """The section tree of a document in reading order (loaded once)."""
        got = self._sections.get(doc_id)
        if got is None:
            got = self._sections[doc_id] = list(self.records.sections(doc_id))
        return got

    def park_of(self, ref: RowRef) -> Any:
        """The park group of a project row; a row whose park cell did not parse is placed by the
        park name its text contains."""
        g = self.vocab.park_group(ref.row.park)
        if g is None and not ref.row.park:
            found = self.vocab.parks_in(match_form(ref.row.text))
            g = found[0][0] if found else None
        return g

    def title(self, doc_id: str) -> str:
        d = self.docs.get(doc_id) or {}
        return d.get("title") or doc_id

    # -- citations ---------------------------------------------------------------------------
    def row_chunk(self, ref: RowRef) -> Chunk | None:
        """The table_row chunk a parsed row was rendered into (by table + row name in chunk meta)."""
        if self._row_chunk_index is None:
            idx: dict[tuple[str, str, str], Chunk] = {}
            for c in self.row_chunks:
                name = c.meta.get("name") or c.meta.get("label")
                table = c.meta.get("table")
                if name and table:
                    idx.setdefault((c.doc_id, match_form(table), match_form(str(name))), c)
            self._row_chunk_index = idx
        r = ref.row
        name = getattr(r, "name", None) or getattr(r, "label", "")
        hit = self._row_chunk_index.get((r.doc_id, match_form(ref.table.title), match_form(name)))
        if hit is not None:
            return hit
        key = match_form(name)
        title = match_form(ref.table.title)[:6]
        for c in self.row_chunks:
            if c.doc_id == r.doc_id and key and key in self._form_of(c) and title in self._form_of(c):
                return c
        return None

    def text_chunks(self, doc_id: str | None = None) -> list[Chunk]:
        return list(self._text_chunks.get(doc_id, ()))

    def form_of(self, c: Chunk) -> str:
        return self._form_of(c)

    def _form_of(self, c: Chunk) -> str:
        f = self._chunk_forms.get(c.id)
        if f is None:
            f = self._chunk_forms[c.id] = match_form(c.text)
        return f

    def row_evidence(self, ref: RowRef, must: str | None = None) -> Evidence:
        """Evidence for a row: its verbatim source text, page, section and chunk.

        When the row is not printed in one piece, the verbatim piece holding `must` (a cell value)
        or else the longest piece is quoted."""
        r = ref.row
        doc = self.texts.get(r.doc_id)
        chunk = self.row_chunk(ref)
        quote = None
        near = doc.form_index(_offset_hint(chunk)) if doc is not None else None
        if doc is not None:
            quote = doc.verbatim(r.text, near) if r.text else None
            if quote is None and r.text:
                pieces = doc.segments(r.text, near)
                form_len = len(match_form(r.text))
                if must:
                    pieces = [p for p in pieces if re.search(
                        rf"(?<![\d.]){re.escape(match_form(must))}(?![\d.])", p)] or pieces
                best = max(pieces, key=len, default=None)
                if best and (must or len(match_form(best)) >= form_len / 2):
                    quote = best
            label = getattr(r, "label", None)
            if quote is not None and label and match_form(label) not in match_form(quote):
                # a statistics row printed in two halves repeats its label before the second half
                quote = doc.verbatim(f"{label} {quote}", near) or quote
            if quote is None:
                quote = doc.window(_row_parts(r), near=near)
        if quote is None:
            quote = r.text or (chunk.text if chunk else "")
        section = r.section or ref.table.section or (chunk.section if chunk else "")
        qf = match_form(quote)
        cells = tuple(v for v in (getattr(r, "values", None) or {}).values()
                      if v and re.search(r"\d", v) and match_form(v) in qf)
        return Evidence(r.doc_id, self.title(r.doc_id), section, r.page, quote, chunk.id if chunk else None,
                        cells)

    def table_line_evidence(self, table: Table, must: list[str], page: int | None = None) -> Evidence | None:
        """Evidence quoting one line of a table's raw text that contains every string in `must`
        (the year header of an indicator table, the 总计 line of a project list)."""
        doc = self.texts.get(table.doc_id)
        lines = (table.text or "").split("\n")
        # a heading and its count may wrap onto the next line: 一 公共基础设施 / （53个）
        candidates = lines + [f"{a}\n{b}" for a, b in zip(lines, lines[1:], strict=False)]
        for line in candidates:
            lf = match_form(line)
            if all(match_form(m) in lf for m in must):
                quote = doc.verbatim(line) if doc else None
                if quote:
                    return Evidence(table.doc_id, self.title(table.doc_id), table.section or table.title,
                                    page or table.page_start, quote, self._table_chunk_id(table))
        return None

    def _table_chunk_id(self, table: Table) -> str | None:
        key = match_form(table.title)
        for c in self.row_chunks:
            if c.doc_id == table.doc_id and match_form(c.meta.get("table") or "") == key:
                return c.id
        return None

    def chunk_evidence(self, chunk: Chunk, sentence: str) -> Evidence | None:
        doc = self.texts.get(chunk.doc_id)
        quote = doc.verbatim(sentence, doc.form_index(_offset_hint(chunk))) if doc else None
        if quote is None:
            return None
        return Evidence(chunk.doc_id, chunk.doc_title or self.title(chunk.doc_id), chunk.section,
                        _page_of(chunk, doc, sentence), quote, chunk.id)


def _offset_hint(chunk: Chunk | None) -> int | None:
    """Original-text offset of a chunk, to pick the right one among repeated strings."""
    return None if chunk is None or not chunk.end else chunk.start


def _page_of(chunk: Chunk, doc: DocText | None, sentence: str) -> int:
    """The page a sentence starts on: chunk pages are a range; pick by position when they differ."""
    if chunk.page_start == chunk.page_end or not chunk.text:
        return chunk.page_start
    i = match_form(chunk.text).find(match_form(sentence)[:20])
    if i < 0:
        return chunk.page_start
    frac = i / max(1, len(match_form(chunk.text)))
    return chunk.page_start + int(frac * (chunk.page_end - chunk.page_start + 1))


def _row_parts(r: Any) -> list[str]:
    parts: list[str] = []
    if isinstance(r, ProjectRow):
        name = r.name
        parts.append(name[:6])
        if r.investment_wan is not None:
            parts.append(fmt_number(r.investment_wan))
    elif isinstance(r, IndicatorRow):
        parts.append(r.name[:6])
        parts += [v for v in r.values.values() if v][:3]
    elif isinstance(r, SummaryRow):
        parts.append(r.label)
        parts += [v for v in r.cells.values() if v][:3]
    return parts


def _parkish(label: str) -> bool:
    lf = match_form(label)
    return (len(lf) >= 4 and lf.endswith(("区", "园", "园区")) and "合计" not in lf
            and not lf.startswith(("(", "（")) and not re.search(r"重点园区|示范园区", lf))
