"""Index benchmark: ingest cost, retrieval latency and recall on the evaluation set.

Not a timed test: run it by hand on a quiet machine and paste the Markdown it prints.

    .venv/bin/python bench/bench.py                 # all figures (cold ingest re-embeds everything)
    .venv/bin/python bench/bench.py --skip-cold     # reuse the shared embedding cache
    .venv/bin/python bench/bench.py --tune          # + tokenizer / text / fusion grids, HNSW threshold

Recall: a question is a hit at k when one of the top-k chunks, whitespace removed, contains its
`evidence` (for a table_row chunk, the row as printed in the source counts too). Unanswerable
questions are skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # shared machine: idle OpenMP threads must not spin

import assistant.docsentences  # noqa: E402,F401  (registers the sentence statistics ingest stores)
from index import retrieve, tokens  # noqa: E402
from index.embed import CachedEmbedder, EmbeddingCache, get_embedder  # noqa: E402
from index.retrieve import dense_text, rrf, search_text  # noqa: E402
from index.sparse import SparseIndex  # noqa: E402
from index.store import Index, ingest  # noqa: E402
from ingest.model import Chunk  # noqa: E402

WS = re.compile(r"\s+")
KS = (1, 5, 10)


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, Python {platform.python_version()}, "
            f"load avg {load:.1f} at start, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def load_questions(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q for q in items if not q.get("unanswerable") and q.get("evidence")]


def match_texts(index: Index) -> dict[str, str]:
    """chunk id -> whitespace-free text an evidence string may be found in."""
    rows: dict[tuple[str, str], list[str]] = {}
    for t in index.records.tables():
        rows[(t.doc_id, t.title)] = [r.text for r in [*t.indicators, *t.projects, *t.summary]]
    out = {}
    for c in index.records.chunks():
        text = c.text
        if c.kind == "table_row":
            row = c.meta.get("row")
            table_rows = rows.get((c.doc_id, c.meta.get("table", "")), [])
            if isinstance(row, int) and 0 <= row < len(table_rows):
                text += "\n" + table_rows[row]
        out[c.id] = WS.sub("", text)
    return out


def recall(rankings: list[list[str]], questions: list[dict], texts: dict[str, str]) -> dict[str, float]:
    hits = {k: 0 for k in KS}
    rr = 0.0
    for ids, q in zip(rankings, questions, strict=True):
        first = next((i for i, cid in enumerate(ids[:10]) if q["evidence"] in texts.get(cid, "")), None)
        if first is not None:
            rr += 1 / (first + 1)
            for k in KS:
                hits[k] += first < k
    n = max(len(questions), 1)
    return {**{f"r@{k}": hits[k] / n for k in KS}, "mrr": rr / n}


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def cpu_timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall s, CPU s of this process over all threads): CPU time is what other processes on a
    shared machine cannot inflate, so it is the fair basis for comparing two runs."""
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    fn()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter() - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def run_ingest_figures(skip_cold: bool, work: Path) -> dict:
    """Cold ingest (empty cache) vs bare embedding of the same texts, then a warm re-ingest."""
    from ingest import pipeline

    figs: dict = {}
    index_dir = work / "index"
    if not skip_cold:
        os.environ["PLANQA_CACHE_DIR"] = str(work / "cold-cache")
        files, _ = pipeline.discover([pipeline.BUNDLED_CORPUS])
        chunks = [c for f in files for c in pipeline.parse_document(f).chunks]
        texts = list(dict.fromkeys(dense_text(c) for c in chunks))
        emb = get_embedder()
        bs = CachedEmbedder(emb, EmbeddingCache(work / "unused.sqlite")).batch_size

        def bare() -> None:
            for i in range(0, len(texts), bs):
                emb.embed_passages(texts[i : i + bs])

        # bare, cold, bare again: the mean of the two bare runs absorbs drifting machine load
        b1 = cpu_timed(bare)
        cold = cpu_timed(lambda: ingest(None, index_dir, progress=False))
        b2 = cpu_timed(bare)
        figs["cold_ingest_wall_s"], figs["cold_ingest_cpu_s"] = cold
        figs["bare_embed_wall_s"] = (b1[0] + b2[0]) / 2
        figs["bare_embed_cpu_s"] = (b1[1] + b2[1]) / 2
        figs["cold_over_bare_wall"] = cold[0] / figs["bare_embed_wall_s"]
        figs["cold_over_bare_cpu"] = cold[1] / figs["bare_embed_cpu_s"]
    else:
        figs["first_ingest_cached_s"], _ = timed(lambda: ingest(None, index_dir, progress=False))
    for _ in range(3):  # the ingest code may have been edited meanwhile: that re-parses, retry
        figs["warm_ingest_s"], report = timed(lambda: ingest(None, index_dir, progress=False))
        if not report.changed:
            break
    # what a user sees: a new process (imports included) for a no-op ingest and for open + one search
    code_ingest = f"import assistant.docsentences; from index.store import ingest; ingest(None, {str(index_dir)!r}, progress=False)"
    code_ask = (f"from index.store import Index; Index.open({str(index_dir)!r})"
                ".search('到2025年规上工业总产值目标是多少？')")
    for key, code in (("warm_ingest_new_process_s", code_ingest), ("open_and_first_search_new_process_s", code_ask)):
        figs[key], _ = timed(lambda c=code: subprocess.run([sys.executable, "-c", c], cwd=ROOT, check=True))
    print(f"ingest figures: {figs}", file=sys.stderr, flush=True)
    figs["open_s"], _ = timed(lambda: Index.open(index_dir))
    return figs


