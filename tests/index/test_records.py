"""The structured store: documents, sections, chunks and table rows round-trip through SQLite."""

from __future__ import annotations

import sqlite3

from index.records import MIGRATIONS, RecordStore
from ingest.model import Chunk, Document, IndicatorRow, ProjectRow, Section, SummaryRow, Table


def _doc() -> Document:
    projects = [
        ProjectRow("d", "附件1 重点项目库", "公共基础设施", 1, "滨海大道改造工程", "花园口经济区", "道路拓宽",
                   "2020-2022", 2020, 2022, 45000.0, "已开工", 7, "附件1", "1 滨海大道改造工程 花园口经济区"),
        ProjectRow("d", "附件1 重点项目库", "创业创新能力", 2, "风电整机项目", "庄河经济开发区", None,
                   "2021", 2021, 2021, None, None, 8, "附件1", "2 风电整机项目"),
    ]
    indicators = [IndicatorRow("d", "表1 指标表", "经济总量", "规上工业总产值", "亿元", {"2020": "150", "2025": "300"},
                               "预期性", 3, "二、目标", "规上工业总产值 亿元 150 300 预期性")]
    summary = [SummaryRow("d", "表2 项目汇总", "合计", {"个数": "2", "金额": "45000"}, 9, "三、项目", "合计 2 45000")]
    tables = [
        Table("d", "附件1 重点项目库", "project", 7, 8, "附件1", "…", {"count": 2}, projects=projects),
        Table("d", "表1 指标表", "indicator", 3, 3, "二、目标", "…", indicators=indicators),
        Table("d", "表2 项目汇总", "summary", 9, 9, "三、项目", "…", summary=summary),
    ]
    sections = [Section("d#s0", "d", 1, "一、", "总体要求", "一、总体要求", 1, 0, 10),
                Section("d#s1", "d", 2, "（一）", "目标", "一、总体要求 > （一）目标", 1, 10, 20, "d#s0")]
    chunks = [Chunk("d:text:abc:0", "d", "测试规划", "到2025年达到300亿元。", "text", "一、总体要求", 1, 1, 0, 12),
              Chunk("d:table_row:def:0", "d", "测试规划", "附件1 | 滨海大道改造工程", "table_row", "附件1", 7, 7,
                    meta={"park": "花园口经济区", "start_year": 2020})]
    return Document("d", "测试规划", "/tmp/d.txt", "abc123", "全文", 9, sections=sections, tables=tables, chunks=chunks)


def test_a_document_round_trips_with_its_rows(tmp_path):
    store = RecordStore(tmp_path / "r.sqlite")
    store.add_document(_doc())
    assert store.document("d")["n_chunks"] == 2 and store.document("nope") is None
    assert store.document_text("d") == "全文"
    assert [s.path for s in store.sections("d")] == ["一、总体要求", "一、总体要求 > （一）目标"]
    assert store.sections("d")[1].parent_id == "d#s0"
    tables = store.tables("d")
    assert [t.kind for t in tables] == ["project", "indicator", "summary"]
    assert tables[0].stated_total == {"count": 2} and len(tables[0].projects) == 2
    assert store.indicators()[0].values == {"2020": "150", "2025": "300"}
    assert store.summary_rows(table="表2 项目汇总")[0].cells["金额"] == "45000"
    assert store.chunk("d:table_row:def:0").meta["park"] == "花园口经济区"
    assert [c.kind for c in store.chunks("d")] == ["text", "table_row"]
    assert [c.id for c in store.chunks(kind="text")] == ["d:text:abc:0"]


def test_projects_are_looked_up_by_park_category_and_start_year(tmp_path):
    store = RecordStore(tmp_path / "r.sqlite")
    store.add_document(_doc())
    assert [p.name for p in store.projects(park="花园口经济区")] == ["滨海大道改造工程"]
    assert [p.name for p in store.projects(category="创业创新能力")] == ["风电整机项目"]
    assert [p.name for p in store.projects(start_year=2021)] == ["风电整机项目"]
    assert store.projects(doc_id="other") == []


def test_re_adding_a_document_replaces_it_and_removal_clears_every_table(tmp_path):
    store = RecordStore(tmp_path / "r.sqlite")
    store.add_document(_doc())
    store.add_document(_doc())
    assert len(store.projects()) == 2 and len(store.chunks()) == 2
    assert store.remove_document("d") is True
    assert not store.documents() and not store.tables() and not store.chunks() and not store.projects()
    assert store.remove_document("d") is False


def test_schema_version_follows_the_migrations(tmp_path):
    RecordStore(tmp_path / "r.sqlite").close()
    version = sqlite3.connect(tmp_path / "r.sqlite").execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS)
    assert RecordStore(tmp_path / "r.sqlite").schema_version == len(MIGRATIONS)  # reopening is a no-op


def test_domain_words_come_from_parks_names_and_headings(tmp_path):
    store = RecordStore(tmp_path / "r.sqlite")
    store.add_document(_doc())
    words = set(store.domain_words())
    assert {"花园口经济区", "滨海大道改造工程", "规上工业总产值", "总体要求"} <= words
