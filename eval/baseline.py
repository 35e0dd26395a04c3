"""A naive llama-index baseline over the same questions, to show what planqa's structure buys.

The pipeline is deliberately the textbook one: the raw documents of the corpus (text as shipped or
as the loader reads DOCX/PDF/HTML, no cleaning) as `Document(text=raw)`, llama-index's default `SentenceSplitter`
(chunk_size=1024 tokens, overlap 200: ~120 chunks for the two bundled plans), a
`VectorStoreIndex` with the SAME embedder as planqa (`index.embed.get_embedder()` behind the
shared embedding cache, so the chunks are embedded once per machine), `Settings.llm = None`, and a
vector retriever with top-k = 10.

Its "answer" is the top chunk's whole text joined into one line (newlines -> spaces), so the
scorer treats it as the first line; the scorer's 200-character cap then applies exactly as it
does to planqa (DESIGN: the first line states the answer in at most 200 characters).  Because
that cap is severe for a ~900-character chunk, "answer in top chunk" (a gold answer anywhere in
the uncapped top chunk) is reported too, together with recall@1/5/10 (the evidence inside one of
the top-k chunks, whitespace ignored).  The baseline never abstains.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from eval.metrics import percentile, rate
from eval.score import answer_matches, evidence_in

TOP_K = 10
DESCRIPTION = (
    "Raw bundled documents -> llama-index SentenceSplitter (defaults) -> VectorStoreIndex with the same "
    "embedder -> top-10 vector retrieval, Settings.llm=None; answer = the top chunk joined into one line "
    "(judged by the same scorer, first 200 characters)."
)


def _corpus_files(corpus: Path | None) -> list[Path]:
    from eval.isolated import corpus_files

    if corpus is None:
        from ingest.pipeline import BUNDLED_CORPUS

        corpus = BUNDLED_CORPUS
    return corpus_files(Path(corpus))


def _raw_text(path: Path) -> str:
    """The document as its loader reads it (plain text as shipped; DOCX/PDF/HTML text layer), no cleaning."""
    from ingest.loaders import load
    from ingest.model import IngestError

    try:
        return load(path).text
    except IngestError:
        return ""


def build_retriever(corpus: Path | None = None, top_k: int = TOP_K, progress: bool = True) -> tuple[Any, int]:
    """The naive llama-index retriever and its number of chunks."""
    from llama_index.core import Document, Settings, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    from index.embed import CachedEmbedder, as_llama_embedding, get_embedder

    Settings.llm = None  # no LLM: llama-index must never reach for OpenAI
    docs = [
        # metadata kept out of the embedded text so a chunk's vector is its text alone
        Document(text=_raw_text(p), metadata={"doc_id": p.stem},
                 excluded_embed_metadata_keys=["doc_id"], excluded_llm_metadata_keys=["doc_id"])
        for p in _corpus_files(corpus)
    ]
    nodes = SentenceSplitter().get_nodes_from_documents(docs)
    embed = as_llama_embedding(CachedEmbedder(get_embedder()))
    index = VectorStoreIndex(nodes, embed_model=embed, show_progress=progress)
    return index.as_retriever(similarity_top_k=top_k), len(nodes)


def one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def run_baseline(items: list[dict], out: Path | None = None, corpus: Path | None = None,
                 progress: bool = True) -> dict:
    """Run the baseline on validated dataset items; writes baseline_results.jsonl/summary.json to `out`."""
    from eval.run import BASELINE_FILE, BASELINE_METRICS, score_one

    retriever, n_chunks = build_retriever(corpus, progress=progress)
    results = []
    for item in tqdm(items, desc="baseline", unit="q", disable=not progress, file=sys.stderr):
        t0 = time.perf_counter()
        texts = [n.node.get_content() for n in retriever.retrieve(item["question"])]
        latency = (time.perf_counter() - t0) * 1000
        top = one_line(texts[0]) if texts else ""
        reply = {"answer": top, "abstained": False, "citations": [], "mode": "baseline"}
        row = score_one(item, reply, latency, texts[:5], None)
        row["citation_ok"] = None  # the baseline makes no citations
        answerable = not item["unanswerable"] and bool(item["evidence"])
        row["retrieval_hit@1"] = evidence_in(item["evidence"], texts[:1]) if answerable else None
        row["retrieval_hit@10"] = evidence_in(item["evidence"], texts[:10]) if answerable else None
        row["answer_in_top_chunk"] = (
            None if item["unanswerable"] else any(answer_matches(g, top) for g in item["answers"])
        )
        results.append(row)

    answerable_rows = [r for r in results if not r["unanswerable"]]
    metrics = {
        "accuracy": rate(r["correct"] for r in results),
        "answer_in_top_chunk": rate(r["answer_in_top_chunk"] for r in answerable_rows),
        "recall@1": rate(r["retrieval_hit@1"] for r in answerable_rows),
        "recall@5": rate(r["retrieval_hit@5"] for r in answerable_rows),
        "recall@10": rate(r["retrieval_hit@10"] for r in answerable_rows),
        "p50_ms": percentile([r["latency_ms"] for r in results], 50),
        "n": len(results),
        "chunks": n_chunks,
        "description": DESCRIPTION,
    }
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        with (out / BASELINE_FILE).open("w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        (out / BASELINE_METRICS).write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"results": results, "metrics": metrics, "description": DESCRIPTION}


def metrics_line(m: dict) -> str:
    return (
        f"accuracy={m['accuracy']:.3f} answer_in_top_chunk={m['answer_in_top_chunk']:.3f} "
        f"recall@1={m['recall@1']:.3f} recall@5={m['recall@5']:.3f} recall@10={m['recall@10']:.3f} "
        f"p50_ms={m['p50_ms']:.1f} n={m['n']}"
    )


def main_baseline(dataset: str | None, out: str | None) -> int:
    """CLI entry (`planqa eval --baseline-only` or `python -m eval.baseline`): metrics line last."""
    from eval.dataset import DatasetError, default_dataset, load_dataset
    from index.config import planqa_home

    try:
        items = load_dataset(Path(dataset) if dataset else default_dataset())
    except DatasetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out_dir = Path(out) if out else planqa_home() / "eval"
    result = run_baseline(items, out_dir)
    print(f"baseline results: {out_dir / 'baseline_results.jsonl'}")
    print(metrics_line(result["metrics"]), flush=True)
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="naive llama-index baseline on an evaluation dataset")
    ap.add_argument("--dataset")
    ap.add_argument("--out")
    args = ap.parse_args()
    sys.exit(main_baseline(args.dataset, args.out))
