"""The structured store's schema: numbered migrations applied in order.

`PRAGMA user_version` holds the number of the last migration applied (index/records.py runs them on
open), so an index built by an older planqa keeps opening. A schema change is a new entry at the
end, never an edit of an old one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, sha256 TEXT NOT NULL,
        pages INTEGER NOT NULL, text TEXT NOT NULL,
        n_sections INTEGER NOT NULL, n_chunks INTEGER NOT NULL, n_tables INTEGER NOT NULL);
    CREATE TABLE sections (
        id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ord INTEGER NOT NULL, level INTEGER NOT NULL,
        marker TEXT NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL, page INTEGER NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, parent_id TEXT);
    CREATE INDEX sections_doc ON sections(doc_id, ord);
    CREATE TABLE chunks (
        id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ord INTEGER NOT NULL, doc_title TEXT NOT NULL,
        text TEXT NOT NULL, kind TEXT NOT NULL, section TEXT NOT NULL,
        page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, meta TEXT NOT NULL);
    CREATE INDEX chunks_doc ON chunks(doc_id, ord);
    CREATE INDEX chunks_kind ON chunks(kind);
    CREATE TABLE tables (
        id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, ord INTEGER NOT NULL, title TEXT NOT NULL,
        kind TEXT NOT NULL, page_start INTEGER NOT NULL, page_end INTEGER NOT NULL,
        section TEXT NOT NULL, text TEXT NOT NULL, stated_total TEXT NOT NULL);
    CREATE INDEX tables_doc ON tables(doc_id, ord);
    CREATE TABLE indicator_rows (
        id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), doc_id TEXT NOT NULL,
        ord INTEGER NOT NULL, "table" TEXT NOT NULL, grp TEXT, name TEXT NOT NULL, unit TEXT,
        "values" TEXT NOT NULL, nature TEXT, page INTEGER NOT NULL, section TEXT NOT NULL,
        text TEXT NOT NULL);
    CREATE INDEX indicator_doc ON indicator_rows(doc_id, table_id, ord);
    CREATE INDEX indicator_name ON indicator_rows(name);
    CREATE TABLE project_rows (
        id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), doc_id TEXT NOT NULL,
        ord INTEGER NOT NULL, "table" TEXT NOT NULL, category TEXT, seq INTEGER, name TEXT NOT NULL,
        park TEXT, content TEXT, period TEXT, start_year INTEGER, end_year INTEGER,
        investment_wan REAL, progress TEXT, page INTEGER NOT NULL, section TEXT NOT NULL,
        text TEXT NOT NULL);
    CREATE INDEX project_doc ON project_rows(doc_id, table_id, ord);
    CREATE INDEX project_park ON project_rows(park);
    CREATE INDEX project_category ON project_rows(category);
    CREATE INDEX project_start ON project_rows(start_year);
    CREATE INDEX project_name ON project_rows(name);
    CREATE TABLE summary_rows (
        id INTEGER PRIMARY KEY, table_id INTEGER NOT NULL REFERENCES tables(id), doc_id TEXT NOT NULL,
        ord INTEGER NOT NULL, "table" TEXT NOT NULL, label TEXT NOT NULL, cells TEXT NOT NULL,
        page INTEGER NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL);
    CREATE INDEX summary_doc ON summary_rows(doc_id, table_id, ord);
    CREATE INDEX summary_table ON summary_rows("table");
    """,
    # 2: project columns without a field of their own (备注, 责任单位, a second investment column)
    """
    ALTER TABLE project_rows ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
    """,
    # 3: the document profile (JSON of DocumentProfile.as_dict) and targets/figures stated in prose
    """
    ALTER TABLE documents ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE fact_records (
        id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, ord INTEGER NOT NULL, measure TEXT NOT NULL,
        value TEXT NOT NULL, unit TEXT, qualifier TEXT, year TEXT, year_source TEXT NOT NULL,
        kind TEXT NOT NULL, place TEXT, section TEXT NOT NULL, page INTEGER NOT NULL,
        quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL);
    CREATE INDEX fact_doc ON fact_records(doc_id, ord);
    CREATE INDEX fact_measure ON fact_records(measure);
    """,
    # 4: per-document data derived at ingest for query time (index/derived.py) and the embeddings
    # of the prose facts' contexts (index/factvectors.py), so no question computes either
    """
    CREATE TABLE derived (
        doc_id TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (doc_id, name));
    CREATE TABLE fact_vectors (
        doc_id TEXT NOT NULL, sha1 TEXT NOT NULL, vec BLOB NOT NULL, PRIMARY KEY (doc_id, sha1));
    CREATE INDEX fact_vectors_sha1 ON fact_vectors(sha1);
    """,
]
