"""The document field: BM25 over whole documents, fused with the chunk ranks, so the passage of the
document that speaks of the question as a whole (its place in the opening lines, the asked detail
in a later passage) comes before a passage of another document that happens to share more words."""

from __future__ import annotations

import numpy as np

from index.retrieve import rrf, with_document_ranks
from index.sparse import DocumentField, SparseIndex
from index.tokens import DEFAULT_MODE, Tokenizer

# a general notice and a city's re-issue of it, which names its city only in its title (the rent
# passage is word for word the same), two more notices of that city on small firms, an unrelated one
RENT = "九、减免中小企业房租。对承租国有资产类经营用房的中小企业，第一季度房租免收，第二季度房租减半。"
NOTICES = {
    "general": ["关于应对疫情支持中小企业渡过难关的若干措施", RENT],
    "qingshi": ["青石市人民政府关于应对疫情支持中小企业渡过难关的若干措施", RENT],
    "qingshi-loans": ["青石市金融支持中小企业复工复产的通知", "对受疫情影响的中小企业不抽贷、不断贷、不压贷。"],
    "qingshi-jobs": ["青石市稳就业支持中小企业的措施", "中小企业不裁员或少裁员的，返还上年度失业保险费的50%。"],
    "transport": [
        "关于做好应急物资运输车辆通行保障工作的通知",
        "各地交通运输部门要保障应急物资运输车辆顺畅通行，不得拦截检疫合格的车辆。",
    ],
}
QUESTION = "青石市对中小企业的房租有什么优惠政策？"


def _chunks() -> tuple[list[str], list[str], list[str]]:
    ids, texts, docs = [], [], []
    for doc, passages in NOTICES.items():
        for i, text in enumerate(passages):
            ids.append(f"{doc}-{i}")
            texts.append(text)
            docs.append(doc)
    return ids, texts, docs


def test_of_two_equal_passages_the_one_in_the_notice_naming_the_asked_city_comes_first(tmp_path):
    ids, texts, docs = _chunks()
    tokenizer = Tokenizer()
    SparseIndex.build(ids, texts, DEFAULT_MODE, tokenizer, doc_ids=docs).save(tmp_path / "bm25")
    sparse = SparseIndex.load(tmp_path / "bm25", tokenizer)
    by_chunk = [cid for cid, _ in sparse.search(QUESTION, k=len(ids))]
    # passage against passage the two notices tie, and the first indexed comes first
    assert by_chunk.index("general-1") < by_chunk.index("qingshi-1")
    doc_rank = sparse.document_ranks(QUESTION)
    assert doc_rank["qingshi"] == 1 and "transport" not in doc_rank  # no question word in it
    fused = with_document_ranks(rrf([], by_chunk), dict(zip(ids, docs, strict=True)), doc_rank)
    order = [cid for cid, *_ in fused]
    assert order.index("qingshi-1") < order.index("general-1")


def test_document_scores_are_bm25s_over_each_document_s_tokens(bundled_index, tmp_path):
    import bm25s

    from index.retrieve import search_text

    chunks = bundled_index.records.chunks()
    tokenizer = bundled_index.tokenizer
    texts = [search_text(c) for c in chunks]
    built = SparseIndex.build([c.id for c in chunks], texts, DEFAULT_MODE, tokenizer,
                              doc_ids=[c.doc_id for c in chunks])
    built.save(tmp_path / "bm25")
    loaded = SparseIndex.load(tmp_path / "bm25", tokenizer)
    bags: dict[str, list[str]] = {}
    for c, t in zip(chunks, texts, strict=True):
        bags.setdefault(c.doc_id, []).extend(tokenizer.tokenize(t, DEFAULT_MODE) or [""])
    reference = bm25s.BM25()
    reference.index(list(bags.values()), show_progress=False)
    assert loaded.documents is not None and loaded.documents.doc_ids == list(bags)
    for question in ("到2025年规上工业总产值目标是多少", "港口物流园区重点项目", "科技创新 研发投入"):
        tokens = loaded.query_tokens(question)
        assert tokens
        want = reference.get_scores(tokens)
        for field in (built.documents, loaded.documents):
            assert isinstance(field, DocumentField)
            np.testing.assert_allclose(field._bm25.get_scores(tokens), want, rtol=1e-5, atol=1e-6)
        ranked = sorted((d for d, s in zip(bags, want, strict=True) if s > 0), key=lambda d: -want[list(bags).index(d)])
        assert list(loaded.document_ranks(question)) == ranked


def test_an_index_saved_without_the_field_ranks_by_chunks_alone(tmp_path):
    ids, texts, _ = _chunks()
    tokenizer = Tokenizer()
    SparseIndex.build(ids, texts, DEFAULT_MODE, tokenizer).save(tmp_path / "bm25")
    sparse = SparseIndex.load(tmp_path / "bm25", tokenizer)
    assert sparse.documents is None and sparse.document_ranks(QUESTION) == {}
    fused = rrf([], [cid for cid, _ in sparse.search(QUESTION, k=len(ids))])
    assert with_document_ranks(fused, {}, {}) == fused


def test_a_passage_is_searched_with_its_document_title_and_section_once():
    from index.retrieve import search_text
    from ingest.model import Chunk

    title = "青石市人民政府关于应对疫情支持中小企业渡过难关的若干措施"
    passage = Chunk("q:text:1", "qingshi", title, RENT, "text", "九、减免中小企业房租", 1, 1)
    assert search_text(passage).split("\n") == [title, RENT]  # the section heads the passage itself
    opening = Chunk("q:text:0", "qingshi", title, f"{title}\n各区人民政府：", "text", "", 1, 1)
    assert search_text(opening) == opening.text
    sparse = SparseIndex.build(["passage", "other"], [search_text(passage), RENT], DEFAULT_MODE, Tokenizer())
    assert [cid for cid, _ in sparse.search(QUESTION, k=2)] == ["passage", "other"]


def test_the_field_built_from_token_strings_ranks_like_the_one_from_the_chunk_index(bundled_index, tmp_path):
    """The Milvus backend builds the field from its own token lists; FAISS from the bm25s chunk
    index's ids: both rank the documents alike, saved and loaded."""
    from index.retrieve import search_text

    chunks = bundled_index.records.chunks()
    tokenizer = bundled_index.tokenizer
    texts = [search_text(c) for c in chunks]
    docs = [c.doc_id for c in chunks]
    SparseIndex.build([c.id for c in chunks], texts, DEFAULT_MODE, tokenizer, doc_ids=docs).save(tmp_path / "bm25")
    faiss_side = SparseIndex.load(tmp_path / "bm25", tokenizer)
    DocumentField.from_tokens([tokenizer.tokenize(t, DEFAULT_MODE) for t in texts], docs).save(tmp_path / "own")
    own = DocumentField.load(tmp_path / "own")
    assert own is not None and own.own_vocab and (tmp_path / "own" / "vocab.index.json").is_file()
    assert not (tmp_path / "bm25" / DocumentField.DIR / "vocab.index.json").exists()
    for question in ("到2025年规上工业总产值目标是多少", "港口物流园区重点项目", "科技创新 研发投入"):
        tokens = [t for t in faiss_side.query_tokens(question) if own.knows(t)]
        assert own.ranks(tokens) == faiss_side.document_ranks(question)
        assert own.ranks(tokens)
