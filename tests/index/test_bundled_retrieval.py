"""Retrieval over the bundled corpus: table rows are findable, filters hold, the dictionary is used."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_the_index_holds_both_bundled_documents_with_table_rows(bundled_index):
    docs = {d["doc_id"] for d in bundled_index.records.documents()}
    assert docs == {"dalian-coastal-transformation-2019", "zhuanghe-industry-tech-14th-fyp-2022"}
    counts = bundled_index.manifest["counts"]
    assert counts["chunks"] == counts["vectors"] == counts["bm25"]
    assert bundled_index.records.chunks(kind="table_row")


def test_every_indicator_row_is_found_by_its_name_and_a_year(bundled_index):
    misses = []
    for row in bundled_index.records.indicators():
        year = sorted(row.values)[-1]
        hits = bundled_index.search(f"{year}年{row.name}是多少", k=5, filters={"doc_id": row.doc_id})
        if not any(h.chunk.kind == "table_row" and row.name in h.chunk.text for h in hits):
            misses.append(row.name)
    assert len(misses) <= 0.05 * len(bundled_index.records.indicators()), misses


def test_project_rows_are_found_by_part_of_their_name(bundled_index):
    projects = bundled_index.records.projects()
    assert projects
    misses = []
    for p in projects[::7]:
        part = p.name[: max(4, len(p.name) // 2)]  # the first half of the name only
        hits = bundled_index.search(f"{part}项目", k=10)
        if not any(p.name in h.chunk.text for h in hits):
            misses.append(p.name)
    assert len(misses) <= 0.1 * len(projects[::7]), misses


def test_filters_restrict_hits_to_one_document_and_park(bundled_index):
    zh = "zhuanghe-industry-tech-14th-fyp-2022"
    hits = bundled_index.search("高新技术企业数量", k=10, filters={"doc_id": zh})
    assert hits and all(h.chunk.doc_id == zh for h in hits)

    park = next(p.park for p in bundled_index.records.projects() if p.park)
    hits = bundled_index.search("项目总投资", k=10, filters={"park": park, "kind": "table_row"})
    assert hits and all(h.chunk.kind == "table_row" for h in hits)
    assert all(park in h.chunk.text or park in str(h.chunk.meta.get("park")) for h in hits)


def test_park_names_found_at_ingest_are_in_the_jieba_dictionary(bundled_index):
    words = set(bundled_index.jieba_words())
    parks = {p.park for p in bundled_index.records.projects() if p.park and 2 <= len(p.park) <= 20}
    assert parks and parks <= words


def test_hybrid_fusion_reports_where_each_hit_came_from(bundled_index):
    hits = bundled_index.search("规模以上工业总产值目标", k=5)
    assert hits and all(h.dense_rank or h.bm25_rank for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.dense_rank is None for h in bundled_index.search("规模以上工业总产值目标", k=5, mode="bm25"))


def test_a_bad_mode_or_filter_is_a_clear_error(bundled_index):
    with pytest.raises(ValueError, match="unknown search mode"):
        bundled_index.search("工业", mode="magic")
    with pytest.raises(ValueError, match="unknown filter"):
        bundled_index.search("工业", filters={"province": "辽宁"})
    assert bundled_index.search("   ") == []


def test_fact_chunks_do_not_compete_with_their_sentences_unless_asked_for(bundled_index):
    facts = bundled_index.records.chunks(kind="fact")
    assert facts
    q = facts[0].text
    assert not any(h.chunk.kind == "fact" for h in bundled_index.search(q, k=10))
    assert not any(h.chunk.kind == "fact" for h in bundled_index.search(q, k=10, filters={"doc_id": facts[0].doc_id}))
    asked = bundled_index.search(q, k=5, filters={"kind": "fact"})
    assert asked and all(h.chunk.kind == "fact" for h in asked)


def test_a_question_is_embedded_once_for_its_search_and_its_fact_matching(bundled_index):
    q = "到2025年规上工业总产值目标是多少？"
    v = bundled_index.query_vector(q)
    assert bundled_index.query_vector(q) is v
    calls = []
    inner = bundled_index.embedder.embed_query
    bundled_index.embedder.embed_query = lambda text: calls.append(text) or inner(text)
    try:
        bundled_index.search(q, k=3)
    finally:
        del bundled_index.embedder.embed_query
    assert calls == []
