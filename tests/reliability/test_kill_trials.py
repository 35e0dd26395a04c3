"""kill -9 at a random moment of an ingest, a replacement or a removal never corrupts the index.

Each trial runs one operation in a child process and SIGKILLs it at a random point of the
operation (calibrated from an unkilled run), then checks the index: it opens, its manifest, record
store, dense and BM25 stores agree on the documents and chunks, and it still answers a known
question. `make test` runs KILL_TRIALS (3); `make soak` sets PLANQA_SOAK_TRIALS=100.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import Index, ingest

KILL_TRIALS = int(os.environ.get("PLANQA_SOAK_TRIALS", "3"))
ROOT = Path(__file__).resolve().parents[2]

PLAN_A = """测试市工业发展规划

一、发展目标
到2025年，全市规上工业总产值达到300亿元，年均增长8%。

二、重点任务
（一）发展海洋经济
建设海洋牧场示范区，推进水产品精深加工。
"""
PLAN_C = """滨海新区建设方案（第{v}版）

一、总体要求
到2022年，滨海新区地区生产总值突破{gdp}亿元。

二、保障措施
优先保障重点项目用地，新增建设用地指标向园区倾斜。{extra}
"""

CHILD = """
import sys, time
from pathlib import Path
from index.store import ingest, remove
op, index_dir, path = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
print("START", flush=True)
t0 = time.perf_counter()
if op == "remove":
    remove(Path(path).stem, index_dir)
else:
    ingest([Path(path)], index_dir, progress=False)
print(f"DONE {time.perf_counter() - t0:.3f}", flush=True)
"""


def index_problems(index_dir: Path) -> list[str]:
    """Everything that disagrees inside the index (empty: consistent)."""
    problems: list[str] = []
    try:
        idx = Index.open(index_dir)
    except Exception as e:
        return [f"does not open: {type(e).__name__}: {e}"]
    try:
        manifest = idx.manifest
        docs = {d["doc_id"] for d in idx.records.documents()}
        if set(manifest["doc_ids"]) != docs or set(manifest["files"]) != docs:
            problems.append(f"documents disagree: manifest {manifest['doc_ids']} records {sorted(docs)}")
        chunks = idx.records.chunks()
        idx.warm()
        counts = {"records": len(chunks), "manifest": manifest["counts"]["chunks"],
                  "dense": len(idx._dense), "bm25": len(idx._sparse)}
        if len(set(counts.values())) != 1:
            problems.append(f"chunk counts disagree: {counts}")
        hits = idx.search("规上工业总产值目标", k=5)
        if not any("300亿元" in h.chunk.text for h in hits):
            problems.append("known question not answered")
    except Exception as e:
        problems.append(f"{type(e).__name__}: {e}")
    finally:
        idx.close()
    return problems


def _run(op: str, index_dir: Path, path: Path, kill_after: float | None) -> float | None:
    """Run one operation in a child; kill it `kill_after` seconds into the operation (None: let it
    finish and return how long the operation took)."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, op, str(index_dir), str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "START"
    if kill_after is None:
        line = proc.stdout.readline().strip()
        proc.wait(timeout=300)
        return float(line.split()[1]) if line.startswith("DONE") else None
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return None


def _state(index_dir: Path) -> str | None:
    """Which version of plan C the index holds (None: not indexed)."""
    idx = Index.open(index_dir)
    try:
        info = idx.records.document("plan-c")
        return None if info is None else ("1" if "第1版" in (info.get("title") or "") else "2")
    finally:
        idx.close()


@pytest.mark.slow
def test_kill_9_during_ingest_replace_and_remove_never_corrupts(tmp_path, embedding_cache_dir):
    index_dir = tmp_path / "index"
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan-a.txt").write_text(PLAN_A, encoding="utf-8")
    plan_c = plans / "plan-c.txt"
    ingest([plans / "plan-a.txt"], index_dir, progress=False)

    def write_c(version: int) -> None:
        extra = "".join(f"\n（{i}）推进第{i}批园区基础设施建设。" for i in range(1, 30 * version))
        plan_c.write_text(PLAN_C.format(v=version, gdp=400 + version * 100, extra=extra), encoding="utf-8")

    write_c(1)
    durations = {"ingest": _run("ingest", index_dir, plan_c, None), "remove": None}
    durations["remove"] = _run("remove", index_dir, plan_c, None)
    assert not index_problems(index_dir)

    rng = random.Random(12)
    outcomes = []
    for trial in range(KILL_TRIALS):
        state = _state(index_dir)
        if state is None:
            op = "ingest"
            write_c(1 if trial % 2 else 2)
        elif trial % 3 == 0:
            op = "remove"
        else:
            op = "ingest"  # a replacement: the other version
            write_c(2 if state == "1" else 1)
        budget = durations["remove" if op == "remove" else "ingest"] or 1.0
        _run(op, index_dir, plan_c, rng.uniform(0, budget * 1.2))
        problems = index_problems(index_dir)
        outcomes.append((trial, op, _state(index_dir), problems))
        assert not problems, outcomes[-1]
    print(f"\nkill -9 trials: {len(outcomes)} ({sum(o[1] == 'remove' for o in outcomes)} removals), "
          f"0 corrupt indexes; operation times {durations}")
    # the index is still writable after all that
    write_c(1)
    report = ingest([plan_c], index_dir, progress=False)
    assert not report.errors and not index_problems(index_dir)