def per_question_rankings(index: Index, questions: list[dict], depth: int = 100) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {"dense": [], "bm25": []}
    for q in questions:
        for mode in out:
            out[mode].append([h.chunk.id for h in index.search(q["question"], k=depth, mode=mode, candidates=depth)])
    return out


def latency(index: Index, questions: list[dict]) -> dict[str, tuple[float, float]]:
    res = {}
    for mode in ("dense", "bm25", "hybrid"):
        ms = []
        for q in questions:
            t = time.perf_counter()
            index.search(q["question"], k=10, mode=mode)
            ms.append((time.perf_counter() - t) * 1000)
        res[mode] = (pct(ms, 50), pct(ms, 95))
    return res


def tune_fusion(rank: dict[str, list[list[str]]], questions, texts) -> list[tuple]:
    grid = []
    for k in (5, 10, 20, 60):
        for wd in (0.1, 0.2, 0.3, 0.5, 1.0):
            for cand in (10, 20, 50, 100):
                fused = [[f[0] for f in rrf(d[:cand], b[:cand], k=k, w_dense=wd, w_bm25=1.0)]
                         for d, b in zip(rank["dense"], rank["bm25"], strict=True)]
                r = recall(fused, questions, texts)
                grid.append((r["r@5"], r["mrr"], r["r@1"], r["r@10"], k, wd, cand))
    grid.sort(reverse=True)
    return grid


def tune_tokenizer(index: Index, questions, texts) -> dict[str, dict]:
    chunks = index.records.chunks()
    out = {}
    for mode in tokens.MODES:
        sp = SparseIndex.build([c.id for c in chunks], [search_text(c) for c in chunks], mode)
        out[mode] = recall([[cid for cid, _ in sp.search(q["question"], 10)] for q in questions], questions, texts)
    return out


def tune_text(index: Index, questions, texts) -> dict[str, dict]:
    """Dense and BM25 recall for what is indexed per chunk: plain text vs section-aware variants."""
    chunks = index.records.chunks()
    variants: dict[str, Callable[[Chunk], str]] = {
        "plain": lambda c: c.text,
        "section-aware (all)": search_text,
        "section-aware, table rows without path": lambda c: c.text if c.kind == "table_row" else search_text(c),
    }
    emb = CachedEmbedder(get_embedder())
    qv = np.stack([emb.embed_query(tokens.expand_query(q["question"])) for q in questions])
    out = {}
    for name, fn in variants.items():
        body = [fn(c) for c in chunks]
        vecs = emb.embed_passages(body)
        dense = [[chunks[i].id for i in np.argsort(-(vecs @ v))[:10]] for v in qv]
        sp = SparseIndex.build([c.id for c in chunks], body)
        bm = [[cid for cid, _ in sp.search(q["question"], 10)] for q in questions]
        out[name] = {"dense": recall(dense, questions, texts), "bm25": recall(bm, questions, texts)}
    return out


