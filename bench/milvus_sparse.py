"""Which sparse retriever is right for Chinese in Milvus: BM25 over planqa's tokens or Milvus's own
BM25 function (jieba analyzer)? And does Milvus's server-side RRF fusion do as well as ours?

    .venv/bin/python bench/milvus_sparse.py                     # bundled corpus, seed dev set
    .venv/bin/python bench/milvus_sparse.py --corpus DIR --questions FILE [--split dev]

Builds the corpus three times (FAISS; Milvus Lite with `jieba` sparse vectors; Milvus Lite with
the `bm25` function; embeddings come from the shared cache) and prints recall@1/5/10 and MRR of the
sparse retriever alone, of the hybrid search, and of Milvus `hybrid_search` with `RRFRanker`,
plus the search p50, as a Markdown table. Recall counts a question found at k when a top-k chunk
(whitespace removed) contains its evidence string, as bench/bench.py does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from bench.bench import load_questions, match_texts, pct, recall  # noqa: E402
from index.store import Index, ingest  # noqa: E402

VARIANTS = (("faiss", "faiss", None), ("milvus-jieba", "milvus", "jieba"), ("milvus-bm25fn", "milvus", "bm25"))


def build(work: Path, name: str, store: str, sparse: str | None, corpus: list[Path] | None) -> Index:
    env = {"PLANQA_VECTOR_STORE": store, "PLANQA_MILVUS_URI": str(work / f"{name}.db"),
           "PLANQA_MILVUS_SPARSE": sparse or "jieba"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ingest(corpus, work / name, progress=False)
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return Index.open(work / name)


def server_rrf(index: Index, question: str, k: int = 10) -> list[str]:
    """Milvus `hybrid_search`: dense + sparse requests fused by Milvus's RRFRanker (k=20, equal weights)."""
    from pymilvus import AnnSearchRequest, RRFRanker

    from index.tokens import expand_query

    store = index.store
    qv = index.embedder.embed_query(expand_query(question)).reshape(-1).tolist()
    dense = AnnSearchRequest([qv], "vec", {"metric_type": "IP", "params": {"ef": 64}}, limit=50)
    text = expand_query(question)
    if store.mode == "bm25":
        sparse = AnnSearchRequest([text], "sparse", {"metric_type": "BM25"}, limit=50)
    else:
        qs = store._stats.query_vector(store._tk.tokenize(text, store._tokenizer)) or {0: 0.0}
        sparse = AnnSearchRequest([qs], "sparse", {"metric_type": "IP"}, limit=50)
    res = store._cl.hybrid_search(store.name, [dense, sparse], RRFRanker(20), limit=k)
    return [str(h["id"]) for h in res[0]]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", nargs="*", help="folders/files (default: the bundled corpus)")
    p.add_argument("--questions", default=str(ROOT / "eval/data/dev.jsonl"))
    p.add_argument("--split", default="all", help="dev|holdout|all (eval/splits.py); tune on dev only")
    args = p.parse_args()
    items = load_questions(Path(args.questions))
    if args.split != "all":
        from eval.splits import select

        items = select(items, args.split, by_document="ncpqa" in args.questions)
    corpus = [Path(c) for c in args.corpus] if args.corpus else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="milvus-sparse-") as tmp:
        for name, store, sparse in VARIANTS:
            index = build(Path(tmp), name, store, sparse, corpus)
            index.warm()
            texts = match_texts(index)
            for mode in ("bm25", "hybrid"):
                ranks, ms = [], []
                for q in items:
                    t = time.perf_counter()
                    ranks.append([h.chunk.id for h in index.search(q["question"], k=10, mode=mode)])
                    ms.append((time.perf_counter() - t) * 1000)
                rows.append({"variant": name, "retriever": "sparse" if mode == "bm25" else "hybrid (planqa RRF)",
                             **recall(ranks, items, texts), "p50_ms": pct(ms, 50)})
            if store == "milvus":
                ranks, ms = [], []
                for q in items:
                    t = time.perf_counter()
                    ranks.append(server_rrf(index, q["question"]))
                    ms.append((time.perf_counter() - t) * 1000)
                rows.append({"variant": name, "retriever": "hybrid_search + RRFRanker(20)",
                             **recall(ranks, items, texts), "p50_ms": pct(ms, 50)})
    print(f"{len(items)} answerable questions from {args.questions} ({args.split})\n")
    print("| store / sparse | retriever | recall@1 | recall@5 | recall@10 | MRR | p50 ms |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['variant']} | {r['retriever']} | {r['r@1']:.3f} | {r['r@5']:.3f} | {r['r@10']:.3f} |"
              f" {r['mrr']:.3f} | {r['p50_ms']:.1f} |")
    print(json.dumps(rows), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
