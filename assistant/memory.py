"""An in-memory stand-in for the index over a few parsed Documents.

Lets the assistant answer over documents a test (or a one-off script) builds itself, without
building a FAISS/SQLite index: the same record methods as index.records.RecordStore and a
lexical search (character-bigram overlap) with the Index.search signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.numbers import match_form
from ingest.model import Chunk, Document, DocumentProfile, Section, Table


@dataclass
class MemoryHit:
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


class MemoryRecords:
    def __init__(self, docs: list[Document]):
        self.docs = {d.doc_id: d for d in docs}

    def documents(self) -> list[dict]:
        return [{"doc_id": d.doc_id, "title": d.title, "source": d.source, "pages": d.pages,
                 "n_sections": len(d.sections), "n_chunks": len(d.chunks), "n_tables": len(d.tables)}
                for d in self.docs.values()]

    def document_text(self, doc_id: str) -> str:
        d = self.docs.get(doc_id)
        return d.text if d else ""

    def tables(self, doc_id: str | None = None) -> list[Table]:
        return [t for d in self.docs.values() if doc_id in (None, d.doc_id) for t in d.tables]

    def chunks(self, doc_id: str | None = None, kind: str | None = None) -> list[Chunk]:
        return [c for d in self.docs.values() if doc_id in (None, d.doc_id) for c in d.chunks
                if kind in (None, c.kind)]

    def sections(self, doc_id: str) -> list[Section]:
        d = self.docs.get(doc_id)
        return list(d.sections) if d else []

    def chunk(self, chunk_id: str) -> Chunk | None:
        return next((c for c in self.chunks() if c.id == chunk_id), None)

    def profile(self, doc_id: str) -> DocumentProfile | None:
        """The document's profile (as `RecordStore.profile`), None for an unknown id."""
        d = self.docs.get(doc_id)
        return d.profile if d else None


class MemoryIndex:
    """`records` + `search` over Documents held in memory."""

    def __init__(self, docs: list[Document]):
        self.records = MemoryRecords(docs)
        self._chunks = self.records.chunks()
        self._grams = [_bigrams(match_form(c.text)) for c in self._chunks]

    def search(self, query: str, k: int = 10, filters: dict | None = None, mode: str = "hybrid") -> list[MemoryHit]:
        qg = _bigrams(match_form(query))
        scored = []
        for c, g in zip(self._chunks, self._grams, strict=True):
            if filters and filters.get("doc_id") and c.doc_id != filters["doc_id"]:
                continue
            s = len(qg & g) / (len(qg) or 1)
            if s > 0:
                scored.append(MemoryHit(c, s))
        scored.sort(key=lambda h: -h.score)
        return scored[:k]
