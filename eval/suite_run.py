"""`planqa eval --suite all`: every suite on its own corpus index, one combined report.

Each suite's per-question results and its own report go to `<out>/<suite>/`; the combined
`<out>/report.md` and `<out>/report.html` hold one row per suite (planqa and both baselines on the
same items: the naive llama-index pipeline and the jieba + bm25s best sentence), one row per suite
and question type, and the misses of each suite.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from eval.metrics import Summary, by_type, summarise
from eval.report import _fmt, _html_table, _md_table, miss_cells
from eval.suites import resolve

MISS_TEXT = 80  # characters of gold / answer shown per miss


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def run_suites(names: str, out: Path, split: str = "all", baseline: bool = True,
               progress: bool = True) -> list[str]:
    """Run the named suites; returns one summary line per suite (``<suite>: accuracy=…``)."""
    from eval.run import run_eval

    out = Path(out)
    outcome: list[tuple[str, Summary, dict[str, list[dict]]]] = []
    for suite in resolve(names):
        sub = out / suite.name
        summary = run_eval(suite.dataset, sub, corpus=suite.corpus, split=split,
                           by_document=suite.split_by_document, baseline=baseline, progress=progress)
        runs = {"planqa": _rows(sub / "results.jsonl"), "llama-index": _rows(sub / "baseline_results.jsonl"),
                "lexical": _rows(sub / "lexical_results.jsonl")}
        outcome.append((suite.name, summary, runs))
    write_suite_report(out, outcome, split)
    return [f"{name}: {summary.line()}" for name, summary, _ in outcome]


def _suite_table(outcome: list) -> tuple[list[str], list[list[str]]]:
    head = ["suite", "system", "n", "accuracy", "citation", "refusal", "false_refusal", "rouge_l", "recall@5", "p50_ms"]
    rows = []
    for name, summary, runs in outcome:
        for system, results in runs.items():
            if not results:
                continue
            s = summary if system == "planqa" else summarise(results)
            cit = _fmt(s.citation) if system == "planqa" else "–"
            rows.append([name, system, str(s.n), _fmt(s.accuracy), cit, _fmt(s.refusal), _fmt(s.false_refusal),
                         _fmt(s.rouge_l), _fmt(s.recall5), _fmt(s.p50_ms)])
    return head, rows


def _type_table(outcome: list) -> tuple[list[str], list[list[str]]]:
    head = ["suite", "type", "n", "accuracy", "citation", "abstained", "rouge_l", "llama-index acc.", "lexical acc."]
    rows = []
    for name, _, runs in outcome:
        base = {k: by_type(v) for k, v in runs.items() if v and k != "planqa"}
        for kind, v in by_type(runs["planqa"]).items():
            rows.append([name, kind, str(v["n"]), _fmt(v["accuracy"]), _fmt(v["citation"]), _fmt(v["abstained"]),
                         _fmt(v["rouge_l"])]
                        + [_fmt(base.get(b, {}).get(kind, {}).get("accuracy")) for b in ("llama-index", "lexical")])
    return head, rows


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MISS_TEXT else text[:MISS_TEXT] + "…"


def _misses(results: list[dict]) -> tuple[list[str], list[list[str]]]:
    head = ["id", "type", "question", "gold", "answer (first line)", "rouge_l"]
    rows = []
    for r in results:
        if r["correct"]:
            continue
        gold, line = miss_cells(r)
        rows.append([r["id"], r["type"], r["question"], _short(gold), _short(line) or "(empty)",
                     _fmt(r.get("rouge_l"))])
    return head, rows


def write_suite_report(out: Path, outcome: list, split: str) -> None:
    """The combined report of several suites (report.md and report.html in `out`)."""
    lines = [f"{name}: {summary.line()}" for name, summary, _ in outcome]
    md = ["# planqa evaluation: all suites", "", f"Split: `{split}`", "", "```", *lines, "```", "",
          "## Per suite (planqa and baselines on the same items)", "", _md_table(*_suite_table(outcome)), "",
          "## Per suite and question type", "", _md_table(*_type_table(outcome)), ""]
    page = ["<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>planqa evaluation</title>",
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}</style></head><body>",
            "<h1>planqa evaluation: all suites</h1>", f"<p>Split: <code>{html.escape(split)}</code></p>",
            "<pre id='summary'>" + html.escape("\n".join(lines)) + "</pre>",
            "<h2>Per suite (planqa and baselines on the same items)</h2>", _html_table(*_suite_table(outcome)),
            "<h2>Per suite and question type</h2>", _html_table(*_type_table(outcome))]
    for name, _, runs in outcome:
        head, rows = _misses(runs["planqa"])
        md += [f"## Misses: {name} ({len(rows)}; full report: {name}/report.html)", "",
               _md_table(head, rows) if rows else "None.", ""]
        page += [f"<h2>Misses: {html.escape(name)} ({len(rows)})</h2>",
                 f"<p><a href='{html.escape(name)}/report.html'>full report</a></p>",
                 _html_table(head, rows) if rows else "<p>None.</p>"]
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    (out / "report.html").write_text("\n".join(page + ["</body></html>"]), encoding="utf-8")
