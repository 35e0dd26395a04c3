"""The evaluation report: Markdown (plots as PNG files beside it) and self-contained HTML
(the same PNGs embedded as base64), with the summary line, a per-type table, the wrong answers
and, when a baseline was run on the same questions, the baseline side by side.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display on servers / CI
import matplotlib.pyplot as plt  # noqa: E402

from eval.metrics import Summary, by_type  # noqa: E402
from eval.score import first_line  # noqa: E402

PLOTS = (
    ("accuracy_by_type", "Accuracy by question type"),
    ("citation_by_type", "Citation accuracy by question type"),
    ("latency", "Latency per question"),
    ("abstention", "Abstention confusion matrix"),
)


def _fmt(x: float | int | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _bars(title: str, groups: dict[str, dict[str, float]], ylabel: str) -> bytes:
    """Grouped bars: one group per type, one bar per system (system / baseline)."""
    kinds = sorted({k for g in groups.values() for k in g})
    fig, ax = plt.subplots(figsize=(7, 3.6))
    width = 0.8 / max(1, len(groups))
    for i, (name, vals) in enumerate(groups.items()):
        xs = [j + i * width for j in range(len(kinds))]
        ys = [0.0 if math.isnan(vals.get(k, math.nan)) else vals[k] for k in kinds]
        bars = ax.bar(xs, ys, width=width, label=name)
        ax.bar_label(bars, labels=[_fmt(vals.get(k)) for k in kinds], fontsize=7)
    ax.set_xticks([j + width * (len(groups) - 1) / 2 for j in range(len(kinds))], kinds, rotation=20)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(groups) > 1:
        ax.legend(fontsize=8)
    return _png(fig)


def _latency(results: list[dict], summary: Summary) -> bytes:
    fig, ax = plt.subplots(figsize=(7, 3.2))
    lat = [float(r["latency_ms"]) for r in results if r.get("latency_ms") is not None]
    ax.hist(lat, bins=min(40, max(5, len(lat) // 3)), color="#4c72b0")
    for q, v, style in (("p50", summary.p50_ms, "--"), ("p95", summary.p95_ms, ":")):
        if not math.isnan(v):  # in the legend, not on the bars, so close percentiles stay readable
            ax.axvline(v, color="#c44e52", linestyle=style, label=f"{q} = {v:.1f} ms")
    if not (math.isnan(summary.p50_ms) and math.isnan(summary.p95_ms)):
        ax.legend(fontsize=8)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency per question")
    return _png(fig)


def abstention_matrix(results: list[dict]) -> list[list[int]]:
    """Rows: answerable / unanswerable gold; columns: answered / abstained."""
    m = [[0, 0], [0, 0]]
    for r in results:
        m[1 if r["unanswerable"] else 0][1 if r["abstained"] else 0] += 1
    return m


def _confusion(results: list[dict]) -> bytes:
    m = abstention_matrix(results)
    fig, ax = plt.subplots(figsize=(4, 3.4))
    ax.imshow(m, cmap="Blues")
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(m[i][j]), ha="center", va="center", fontsize=14,
                    color="white" if m[i][j] > max(max(m)) / 2 else "black")
    ax.set_xticks([0, 1], ["answered", "abstained"])
    ax.set_yticks([0, 1], ["answerable", "unanswerable"])
    ax.set_xlabel("system")
    ax.set_ylabel("gold")
    ax.set_title("Abstention")
    return _png(fig)


def make_plots(results: list[dict], summary: Summary, baseline: dict | None = None) -> dict[str, bytes]:
    types = by_type(results)
    acc = {"system": {k: v["accuracy"] for k, v in types.items()}}
    if baseline:
        acc["baseline"] = {k: v["accuracy"] for k, v in by_type(baseline["results"]).items()}
    cit = {"system": {k: v["citation"] for k, v in types.items() if k != "unanswerable"}}
    return {
        "accuracy_by_type": _bars("Accuracy by question type", acc, "accuracy"),
        "citation_by_type": _bars("Citation accuracy by question type", cit, "citation accuracy"),
        "latency": _latency(results, summary),
        "abstention": _confusion(results),
    }


def _type_rows(results: list[dict], baseline: dict | None) -> tuple[list[str], list[list[str]]]:
    head = ["type", "n", "accuracy", "citation", "abstained", "recall@5"]
    base_types = by_type(baseline["results"]) if baseline else {}
    if baseline:
        head.append("baseline accuracy")
    rows = []
    for kind, v in by_type(results).items():
        row = [kind, str(v["n"]), _fmt(v["accuracy"]), _fmt(v["citation"]), _fmt(v["abstained"]), _fmt(v["recall@5"])]
        if baseline:
            row.append(_fmt(base_types.get(kind, {}).get("accuracy")))
        rows.append(row)
    return head, rows


def _comparison_rows(summary: Summary, baseline: dict) -> tuple[list[str], list[list[str]]]:
    m = baseline["metrics"]
    head = ["metric", "system", "baseline (naive llama-index)"]
    rows = [
        ["accuracy (first line, same scorer)", _fmt(summary.accuracy), _fmt(m.get("accuracy"))],
        ["answer anywhere in top chunk", "–", _fmt(m.get("answer_in_top_chunk"))],
        ["recall@1", "–", _fmt(m.get("recall@1"))],
        ["recall@5", _fmt(summary.recall5), _fmt(m.get("recall@5"))],
        ["recall@10", "–", _fmt(m.get("recall@10"))],
        ["p50_ms (baseline: retrieval only)", f"{summary.p50_ms:.1f}", f"{m['p50_ms']:.1f}" if m.get("p50_ms") is not None else "–"],
        ["n", str(summary.n), str(m.get("n"))],
    ]
    return head, rows


def miss_cells(r: dict) -> tuple[str, str]:
    """How a wrong answer is shown: its gold ("(abstain)" for unanswerable items) and its first line
    ("[abstained] " marked)."""
    gold = "(abstain)" if r["unanswerable"] else " | ".join(r["answers"])
    return gold, ("[abstained] " if r["abstained"] else "") + first_line(r.get("answer") or "")


def _wrong_rows(results: list[dict], baseline: dict | None) -> tuple[list[str], list[list[str]]]:
    base = {r["id"]: r for r in baseline["results"]} if baseline else {}
    head = ["id", "type", "question", "gold", "first line"] + (["baseline"] if baseline else [])
    rows = []
    for r in results:
        if r["correct"]:
            continue
        gold, line = miss_cells(r)
        row = [r["id"], r["type"], r["question"], gold, line or "(empty)"]
        if baseline:
            b = base.get(r["id"])
            row.append("–" if b is None else ("correct" if b["correct"] else "wrong"))
        rows.append(row)
    return head, rows


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;max-width:1100px;color:#222}
code{background:#f3f3f3;padding:.3em .5em;border-radius:4px;display:inline-block}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8} .plots img{max-width:100%;margin:.5em 0;display:block}
"""


