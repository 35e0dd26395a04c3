"""Assistant benchmark: warm `ask` latency over the dev questions and a cold `planqa ask` process.

Not a timed test: run it by hand on a quiet machine and paste the Markdown it prints.

    .venv/bin/python bench/bench_ask.py [--dataset eval/data/dev.jsonl] [--index DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from bench.bench import machine, pct  # noqa: E402


def warm_latencies(index_dir: Path | None, questions: list[str]) -> tuple[list[float], float]:
    from assistant.assistant import Assistant

    t0 = time.perf_counter()
    assistant = Assistant.open(index_dir)
    assistant.ask(questions[0])  # loads FAISS, BM25, jieba and the vocabularies once
    first_s = time.perf_counter() - t0
    out = []
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q)
        out.append((time.perf_counter() - t) * 1000)
    return out, first_s


def cold_process_s(index_dir: Path | None, question: str, runs: int = 3) -> list[float]:
    exe = Path(sys.executable).with_name("planqa")
    cmd = [str(exe), "ask", question, "--json"] + (["--index", str(index_dir)] if index_dir else [])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=ROOT / "eval" / "data" / "dev.jsonl")
    ap.add_argument("--index", type=Path, default=None)
    args = ap.parse_args(argv)

    import assistant.docsentences  # noqa: F401  (registers the sentence statistics ingest stores)
    from index.store import Index

    Index.ensure(args.index)
    questions = [json.loads(line)["question"] for line in args.dataset.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    cold = cold_process_s(args.index, "到2025年庄河规上工业总产值要达到多少？")
    lat, first_s = warm_latencies(args.index, questions)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Machine: {machine()}\n")
    print("| assistant | value |\n|---|---|")
    print(f"| questions | {len(lat)} ({args.dataset.name}) |")
    print(f"| warm ask p50 / p95 / max (ms) | {statistics.median(lat):.1f} / {pct(lat, 95):.1f} / {max(lat):.1f} |")
    print(f"| open + first ask in process (s) | {first_s:.2f} |")
    print(f"| cold `planqa ask` process (s), 3 runs | {' / '.join(f'{t:.2f}' for t in cold)} |")
    print(f"| peak RSS (MB) | {rss_mb:.0f} |")


if __name__ == "__main__":
    main()
