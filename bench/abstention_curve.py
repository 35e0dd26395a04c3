"""The abstention trade-off: refusal vs false refusal per threshold, on the dev splits of all suites.

    .venv/bin/python bench/abstention_curve.py [--suites all] [--out docs/ABSTENTION.md]

Each dev question is answered once with the threshold at 0 (every extractive candidate answered)
and the candidate's abstention score (assistant/abstention.py) is kept; a threshold t then turns
every extractive answer scoring below t into an abstention. That is what `ABSTAIN_BELOW = t` does,
except where an abstention would have let another path answer instead (a rare second chance),
so the table estimates the curve; the chosen threshold is then checked with `planqa eval`.
Only dev splits are read (eval/splits.py): held-out questions stay unseen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 13)]


def run_suite(suite, limit: int | None = None) -> list[dict]:
    import assistant.abstention as ab
    from assistant.assistant import Assistant
    from eval.dataset import load_dataset
    from eval.isolated import eval_index
    from eval.rouge import best_rouge_l
    from eval.score import is_correct
    from eval.splits import select
    from index.store import Index

    items = select(load_dataset(suite.dataset), "dev", by_document=suite.split_by_document)[:limit]
    saved, ab.ABSTAIN_BELOW = ab.ABSTAIN_BELOW, 0.0
    try:
        a = Assistant(Index.open(eval_index(suite.corpus, progress=False)))
        rows = []
        for it in items:
            t0 = time.perf_counter()
            ans = a._answer(it["question"], "auto", 5)
            rows.append({
                "suite": suite.name, "id": it["id"], "unanswerable": bool(it.get("unanswerable")),
                "abstained": ans.abstained, "score": ans.abstention_score,
                "correct": is_correct(it, ans.text, ans.abstained),
                "rouge": best_rouge_l(it.get("answers") or [], ans.text) if it.get("metric") == "rouge_l" else None,
                "ms": (time.perf_counter() - t0) * 1000,
            })
    finally:
        ab.ABSTAIN_BELOW = saved
    return rows


def at_threshold(rows: list[dict], t: float) -> dict:
    """Accuracy, refusal, false refusal (and mean ROUGE-L) if extractive answers below t abstain."""
    ok = refused_un = refused_ans = 0
    rouge: list[float] = []
    for r in rows:
        abst = r["abstained"] or (r["score"] is not None and r["score"] < t)
        if r["unanswerable"]:
            ok += abst
            refused_un += abst
        else:
            ok += (not abst) and r["correct"]
            refused_ans += abst
        if r["rouge"] is not None:
            rouge.append(0.0 if abst else r["rouge"])
    n_un = sum(r["unanswerable"] for r in rows)
    n_ans = len(rows) - n_un
    return {"accuracy": ok / max(1, len(rows)), "refusal": refused_un / max(1, n_un),
            "false_refusal": refused_ans / max(1, n_ans), "rouge_l": sum(rouge) / len(rouge) if rouge else None,
            "n": len(rows)}


def table(rows: list[dict], suites: list[str]) -> list[str]:
    head = "| threshold | " + " | ".join(f"{s} acc / refusal / false ref" for s in suites) + " | all: refusal / false ref |"
    out = [head, "|" + "---|" * (len(suites) + 2)]
    for t in THRESHOLDS:
        cells = []
        for s in suites:
            m = at_threshold([r for r in rows if r["suite"] == s], t)
            extra = f" (R-L {m['rouge_l']:.3f})" if m["rouge_l"] is not None else ""
            cells.append(f"{m['accuracy']:.3f} / {m['refusal']:.3f} / {m['false_refusal']:.3f}{extra}")
        m = at_threshold(rows, t)
        out.append(f"| {t:.2f} | " + " | ".join(cells) + f" | {m['refusal']:.3f} / {m['false_refusal']:.3f} |")
    return out


def main() -> None:
    from eval.suites import resolve

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suites", default="all")
    ap.add_argument("--limit", type=int, default=None, help="first N dev questions per suite (a quick look)")
    ap.add_argument("--rows", type=Path, default=None, help="write the per-question rows (JSONL) here")
    args = ap.parse_args()
    suites = resolve(args.suites)
    rows: list[dict] = []
    for s in suites:
        rows += run_suite(s, args.limit)
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print("\n".join(table(rows, [s.name for s in suites])))


if __name__ == "__main__":
    main()
