"""Same question, same answer: an answer must not depend on what the process did before.

A fresh Assistant answers ~100 questions; then a long-running one (the way `planqa serve` runs)
answers ~1,000 other questions first — about other places, years and parks, paraphrased, some
unanswerable — and the same ~100 again. Every answer (text, abstention, cited quotes) must be
identical. Loading a second index into the same process must not change them either (each index
tokenizes with its own jieba instance; the process-wide dictionary is never touched)."""

from __future__ import annotations

import json
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "dev.jsonl"
N_PROBES = 100
N_OTHERS = 1000


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def _others(questions: list[str], n: int) -> list[str]:
    """Other questions: the dev questions with their years shifted and words reordered."""
    out: list[str] = []
    shifts = ("2019年", "2023年", "2030年", "今年", "明年", "“十四五”期间")
    i = 0
    while len(out) < n:
        q = questions[i % len(questions)]
        k = i // len(questions)
        out.append(q if k == 0 else q.replace("2025年", shifts[k % len(shifts)]).replace("2020年", shifts[(k + 1) % len(shifts)]))
        i += 1
    return out


def _key(a: dict) -> tuple:
    return a["answer"], a["abstained"], tuple(c["quote"] for c in a["citations"])


def test_answers_do_not_depend_on_what_the_process_did_before(bundled_index_dir, tmp_path):
    import jieba

    from assistant.assistant import Assistant
    from index.store import Index, ingest

    questions = _questions()
    probes = questions[::max(1, len(questions) // N_PROBES)][:N_PROBES]
    fresh = Assistant(Index.open(bundled_index_dir))
    before = [_key(fresh.ask(q)) for q in probes]

    global_cut = jieba.lcut("沿海产业转型升级示范区重点项目库")
    # another index in the same process (a one-document corpus with its own domain words)
    other_dir = tmp_path / "other"
    src = sorted((Path(__file__).resolve().parents[2] / "data" / "corpus").glob("*"))[:1]
    ingest(src, other_dir, progress=False)
    other = Assistant(Index.open(other_dir))
    other.ask(probes[0])

    running = Assistant(Index.open(bundled_index_dir))
    for q in _others(questions, N_OTHERS):
        running.ask(q)
    after = [_key(running.ask(q)) for q in probes]
    changed = [q for q, b, a in zip(probes, before, after, strict=True) if a != b]
    assert not changed, changed[:5]
    assert jieba.lcut("沿海产业转型升级示范区重点项目库") == global_cut  # the global dictionary is untouched


_ASK_SCRIPT = """
import json, sys
from assistant.assistant import Assistant
from index.store import Index
a = Assistant(Index.open(sys.argv[1]))
qs = json.loads(sys.argv[2])
print(json.dumps([[a.ask(q)["answer"], a.ask(q)["abstained"]] for q in qs], ensure_ascii=False))
"""


def test_answers_do_not_depend_on_the_process_hash_seed(bundled_index_dir):
    # set iteration order changes with PYTHONHASHSEED: no answer may depend on it
    import os
    import subprocess
    import sys

    probes = _questions()[::17][:20]
    root = Path(__file__).resolve().parents[2]
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        res = subprocess.run([sys.executable, "-c", _ASK_SCRIPT, str(bundled_index_dir), json.dumps(probes)],
                             capture_output=True, text=True, env=env, cwd=root, timeout=600)
        assert res.returncode == 0, res.stderr[-2000:]
        outs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    changed = [q for q, a, b in zip(probes, outs[0], outs[1], strict=True) if a != b]
    assert not changed, changed
