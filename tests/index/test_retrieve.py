"""Reciprocal-rank fusion and metadata filters."""

from __future__ import annotations

import json

import pytest

from index.retrieve import ChunkFilter, rrf


def test_a_chunk_found_by_both_retrievers_outranks_one_found_by_either():
    fused = rrf(["a", "b", "c"], ["c", "d", "a"], k=60, w_dense=1.0, w_bm25=1.0)
    ids = [f[0] for f in fused]
    assert ids[0] == "a" and ids.index("c") < ids.index("b")
    a = fused[0]
    assert a[2] == 1 and a[3] == 3 and a[1] == pytest.approx(1 / 61 + 1 / 63)


def test_weights_shift_the_balance_between_retrievers():
    ids = [f[0] for f in rrf(["x"], ["y"], w_dense=1.0, w_bm25=2.0)]
    assert ids == ["y", "x"]


def _rows():
    return [
        ("a1", "doc-a", "text", json.dumps({}), "到2025年工业总产值达到300亿元"),
        ("a2", "doc-a", "table_row", json.dumps({"park": "花园口经济区", "start_year": 2021, "end_year": 2023}),
         "风电整机项目"),
        ("b1", "doc-b", "table_row", json.dumps({"park": "大连金普新区", "start_year": 2019}), "金州互通立交"),
    ]


def test_filters_select_by_doc_kind_park_and_year():
    f = ChunkFilter(["a1", "a2", "b1"], _rows())
    sel = lambda flt: [i for i, ok in zip(f.ids, f.mask(flt), strict=True) if ok]  # noqa: E731
    assert sel({"doc_id": "doc-a"}) == ["a1", "a2"]
    assert sel({"kind": "table_row"}) == ["a2", "b1"]
    assert sel({"park": "花园口"}) == ["a2"]
    assert sel({"year": 2022}) == ["a2"]  # inside the project's 2021-2023 period
    assert sel({"year": "2025"}) == ["a1"]  # mentioned in the text
    assert sel({"doc_id": "doc-b", "park": "金普新区"}) == ["b1"]
    assert f.mask(None) is None


def test_unknown_filter_is_rejected():
    f = ChunkFilter(["a1"], _rows()[:1])
    with pytest.raises(ValueError, match="unknown filter"):
        f.mask({"colour": "red"})


def test_the_default_weights_let_bm25_lead_and_dense_break_ties():
    # BM25 is far stronger on these documents (bench), so its order wins over dense's
    ids = [f[0] for f in rrf(["x", "y"], ["y", "x"])]
    assert ids == ["y", "x"]
    # a chunk only dense found still comes back, after BM25's
    assert [f[0] for f in rrf(["z"], ["y"])] == ["y", "z"]
