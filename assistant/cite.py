"""Citations and the numbers check.

Rules (NUMBERS ARE SACRED):
- A quote is always text copied from Document.text: `DocText.verbatim` finds the candidate in the
  document (whitespace and full/half width aside) and returns the document's own characters.
- Every number on an answer's first line must occur in one of the answer's quotes. A figure the
  system computed (a sum of rows, a count of rows, a unit conversion) is written only inside a bracket
  that starts with `系统计算` — e.g. `（系统计算：附件3逐项合计21个，1200000万元）` — and all rows that
  went into it are cited. Citation markers `[n]` and table names (表4, 附件3) are not figures. `unsupported_numbers` checks a line with those brackets set aside; the
  assistant drops or abstains from any answer whose first line fails it.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.numbers import fold, number_set, numbers_in

COMPUTED = re.compile(r"（系统计算[^（）]*）")
# citation markers [1] and table names (表4, 附件3) are references, not figures
MARKER = re.compile(r"\[\d{1,2}\]|(?:表|附件|附表|专栏|图)\s*\d+")


@dataclass
class Evidence:
    doc_id: str
    doc_title: str
    section: str
    page: int | None
    quote: str
    chunk_id: str | None = None
    # cell values a table parser read out of `quote` where the source runs cells together
    # (`2旅游总收入亿元5015024.6%`): each is a substring of the quote, so a figure from them is quoted
    cells: tuple[str, ...] = ()

    def to_json(self, n: int) -> dict[str, Any]:
        return {"n": n, "doc_id": self.doc_id, "doc_title": self.doc_title, "section": self.section,
                "page": self.page, "quote": self.quote, "chunk_id": self.chunk_id}


@dataclass
class Answer:
    lines: list[str]  # lines[0] is the direct answer (≤ 200 chars)
    evidence: list[Evidence] = field(default_factory=list)
    abstained: bool = False
    mode: str = "structured"
    confidence: float = 1.0
    abstention_score: float | None = None  # the extractive candidate's score (assistant/abstention.py)
    shape: str = ""  # a policy span's cut (assistant/policy.Span.shape); "" for other answers

    @property
    def text(self) -> str:
        return "\n".join(x for x in self.lines if x is not None)


def _fold_table(text: str) -> dict[int, str]:
    """`str.translate` table for the characters of `text` that the matching form does not keep as
    they are: whitespace (dropped) and characters `fold` changes (their fold without whitespace; a
    single character never forms a 二〇二五年 year, so folding it alone is folding it in place)."""
    table = {}
    for ch in set(text):
        f = "" if ch.isspace() else fold(ch)
        if f != ch:
            table[ord(ch)] = "".join(c for c in f if not c.isspace())
    return table


class DocText:
    """A document's text with a whitespace-free, width-folded copy mapped back to the original."""

    def __init__(self, text: str):
        self.text = text

    @functools.cached_property
    def _mapped(self) -> tuple[str, array]:
        # built on first use (a caller may only want `text`). Most characters fold to themselves;
        # whitespace and the few that fold to something else (a table of the text's distinct
        # characters) are replaced in one `str.translate`, and each output character's offset is its
        # source character's, repeated as often as that character's replacement is long (a Python
        # loop over every character cost ~11 ms a document at 100×).
        text = self.text
        table = _fold_table(text)
        pos = array("i")  # 4 bytes per character (a list of ints costs ~36)
        if not table:
            pos.frombytes(np.arange(len(text), dtype=np.int32).tobytes())
            return text, pos
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        keys = np.array(sorted(table), dtype=np.uint32)
        lengths = np.array([len(table[k]) for k in keys.tolist()], dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
        counts = np.where(keys[at] == codes, lengths[at], 1)
        pos.frombytes(np.repeat(np.arange(len(text), dtype=np.int32), counts).tobytes())
        return text.translate(table), pos

    @property
    def form(self) -> str:
        """The text folded (full width → half width) with all whitespace removed."""
        return self._mapped[0]

    @property
    def pos(self) -> array:
        """pos[i]: the offset in `text` of form[i]."""
        return self._mapped[1]

    def form_index(self, offset: int | None) -> int | None:
        """Index into `form` of the first visible character at or after an original offset."""
        return None if offset is None else bisect.bisect_left(self.pos, offset)

    @staticmethod
    def _form(s: str) -> str:
        return "".join(c for c in fold(s) if not c.isspace())

    def slice(self, fs: int, fe: int) -> str:
        """Original text covering form[fs:fe], whitespace runs shown as one space."""
        if fe <= fs:
            return ""
        raw = self.text[self.pos[fs]: self.pos[fe - 1] + 1]
        return re.sub(r"\s+", " ", raw).strip()

    def find(self, candidate: str, near: int | None = None) -> int:
        f = self._form(candidate)
        if not f:
            return -1
        if near is None:
            return self.form.find(f)
        best, bi = -1, None
        start = 0
        while (i := self.form.find(f, start)) >= 0:
            if bi is None or abs(i - near) < bi:
                best, bi = i, abs(i - near)
            start = i + 1
        return best

    def verbatim(self, candidate: str, near: int | None = None) -> str | None:
        """The document's own text for `candidate` if it occurs (whitespace aside), else None."""
        f = self._form(candidate)
        i = self.find(candidate, near)
        return self.slice(i, i + len(f)) if i >= 0 else None

    def segments(self, candidate: str, near: int | None = None, min_len: int = 4) -> list[str]:
        """`candidate` cut into the longest pieces that occur verbatim, in order (a table row the
        PDF printed in two halves comes back as two quotes)."""
        f = self._form(candidate)
        out: list[str] = []
        i = 0
        while i < len(f):
            lo, hi = 0, len(f) - i  # longest prefix of f[i:] present in the document
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if f[i:i + mid] in self.form:
                    lo = mid
                else:
                    hi = mid - 1
            if lo >= min_len:
                piece = self.verbatim(f[i:i + lo], near)
                if piece:
                    out.append(piece)
                i += lo
            else:
                i += 1
        return out

    def window(self, parts: list[str], span: int = 600, near: int | None = None) -> str | None:
        """The shortest verbatim stretch starting at parts[0] that contains every other part.

        Used for table rows whose cells the PDF wrapped across lines, so that the rendered row
        is not itself a substring of the text."""
        head = self._form(parts[0])
        rest = [self._form(p) for p in parts[1:] if self._form(p)]
        if not head:
            return None
        starts = []
        start = 0
        while (i := self.form.find(head, start)) >= 0:
            starts.append(i)
            start = i + 1
        if near is not None:
            starts.sort(key=lambda i: abs(i - near))
        for i in starts:
            end = i + len(head)
            ok = True
            for r in rest:
                j = self.form.find(r, i, i + span)
                if j < 0:
                    ok = False
                    break
                end = max(end, j + len(r))
            if ok:
                return self.slice(i, end)
        return None


def unsupported_numbers(line: str, quotes: list[str], cells: list[str] | None = None) -> list[str]:
    """Numbers printed on `line` (outside 系统计算 brackets) that no quote contains (nor a cell value
    a table parser read out of a quote whose cells run together, see `Evidence.cells`)."""
    body = MARKER.sub("", COMPUTED.sub("", line))
    have = number_set(quotes) | number_set(cells or [])
    return [n for n in numbers_in(body) if n not in have]


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


# ---- citation labels -------------------------------------------------------------------------

# Formats whose loader knows real pages; any other document counts as paged only when its text
# had page breaks (more than one page), so a DOCX, an HTML page or a plain text without breaks
# is never cited as 「第1页」.
PAGED_SUFFIXES = (".pdf",)
ROW_NAME_CHARS = 16  # a row's name in its label is cut to this many characters


def citation_labels(cites: list[dict[str, Any]], records: Any = None, reuse: bool = True) -> list[str]:
    """A readable label per citation, `[n] 标题 › 章节路径 · 第12页`, no two alike (without the [n]):
    a document without page information cites its paragraph (第3段) instead of a page, a table row
    adds its row (第5行「名称」), and citations that would still read the same get their paragraph.
    Citations of an answer already carry their `label` (`locate_citations`, computed over the same
    list): with `reuse` those are taken instead of reading the documents again."""
    if reuse and cites and all(c.get("label") for c in cites):
        return [f"[{c.get('n')}] {c['label']}" for c in cites]
    locs = [_Locator(c, records) for c in cites]
    labels = [loc.label() for loc in locs]
    for dup in _duplicates(labels):
        for i in dup:
            locs[i].with_paragraph = True
        labels = [loc.label() for loc in locs]
    for dup in _duplicates(labels):  # same paragraph, different quotes: the quote's opening words
        for i in dup:
            locs[i].with_quote = True
        labels = [loc.label() for loc in locs]
    return [f"[{c.get('n')}] {label}" for c, label in zip(cites, labels, strict=True)]


def locate_citations(cites: list[dict[str, Any]], records: Any) -> list[dict[str, Any]]:
    """Answer-JSON citations with where a reader finds them: `label` (section path, then page, table
    row or paragraph, as the chat shows it) and `page` = None for a document without pages, so no
    client prints 「第1页」 for a DOCX, an HTML page or a plain text without page breaks."""
    for c, label in zip(cites, citation_labels(cites, records, reuse=False), strict=True):
        c["label"] = label.split("] ", 1)[-1]
        if records is not None and not _has_pages(records, c):
            c["page"] = None
    return cites


def _duplicates(labels: list[str]) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


class _Locator:
    """Where one citation points: document, section, page or paragraph, table row."""

    def __init__(self, c: dict[str, Any], records: Any):
        self.c = c
        self.records = records
        self.chunk = _safe(lambda: records.chunk(c["chunk_id"])) if records is not None and c.get("chunk_id") else None
        self.paged = _has_pages(records, c)
        self.with_paragraph = not self.paged
        self.with_quote = False

    def label(self) -> str:
        c = self.c
        parts = [f"{c.get('doc_title') or c.get('doc_id') or ''} › {c.get('section') or '—'}"]
        if self.paged and c.get("page"):
            parts.append(f"第{c['page']}页")
        row = self._row()
        if row:
            parts.append(row)
        elif self.with_paragraph:
            n = self._paragraph()
            if n:
                parts.append(f"第{n}段")
        if self.with_quote:
            q = re.sub(r"\s+", " ", c.get("quote") or "").strip()
            parts.append(f"「{q[:ROW_NAME_CHARS]}{'…' if len(q) > ROW_NAME_CHARS else ''}」")
        return " · ".join(parts)

    def _row(self) -> str | None:
        ch = self.chunk
        if ch is None or ch.kind != "table_row" or ch.meta.get("row") is None:
            return None
        name = str(ch.meta.get("name") or ch.meta.get("label") or "")
        short = name[:ROW_NAME_CHARS] + ("…" if len(name) > ROW_NAME_CHARS else "")
        return f"第{int(ch.meta['row']) + 1}行" + (f"「{short}」" if short else "")

    def _paragraph(self) -> int | None:
        """1-based paragraph of the quote inside its section (the heading line is not counted)."""
        if self.records is None:
            return None
        doc_id = self.c.get("doc_id") or ""
        text = _safe(lambda: self.records.document_text(doc_id)) or ""
        pos = _quote_offset(text, self.c.get("quote") or "", self.chunk.start if self.chunk else None)
        if pos is None:
            return None
        sections = _safe(lambda: self.records.sections(doc_id)) or []
        inside = [s for s in sections if s.start <= pos < s.end]
        named = [s for s in inside if s.path == self.c.get("section")]
        sec = (named or sorted(inside, key=lambda s: s.level))[-1] if inside else None
        if sec is None:
            return text.count("\n", 0, pos) + 1
        line_end = text.find("\n", sec.start, sec.end)
        head = text[sec.start: line_end if line_end >= 0 else sec.end]
        # a run-in heading (「1. 食品工业。加快……」) shares its line with the first paragraph
        run_in = len(re.sub(r"\s+", "", head)) > len(re.sub(r"\s+", "", sec.marker + sec.title)) + 2
        return max(text.count("\n", sec.start, pos) + (1 if run_in else 0), 1)


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:  # a label is a courtesy: a store without some record must not break an answer
        return None


def has_pages(info: dict[str, Any]) -> bool:
    """Whether a document (a RecordStore.documents() row) has real pages to cite."""
    source = str(info.get("source") or "").lower()
    return source.endswith(PAGED_SUFFIXES) or int(info.get("pages") or 0) > 1


def paged_doc_ids(records: Any) -> set[str]:
    """Doc ids of the indexed documents that have pages (see has_pages)."""
    return {d["doc_id"] for d in records.documents() if has_pages(d)}


def _has_pages(records: Any, c: dict[str, Any]) -> bool:
    info = _safe(lambda: records.document(c.get("doc_id"))) if records is not None else None
    if not info:
        return bool(c.get("page"))
    return has_pages(info)


def _quote_offset(text: str, quote: str, near: int | None) -> int | None:
    """Offset of `quote` in the document text, whitespace aside, the occurrence nearest `near`."""
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", quote)[:60]]
    if not chars or not text:
        return None
    starts = [m.start() for m in re.finditer(r"\s*".join(chars), text)]
    if not starts:
        return None
    return min(starts, key=lambda i: abs(i - near)) if near is not None else starts[0]