def hnsw_threshold(dim: int = 384) -> list[tuple[int, float, float | None]]:
    """p50 ms of exact search vs HNSW at growing sizes (random unit vectors)."""
    import faiss

    rng = np.random.default_rng(0)
    rows = []
    for n in (10_000, 25_000, 50_000, 100_000, 200_000):
        x = rng.standard_normal((n, dim), dtype=np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        q = x[rng.choice(n, 50)] + 0.01
        flat = faiss.IndexFlatIP(dim)
        flat.add(x)
        ms = []
        for v in q:
            t = time.perf_counter()
            flat.search(v[None, :], 50)
            ms.append((time.perf_counter() - t) * 1000)
        hnsw_ms = None
        if n <= 50_000:
            h = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            h.hnsw.efConstruction = 80
            h.add(x)
            h.hnsw.efSearch = 64
            hm = []
            for v in q:
                t = time.perf_counter()
                h.search(v[None, :], 50)
                hm.append((time.perf_counter() - t) * 1000)
            hnsw_ms = pct(hm, 50)
        rows.append((n, pct(ms, 50), hnsw_ms))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=ROOT / "eval" / "data" / "dev.jsonl")
    ap.add_argument("--skip-cold", action="store_true", help="use the shared embedding cache")
    ap.add_argument("--tune", action="store_true", help="also print the tuning grids and HNSW timings")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "README-figures.md")
    args = ap.parse_args(argv)

    lines = [f"Machine: {machine()}", ""]
    questions = load_questions(args.dataset)
    work = Path(tempfile.mkdtemp(prefix="planqa-bench-"))
    try:
        figs = run_ingest_figures(args.skip_cold, work)
        index = Index.open(work / "index").warm()
        texts = match_texts(index)
        chunks = index.records.chunks()
        lat = latency(index, questions)
        rank = per_question_rankings(index, questions)
        hybrid = [[h.chunk.id for h in index.search(q["question"], k=10)] for q in questions]
        rec = {"dense": recall(rank["dense"], questions, texts), "bm25": recall(rank["bm25"], questions, texts),
               "hybrid": recall(hybrid, questions, texts)}
        by_kind = {}
        for kind in sorted({q["type"] for q in questions}):
            sub = [i for i, q in enumerate(questions) if q["type"] == kind]
            by_kind[kind] = (len(sub), recall([hybrid[i] for i in sub], [questions[i] for i in sub], texts)["r@5"])

        lines += ["| ingest of the bundled corpus | value |", "|---|---|"]
        for key, value in figs.items():
            lines.append(f"| {key} | {value:.2f} |")
        lines += [
            f"| chunks | {len(chunks)} ({sum(c.kind == 'table_row' for c in chunks)} table rows) |",
            f"| mean chunk length (chars, section-aware text) | {statistics.mean(len(search_text(c)) for c in chunks):.0f} |",
            f"| peak RSS | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB |",
            "",
            f"Retrieval on {args.dataset.name}: {len(questions)} answerable questions "
            f"(fusion k={retrieve.RRF_K}, w_dense={retrieve.W_DENSE}, w_bm25={retrieve.W_BM25}, "
            f"candidates={retrieve.CANDIDATES}, tokenizer={tokens.DEFAULT_MODE})",
            "",
            "| retriever | recall@1 | recall@5 | recall@10 | MRR | p50 ms | p95 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        for mode in ("dense", "bm25", "hybrid"):
            r = rec[mode]
            lines.append(f"| {mode} | {r['r@1']:.3f} | {r['r@5']:.3f} | {r['r@10']:.3f} | {r['mrr']:.3f} | "
                         f"{lat[mode][0]:.1f} | {lat[mode][1]:.1f} |")
        lines += ["", "| question type | n | hybrid recall@5 |", "|---|---|---|"]
        lines += [f"| {k} | {n} | {r5:.3f} |" for k, (n, r5) in by_kind.items()]

        if args.tune:
            lines += ["", "BM25 tokenizer modes (recall of BM25 alone):", "",
                      "| mode | recall@1 | recall@5 | recall@10 | MRR |", "|---|---|---|---|---|"]
            for mode, r in tune_tokenizer(index, questions, texts).items():
                lines.append(f"| {mode} | {r['r@1']:.3f} | {r['r@5']:.3f} | {r['r@10']:.3f} | {r['mrr']:.3f} |")
            lines += ["", "Indexed text per chunk (recall@5 / MRR):", "",
                      "| text | dense r@5 | dense MRR | bm25 r@5 | bm25 MRR |", "|---|---|---|---|---|"]
            for name, r in tune_text(index, questions, texts).items():
                lines.append(f"| {name} | {r['dense']['r@5']:.3f} | {r['dense']['mrr']:.3f} | "
                             f"{r['bm25']['r@5']:.3f} | {r['bm25']['mrr']:.3f} |")
            grid = tune_fusion(rank, questions, texts)
            lines += ["", "Fusion grid, best 8 (w_bm25 = 1):", "",
                      "| recall@5 | MRR | recall@1 | recall@10 | k | w_dense | candidates |",
                      "|---|---|---|---|---|---|---|"]
            lines += [f"| {g[0]:.3f} | {g[1]:.3f} | {g[2]:.3f} | {g[3]:.3f} | {g[4]} | {g[5]} | {g[6]} |"
                      for g in grid[:8]]
            lines += ["", "Exact vs HNSW search (random 384-d vectors, top-50, 1 query):", "",
                      "| vectors | flat p50 ms | HNSW p50 ms |", "|---|---|---|"]
            lines += [f"| {n} | {f:.2f} | {'' if h is None else f'{h:.2f}'} |" for n, f, h in hnsw_threshold()]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    block = "\n".join(lines)
    print(block)
    args.out.write_text("# Index benchmark figures\n\nProduced by `bench/bench.py`.\n\n" + block + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main()
