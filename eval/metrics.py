"""The evaluation summary and its exact one-line form (DESIGN.md).

Definitions (over the per-question results written to results.jsonl):

* accuracy      = correct / n, over all items (answerable and unanswerable).
* citation      = citation_ok / answerable items that have `evidence`; an answerable item that
                  abstained (or cited nothing that contains the evidence) counts as a citation failure.
                  Items without evidence are left out of the denominator (nothing to check against).
* refusal       = abstained / unanswerable items (higher is better).
* false_refusal = abstained / answerable items (lower is better).
* recall@5      = among answerable items with evidence, the share whose top-5 retrieved chunks
                  (`Index.search(question, k=5)`) contain the evidence, whitespace ignored; a chunk
                  contains it when its text or its source span (document text[start:end]) does
                  (table-row chunks are re-rendered with headers; see eval/run.py ChunkTexts).
* rouge_l       = mean character ROUGE-L (eval/rouge.py) over items with `"metric": "rouge_l"`
                  (an abstention scores 0); `nan` when the dataset has none.  For those items
                  `correct` means ROUGE-L ≥ `eval.rouge.ROUGE_CORRECT` (0.5), so accuracy and the
                  misses list stay defined for every suite.
* p50_ms/p95_ms = median / 95th percentile (linear interpolation) of per-question wall-clock
                  latency of `ask()` in milliseconds.

A rate with an empty denominator (e.g. no unanswerable items, or no index to measure retrieval
against) is printed as `nan`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np


@dataclass
class Summary:
    accuracy: float
    citation: float
    refusal: float
    false_refusal: float
    recall5: float
    p50_ms: float
    p95_ms: float
    n: int
    rouge_l: float = math.nan

    def line(self) -> str:
        return (
            f"accuracy={self.accuracy:.3f} citation={self.citation:.3f} refusal={self.refusal:.3f} "
            f"false_refusal={self.false_refusal:.3f} recall@5={self.recall5:.3f} "
            f"p50_ms={self.p50_ms:.1f} p95_ms={self.p95_ms:.1f} n={self.n} rouge_l={self.rouge_l:.3f}"
        )

    def to_json(self) -> dict:
        return {**asdict(self), "line": self.line()}


def rate(flags: Iterable[bool | None]) -> float:
    """Share of True among the non-None flags; nan when there are none."""
    vals = [bool(f) for f in flags if f is not None]
    return sum(vals) / len(vals) if vals else math.nan


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else math.nan


def summarise(results: list[dict]) -> Summary:
    answerable = [r for r in results if not r["unanswerable"]]
    unanswerable = [r for r in results if r["unanswerable"]]
    latencies = [float(r["latency_ms"]) for r in results if r.get("latency_ms") is not None]
    return Summary(
        accuracy=rate(r["correct"] for r in results),
        citation=rate(r["citation_ok"] for r in answerable),
        refusal=rate(r["abstained"] for r in unanswerable),
        false_refusal=rate(r["abstained"] for r in answerable),
        recall5=rate(r.get("retrieval_hit@5") for r in answerable),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        n=len(results),
        rouge_l=mean(r.get("rouge_l") for r in results),
    )


def mean(values: Iterable[float | None]) -> float:
    """Mean of the non-None values; nan when there are none."""
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else math.nan


def by_type(results: list[dict]) -> dict[str, dict[str, float | int]]:
    """Per question type: n, accuracy, citation accuracy, abstention rate, recall@5."""
    out: dict[str, dict[str, float | int]] = {}
    for kind in sorted({r["type"] for r in results}):
        rows = [r for r in results if r["type"] == kind]
        out[kind] = {
            "n": len(rows),
            "accuracy": rate(r["correct"] for r in rows),
            "citation": rate(r["citation_ok"] for r in rows if not r["unanswerable"]),
            "abstained": rate(r["abstained"] for r in rows),
            "recall@5": rate(r.get("retrieval_hit@5") for r in rows if not r["unanswerable"]),
            "rouge_l": mean(r.get("rouge_l") for r in rows),
        }
    return out
