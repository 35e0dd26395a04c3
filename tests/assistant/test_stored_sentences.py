"""The policy span scorer's sentence statistics are computed at ingest and stored in the index:
what a question reads back equals what it would have built, and an index without them still answers."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest

from assistant.docsentences import SENTENCES, DocSentences, doc_sentences, sentences_version
from index.store import Index


def _same(a: DocSentences, b: DocSentences) -> None:
    assert a.doc_id == b.doc_id and a.text == b.text
    assert a.units == b.units and a.forms == b.forms and a.pairs == b.pairs and a.df == b.df
    assert np.array_equal(a.lengths, b.lengths) and np.array_equal(a.heading, b.heading)
    assert set(a.postings) == set(b.postings)
    assert all(np.array_equal(a.postings[t], ix) for t, ix in b.postings.items())
    assert a.postings.get("不在文中的词") is None and all(a.idf(t) == b.idf(t) for t in list(b.df)[:200])


def test_stored_sentences_equal_a_query_time_build_of_every_bundled_document(bundled_index):
    records = bundled_index.records
    for doc_id in bundled_index.manifest["doc_ids"]:
        blob = records.derived(doc_id, SENTENCES, sentences_version())
        assert blob is not None, f"ingest stored no sentences for {doc_id}"
        text = records.document_text(doc_id)
        _same(DocSentences.decode(doc_id, text, blob), DocSentences.build(doc_id, text))


def test_rows_of_other_sentence_code_are_not_read(bundled_index):
    doc_id = bundled_index.manifest["doc_ids"][0]
    assert bundled_index.records.derived(doc_id, SENTENCES, "another-version") is None


@pytest.fixture
def index_without_stored_sentences(bundled_index_dir, tmp_path):
    """A copy of the bundled index as an older planqa wrote it: records schema 3, no derived data."""
    old = tmp_path / "index"
    shutil.copytree(bundled_index_dir, old)
    db = sqlite3.connect(old / "records.sqlite")
    db.executescript("DROP TABLE derived; DROP TABLE fact_vectors; PRAGMA user_version=3;")
    db.close()
    return Index.open(old)


def test_an_index_without_stored_sentences_builds_them_and_answers_the_same(bundled_index,
                                                                             index_without_stored_sentences):
    from assistant.assistant import Assistant

    old = index_without_stored_sentences
    assert old.records.derived(old.manifest["doc_ids"][0], SENTENCES, sentences_version()) is None
    for doc_id in old.manifest["doc_ids"]:
        _same(doc_sentences(old, doc_id), doc_sentences(bundled_index, doc_id))
    question = "如何推进海洋牧场建设？"
    assert Assistant(old).ask(question)["answer"] == Assistant(bundled_index).ask(question)["answer"]
