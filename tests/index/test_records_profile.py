"""The structured store keeps a document's profile and its prose fact records (migration 3)."""

from __future__ import annotations

import sqlite3

from index.records import MIGRATIONS, RecordStore
from ingest.model import Document, DocumentProfile, FactRecord, ProfileField


def _doc() -> Document:
    prof = DocumentProfile(title=ProfileField("某省政府工作报告", "某省政府工作报告"),
                           report_year=ProfileField("2031", "二、2031年主要目标"))
    fact = FactRecord(doc_id="d", measure="地区生产总值增长", value="5", unit="%", qualifier="左右", year="2031",
                      year_source="heading", kind="target", place="某省", section="二、2031年主要目标", page=3,
                      quote="地区生产总值增长5%左右", start=10, end=22)
    return Document(doc_id="d", title="某省政府工作报告", source="d.txt", sha256="0", text="x" * 30, pages=3,
                    profile=prof, facts=[fact])


def test_profile_and_facts_round_trip(tmp_path):
    store = RecordStore(tmp_path / "r.sqlite")
    store.add_document(_doc())
    assert store.profile("d").report_year == ProfileField("2031", "二、2031年主要目标")
    assert store.profile("missing") == DocumentProfile()
    facts = store.facts("d")
    assert facts == _doc().facts and store.facts() == facts
    store.remove_document("d")
    assert store.facts() == []


def test_an_index_built_before_profiles_still_opens(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for n, script in enumerate(MIGRATIONS[:2], start=1):
        db.executescript(f"BEGIN; {script}; PRAGMA user_version={n}; COMMIT;")
    db.execute("INSERT INTO documents VALUES ('d','t','s','0',1,'text',0,0,0)")
    db.commit()
    db.close()
    store = RecordStore(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.profile("d") == DocumentProfile() and store.facts("d") == []
