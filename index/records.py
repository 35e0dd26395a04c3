"""The structured store: documents, sections, chunks and parsed table rows in SQLite.

Schema changes are numbered migrations applied in order (index/record_schema.py: `PRAGMA
user_version` holds the number of the last one applied), so an index built by an older planqa keeps
opening. `MIGRATIONS` stays importable from here.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from index.record_schema import MIGRATIONS
from ingest.model import (
    Chunk,
    Document,
    DocumentProfile,
    FactRecord,
    IndicatorRow,
    ProjectRow,
    Section,
    SummaryRow,
    Table,
)


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _whole(v: float | None) -> float | int | None:
    """SQLite REAL gives 45000.0 back; records print amounts as the document does (45000)."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


class RecordStore:
    def __init__(self, path: Path | str, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._tables: dict[str, bool] = {}  # table name -> present (see _has)
        self._db.execute("PRAGMA busy_timeout=30000")
        if not readonly:
            self.migrate()

    def migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for n, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self._db.executescript(f"BEGIN; {script}; PRAGMA user_version={n}; COMMIT;")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    # --- writing -------------------------------------------------------------------------------

    def add_document(self, doc: Document) -> None:
        """Insert (or replace) one parsed document with everything derived from it."""
        db = self._db
        with db:
            self._delete(doc.doc_id)
            db.execute(
                "INSERT INTO documents (doc_id, title, source, sha256, pages, text, n_sections, n_chunks,"
                " n_tables, profile) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.title, doc.source, doc.sha256, doc.pages, doc.text,
                 len(doc.sections), len(doc.chunks), len(doc.tables), _json(doc.profile.as_dict())),
            )
            db.executemany(
                "INSERT INTO fact_records (doc_id, ord, measure, value, unit, qualifier, year, year_source,"
                " kind, place, section, page, quote, start, \"end\") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc.doc_id, i, f.measure, f.value, f.unit, f.qualifier, f.year, f.year_source, f.kind,
                  f.place, f.section, f.page, f.quote, f.start, f.end) for i, f in enumerate(doc.facts)],
            )
            db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(s.id, doc.doc_id, i, s.level, s.marker, s.title, s.path, s.page, s.start, s.end, s.parent_id)
                 for i, s in enumerate(doc.sections)],
            )
            db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(c.id, doc.doc_id, i, c.doc_title, c.text, c.kind, c.section, c.page_start, c.page_end,
                  c.start, c.end, _json(c.meta)) for i, c in enumerate(doc.chunks)],
            )
            for t_ord, t in enumerate(doc.tables):
                cur = db.execute(
                    "INSERT INTO tables (doc_id, ord, title, kind, page_start, page_end, section, text,"
                    " stated_total) VALUES (?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, t_ord, t.title, t.kind, t.page_start, t.page_end, t.section, t.text,
                     _json(t.stated_total)),
                )
                tid = cur.lastrowid
                db.executemany(
                    "INSERT INTO indicator_rows (table_id, doc_id, ord, \"table\", grp, name, unit, \"values\","
                    " nature, page, section, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(tid, doc.doc_id, i, r.table, r.group, r.name, r.unit, _json(r.values), r.nature, r.page,
                      r.section, r.text) for i, r in enumerate(t.indicators)],
                )
                db.executemany(
                    "INSERT INTO project_rows (table_id, doc_id, ord, \"table\", category, seq, name, park,"
                    " content, period, start_year, end_year, investment_wan, progress, page, section, text, extra)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(tid, doc.doc_id, i, r.table, r.category, r.seq, r.name, r.park, r.content, r.period,
                      r.start_year, r.end_year, r.investment_wan, r.progress, r.page, r.section, r.text,
                      _json(r.extra))
                     for i, r in enumerate(t.projects)],
                )
                db.executemany(
                    "INSERT INTO summary_rows (table_id, doc_id, ord, \"table\", label, cells, page, section,"
                    " text) VALUES (?,?,?,?,?,?,?,?,?)",
                    [(tid, doc.doc_id, i, r.table, r.label, _json(r.cells), r.page, r.section, r.text)
                     for i, r in enumerate(t.summary)],
                )

    def _delete(self, doc_id: str) -> None:
        for table in ("indicator_rows", "project_rows", "summary_rows", "fact_records", "tables", "chunks",
                      "sections", "documents", *(t for t in ("derived", "fact_vectors") if self._has(t))):
            self._db.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))

    def _has(self, table: str) -> bool:
        """Whether the store has `table` (a read-only store of an older index may lack the newest)."""
        if table not in self._tables:
            self._tables[table] = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None
        return self._tables[table]

    def put_derived(self, doc_id: str, name: str, version: str, data: bytes) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO derived (doc_id, name, version, data) VALUES (?,?,?,?)",
                             (doc_id, name, version, data))

    def derived(self, doc_id: str, name: str, version: str) -> bytes | None:
        """The stored derivation `name` of a document if it is of `version` (else None: derive it)."""
        if not self._has("derived"):
            return None
        row = self._db.execute("SELECT data FROM derived WHERE doc_id=? AND name=? AND version=?",
                               (doc_id, name, version)).fetchone()
        return row[0] if row else None

    def stale_derived(self, name: str, version: str) -> list[str]:
        """Documents without a row of derivation `name` at `version`."""
        if not self._has("derived"):
            return [d["doc_id"] for d in self.documents()]
        rows = self._db.execute(
            "SELECT doc_id FROM documents WHERE doc_id NOT IN"
            " (SELECT doc_id FROM derived WHERE name=? AND version=?) ORDER BY doc_id", (name, version))
        return [r[0] for r in rows]

    def put_fact_vectors(self, doc_id: str, vectors: dict[str, Any]) -> None:
        """Embeddings of a document's fact contexts, keyed by the sha1 of the context text."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO fact_vectors (doc_id, sha1, vec) VALUES (?,?,?)",
                [(doc_id, k, v.astype("float32").tobytes()) for k, v in vectors.items()])

    def fact_vector(self, sha1: str) -> bytes | None:
        """The stored embedding (float32 bytes) of a fact context by its sha1, or None."""
        if not self._has("fact_vectors"):
            return None
        row = self._db.execute("SELECT vec FROM fact_vectors WHERE sha1=? LIMIT 1", (sha1,)).fetchone()
        return row[0] if row else None

    def remove_document(self, doc_id: str) -> bool:
        with self._db:
            existed = self._db.execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
            self._delete(doc_id)
        return existed is not None

    # --- reading -------------------------------------------------------------------------------

    def documents(self) -> list[dict]:
        rows = self._db.execute(
            "SELECT doc_id, title, source, sha256, pages, n_sections, n_chunks, n_tables FROM documents"
            " ORDER BY doc_id"
        )
        return [dict(r) for r in rows]

    def document(self, doc_id: str) -> dict | None:
        row = self._db.execute(
            "SELECT doc_id, title, source, sha256, pages, n_sections, n_chunks, n_tables FROM documents"
            " WHERE doc_id=?", (doc_id,),
        ).fetchone()
        return dict(row) if row else None

    def document_text(self, doc_id: str) -> str:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def profile(self, doc_id: str) -> DocumentProfile:
        """The stored profile of a document (empty fields when unknown or the document is absent)."""
        row = self._db.execute("SELECT profile FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return DocumentProfile.from_dict(json.loads(row[0]) if row else None)

    def facts(self, doc_id: str | None = None) -> list[FactRecord]:
        """Targets and figures stated in prose, in document order."""
        sql, args = self._where({"doc_id": doc_id})
        rows = self._db.execute(f"SELECT * FROM fact_records{sql} ORDER BY doc_id, ord", args)
        return [
            FactRecord(doc_id=r["doc_id"], measure=r["measure"], value=r["value"], unit=r["unit"],
                       qualifier=r["qualifier"], year=r["year"], year_source=r["year_source"], kind=r["kind"],
                       place=r["place"], section=r["section"], page=r["page"], quote=r["quote"],
                       start=r["start"], end=r["end"])
            for r in rows
        ]

    def sections(self, doc_id: str) -> list[Section]:
        rows = self._db.execute("SELECT * FROM sections WHERE doc_id=? ORDER BY ord", (doc_id,))
        return [
            Section(id=r["id"], doc_id=r["doc_id"], level=r["level"], marker=r["marker"], title=r["title"],
                    path=r["path"], page=r["page"], start=r["start"], end=r["end"], parent_id=r["parent_id"])
            for r in rows
        ]

    @staticmethod
    def _chunk(r: sqlite3.Row) -> Chunk:
        return Chunk(id=r["id"], doc_id=r["doc_id"], doc_title=r["doc_title"], text=r["text"], kind=r["kind"],
                     section=r["section"], page_start=r["page_start"], page_end=r["page_end"],
                     start=r["start"], end=r["end"], meta=json.loads(r["meta"]))

    def chunk(self, chunk_id: str) -> Chunk | None:
        row = self._db.execute("SELECT * FROM chunks WHERE id=?", (chunk_id,)).fetchone()
        return self._chunk(row) if row else None

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for r in self._db.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", part):
                out[r["id"]] = self._chunk(r)
        return out

    def chunks(self, doc_id: str | None = None, kind: str | None = None) -> list[Chunk]:
        sql, args = self._where({"doc_id": doc_id, "kind": kind})
        rows = self._db.execute(f"SELECT * FROM chunks{sql} ORDER BY doc_id, ord", args)
        return [self._chunk(r) for r in rows]

    @staticmethod
    def _where(conds: dict[str, Any]) -> tuple[str, list[Any]]:
        parts = [(f'"{k}"=?', v) for k, v in conds.items() if v is not None]
        if not parts:
            return "", []
        return " WHERE " + " AND ".join(p for p, _ in parts), [v for _, v in parts]

    def _indicator_rows(self, where: str, args: list[Any]) -> list[IndicatorRow]:
        rows = self._db.execute(f"SELECT * FROM indicator_rows{where} ORDER BY doc_id, table_id, ord", args)
        return [
            IndicatorRow(doc_id=r["doc_id"], table=r["table"], group=r["grp"], name=r["name"], unit=r["unit"],
                         values=json.loads(r["values"]), nature=r["nature"], page=r["page"],
                         section=r["section"], text=r["text"])
            for r in rows
        ]

    def _project_rows(self, where: str, args: list[Any]) -> list[ProjectRow]:
        rows = self._db.execute(f"SELECT * FROM project_rows{where} ORDER BY doc_id, table_id, ord", args)
        return [
            ProjectRow(doc_id=r["doc_id"], table=r["table"], category=r["category"], seq=r["seq"],
                       name=r["name"], park=r["park"], content=r["content"], period=r["period"],
                       start_year=r["start_year"], end_year=r["end_year"],
                       investment_wan=_whole(r["investment_wan"]), progress=r["progress"], page=r["page"],
                       section=r["section"], text=r["text"], extra=json.loads(r["extra"]))
            for r in rows
        ]

    def _summary_rows(self, where: str, args: list[Any]) -> list[SummaryRow]:
        rows = self._db.execute(f"SELECT * FROM summary_rows{where} ORDER BY doc_id, table_id, ord", args)
        return [
            SummaryRow(doc_id=r["doc_id"], table=r["table"], label=r["label"], cells=json.loads(r["cells"]),
                       page=r["page"], section=r["section"], text=r["text"])
            for r in rows
        ]

    def tables(self, doc_id: str | None = None) -> list[Table]:
        sql, args = self._where({"doc_id": doc_id})
        out = []
        for r in self._db.execute(f"SELECT * FROM tables{sql} ORDER BY doc_id, ord", args).fetchall():
            tid = [r["id"]]
            out.append(Table(
                doc_id=r["doc_id"], title=r["title"], kind=r["kind"], page_start=r["page_start"],
                page_end=r["page_end"], section=r["section"], text=r["text"],
                stated_total=json.loads(r["stated_total"]),
                indicators=self._indicator_rows(" WHERE table_id=?", tid),
                projects=self._project_rows(" WHERE table_id=?", tid),
                summary=self._summary_rows(" WHERE table_id=?", tid),
            ))
        return out

    def projects(self, doc_id: str | None = None, park: str | None = None, category: str | None = None,
                 start_year: int | None = None) -> list[ProjectRow]:
        sql, args = self._where({"doc_id": doc_id, "park": park, "category": category, "start_year": start_year})
        return self._project_rows(sql, args)

    def indicators(self, doc_id: str | None = None) -> list[IndicatorRow]:
        return self._indicator_rows(*self._where({"doc_id": doc_id}))

    def summary_rows(self, doc_id: str | None = None, table: str | None = None) -> list[SummaryRow]:
        return self._summary_rows(*self._where({"doc_id": doc_id, "table": table}))

    def domain_words(self) -> list[str]:
        """Names worth keeping whole in jieba: parks, categories, indicators, projects, headings, tables."""
        queries = [
            "SELECT DISTINCT park FROM project_rows",
            "SELECT DISTINCT category FROM project_rows",
            "SELECT DISTINCT name FROM project_rows",
            "SELECT DISTINCT name FROM indicator_rows",
            "SELECT DISTINCT grp FROM indicator_rows",
            "SELECT DISTINCT label FROM summary_rows",
            "SELECT DISTINCT title FROM sections",
        ]
        words: set[str] = set()
        for q in queries:
            for (w,) in self._db.execute(q):
                if w:
                    words.update(_split_name(w))
        return sorted(words)

    def chunk_filter_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(id, doc_id, kind, meta json, text) of every chunk, for building search filters."""
        return [tuple(r) for r in self._db.execute("SELECT id, doc_id, kind, meta, text FROM chunks")]


def _split_name(name: str) -> list[str]:
    """A name as dictionary words: the whole (if short enough to be a term) plus its 、/ parts."""
    import re

    name = re.sub(r"\s+", "", name)
    parts = [p for p in re.split(r"[、，,/（）()：:；;“”\"]", name) if 2 <= len(p) <= 20]
    if 2 <= len(name) <= 20:
        parts.append(name)
    return parts