def _lexical_rows(summary: Summary, lexical: dict) -> tuple[list[str], list[list[str]]]:
    m = lexical["metrics"]
    head = ["metric", "system", "baseline (jieba + bm25s best sentence)"]
    rows = [[k, _fmt(getattr(summary, attr)), _fmt(m.get(attr))]
            for k, attr in (("accuracy", "accuracy"), ("rouge_l", "rouge_l"), ("recall@5", "recall5"),
                            ("p50_ms", "p50_ms"), ("n", "n"))]
    return head, rows


def write_report(out: Path, results: list[dict], summary: Summary, baseline: dict | None = None,
                 dataset: str = "", lexical: dict | None = None) -> tuple[Path, Path]:
    """Write report.md (+ plots/*.png) and report.html (plots inlined) into `out`."""
    out = Path(out)
    plot_dir = out / "plots"
    plot_dir.mkdir(parents=True, exist_ok=True)
    pngs = make_plots(results, summary, baseline)
    for name, data in pngs.items():
        (plot_dir / f"{name}.png").write_bytes(data)

    type_head, type_rows = _type_rows(results, baseline)
    wrong_head, wrong_rows = _wrong_rows(results, baseline)
    source = f"Dataset: `{dataset}`\n\n" if dataset else ""

    md = [f"# planqa evaluation\n\n{source}```\n{summary.line()}\n```\n", "## By question type\n",
          _md_table(type_head, type_rows), ""]
    if baseline:
        md += ["## Baseline (naive llama-index pipeline, same questions)\n",
               baseline.get("description", ""), "", _md_table(*_comparison_rows(summary, baseline)), ""]
    if lexical:
        md += ["## Lexical baseline (same questions)\n", lexical.get("description", ""), "",
               _md_table(*_lexical_rows(summary, lexical)), ""]
    md += ["## Plots\n"] + [f"![{title}](plots/{name}.png)\n" for name, title in PLOTS]
    md += [f"## Wrong answers ({len(wrong_rows)})\n", _md_table(wrong_head, wrong_rows) if wrong_rows else "None.", ""]
    md_path = out / "report.md"
    md_path.write_text("\n".join(md), encoding="utf-8")

    imgs = "".join(
        f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,'
        f'{base64.b64encode(pngs[name]).decode()}"></figure>'
        for name, title in PLOTS
    )
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>planqa evaluation</title>",
        f"<style>{_CSS}</style></head><body><h1>planqa evaluation</h1>",
        f"<p>Dataset: <code>{html.escape(dataset)}</code></p>" if dataset else "",
        f"<p><code id='summary'>{html.escape(summary.line())}</code></p>",
        "<h2>By question type</h2>", _html_table(type_head, type_rows),
    ]
    if baseline:
        parts += ["<h2>Baseline (naive llama-index pipeline, same questions)</h2>",
                  f"<p>{html.escape(baseline.get('description', ''))}</p>",
                  _html_table(*_comparison_rows(summary, baseline))]
    if lexical:
        parts += ["<h2>Lexical baseline (same questions)</h2>",
                  f"<p>{html.escape(lexical.get('description', ''))}</p>",
                  _html_table(*_lexical_rows(summary, lexical))]
    parts += ["<h2>Plots</h2>", f"<div class='plots'>{imgs}</div>",
              f"<h2>Wrong answers ({len(wrong_rows)})</h2>",
              _html_table(wrong_head, wrong_rows) if wrong_rows else "<p>None.</p>", "</body></html>"]
    html_path = out / "report.html"
    html_path.write_text("\n".join(parts), encoding="utf-8")
    return md_path, html_path
