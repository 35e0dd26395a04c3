"""Product code holds no knowledge of particular documents: no place, park, project or indicator
name of a bundled or benchmark document appears in assistant/, index/ or ui/ (code, strings or
comments). The names are taken from the documents themselves — the parsed records of the bundled
corpus and of the plans-dev documents, and the place words of every benchmark document's title —
so a new document adds its names to the check without anyone editing a list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("assistant", "index", "ui")
BENCH_DOCS = ROOT / "eval" / "data" / "plans-dev" / "docs"
NCPQA_DOCS = ROOT / "eval" / "data" / "ncpqa-dev" / "docs"
# an indicator name this long is a document's own wording, not a general statistical term
MIN_INDICATOR_CHARS = 8
MIN_PROJECT_CHARS = 6
# general words that jieba tags as places but that name no particular document
_NOT_PROPER = {"中国", "全国", "国家", "中央", "全省", "全市", "城乡", "东部", "西部", "中部", "沿海", "海峡", "两岸",
               "新建", "临港", "海关"}


def _places_in(text: str, tokenizer) -> set[str]:
    """Place names jieba's gazetteer recognises (tag ns), without 省/市/县."""
    out = set()
    for w, flag in tokenizer.posseg(text):
        w = re.sub(r"(省|市|县)$", "", w)
        if flag != "ns" or len(w) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", w) or w in _NOT_PROPER:
            continue
        # a word of jieba's dictionary that it tags as a place on its own (not an HMM guess), and not
        # an administrative kind (新区)
        if tokenizer.posseg(w) == [(w, "ns")] and tokenizer.jieba.FREQ.get(w) and not (len(w) == 2 and w.endswith("区")):
            out.add(w)
    return out


def _own_indicator_names(rows: list[tuple[str, str]]) -> set[str]:
    """Long indicator names that only one document uses: its own wording (a name several
    documents share, 人均地区生产总值, is a general statistical term)."""
    docs: dict[str, set[str]] = {}
    for doc_id, name in rows:
        docs.setdefault(re.sub(r"\s+", "", name), set()).add(doc_id)
    return {n for n, ds in docs.items() if len(n) >= MIN_INDICATOR_CHARS and len(ds) == 1}


def _record_names(records, tokenizer) -> tuple[set[str], list[tuple[str, str]]]:
    from assistant.vocab import learn_places, park_core

    docs = records.documents()
    parks = [p.park for p in records.projects() if p.park]
    texts = [records.document_text(d["doc_id"]) for d in docs]
    places = learn_places([d["title"] or "" for d in docs], parks, texts)
    names = {p for p in parks if len(p) >= 4}
    names |= {c for p in parks if len(c := park_core(p, places)) >= 3}
    names |= {p.name for p in records.projects() if len(p.name) >= MIN_PROJECT_CHARS}
    rows = [(r.doc_id, r.name) for r in records.indicators()]
    for d in docs:
        names |= _places_in(d["title"] or "", tokenizer)
    m = places.pattern
    names |= {p for p in re.findall(r"[\u4e00-\u9fff]{2,}", m)}
    return {re.sub(r"\s+", "", n) for n in names if n}, rows


def _parsed_names(paths: list[Path], tokenizer) -> tuple[set[str], list[tuple[str, str]]]:
    from ingest.pipeline import parse_document

    names: set[str] = set()
    rows = []
    for p in paths:
        doc = parse_document(p)
        names |= _places_in(doc.title, tokenizer)
        rows += [(doc.doc_id, r.name) for r in doc.indicators]
        names |= {r.name for r in doc.projects if len(r.name) >= MIN_PROJECT_CHARS}
    return {re.sub(r"\s+", "", n) for n in names if n}, rows


@pytest.fixture(scope="module")
def document_names(bundled_index) -> set[str]:
    from index.tokens import plain_tokenizer

    tk = plain_tokenizer()
    names, rows = _record_names(bundled_index.records, tk)
    bench_names, bench_rows = _parsed_names(sorted(BENCH_DOCS.glob("*")), tk)
    names |= bench_names | _own_indicator_names(rows + bench_rows)
    for p in sorted(NCPQA_DOCS.glob("*"))[:400]:  # policy documents: the places of their titles
        head = p.read_text(encoding="utf-8", errors="replace")[:80].split("\n", 1)[0]
        names |= _places_in(head, tk)
    return names


def test_the_name_list_is_learned_from_the_documents(document_names):
    # the check is only as good as its list: it must hold parks, projects and places of real documents
    assert len(document_names) >= 100
    assert any(len(n) >= MIN_PROJECT_CHARS for n in document_names)


def test_product_code_names_no_document(document_names):
    hits = []
    for pkg in PRODUCT:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for no, line in enumerate(text.splitlines(), 1):
                found = [n for n in document_names if n in line]
                if found:
                    hits.append(f"{path.relative_to(ROOT)}:{no}: {', '.join(sorted(found))}")
    assert not hits, "document-specific names in product code:\n" + "\n".join(hits)
