"""Evaluation runs on its own index of the suite's corpus: uploads to the live index change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from eval.isolated import corpus_digest, eval_index
from eval.run import run_eval
from eval.suite_run import run_suites
from eval.suites import SUITES, Suite

NCPQA = SUITES["ncpqa-dev"]


def _small_ncpqa(tmp_path: Path, n_docs: int = 3) -> tuple[Path, Path]:
    """A corpus of the `n_docs` shortest NCPQA documents with questions, and those questions."""
    items = [json.loads(x) for x in NCPQA.dataset.read_text(encoding="utf-8").splitlines() if x.strip()]
    sizes = {d: (NCPQA.corpus / f"{d}.txt").stat().st_size for d in {it["doc"] for it in items}}
    docs = sorted(sizes, key=lambda d: (sizes[d], d))[:n_docs]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for d in docs:
        shutil.copy(NCPQA.corpus / f"{d}.txt", corpus / f"{d}.txt")
    dataset = tmp_path / "questions.jsonl"
    dataset.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items if it["doc"] in docs),
                       encoding="utf-8")
    return corpus, dataset


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedding_cache_dir: Path) -> Path:
    monkeypatch.setenv("PLANQA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _results(out: Path) -> list[dict]:
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{k: r[k] for k in ("id", "answer", "abstained", "correct", "rouge_l")} for r in rows]


def test_an_upload_to_the_live_index_leaves_every_score_unchanged(home: Path, tmp_path: Path) -> None:
    from index.store import default_index_dir, ingest

    corpus, dataset = _small_ncpqa(tmp_path)
    before = run_eval(dataset, tmp_path / "a", corpus=corpus, progress=False)
    # a user uploads a document restating every gold answer into the live index
    items = [json.loads(x) for x in dataset.read_text(encoding="utf-8").splitlines()]
    upload = tmp_path / "upload" / "uploaded-notice.txt"
    upload.parent.mkdir()
    upload.write_text("关于答复的通知\n" + "\n".join(f"{it['question']}答：{it['answers'][0]}" for it in items),
                      encoding="utf-8")
    assert not ingest([upload], default_index_dir(), progress=False).errors
    after = run_eval(dataset, tmp_path / "b", corpus=corpus, progress=False)
    assert _results(tmp_path / "a") == _results(tmp_path / "b")
    assert before.line().split(" p50_ms")[0] == after.line().split(" p50_ms")[0]
    cited = {c["doc_id"] for r in map(json.loads, (tmp_path / "b" / "results.jsonl").read_text("utf-8").splitlines())
             for c in r["citations"]}
    assert "uploaded-notice" not in cited
    assert before.rouge_l == before.rouge_l  # not nan: the items carry the rouge_l metric


def test_the_eval_index_is_reused_until_the_corpus_changes(home: Path, tmp_path: Path) -> None:
    corpus, _ = _small_ncpqa(tmp_path, n_docs=1)
    first = eval_index(corpus, progress=False)
    assert first.parent.parent == home / "eval-index"
    stamp = (first.parent / "eval-corpus.json").stat().st_mtime_ns
    assert eval_index(corpus, progress=False) == first
    assert (first.parent / "eval-corpus.json").stat().st_mtime_ns == stamp  # not rebuilt
    digest = corpus_digest(corpus)
    doc = next(corpus.iterdir())
    doc.write_text(doc.read_text(encoding="utf-8") + "\n附件：无", encoding="utf-8")
    assert corpus_digest(corpus) != digest
    second = eval_index(corpus, progress=False)
    assert second != first and not first.exists()  # the stale index of the same folder is dropped


def test_suite_all_prints_one_prefixed_summary_line_per_suite(home: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, dataset = _small_ncpqa(tmp_path, n_docs=2)
    seed = [json.loads(x) for x in SUITES["seed"].dataset.read_text(encoding="utf-8").splitlines()][:4]
    seed_file = tmp_path / "seed.jsonl"
    seed_file.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in seed), encoding="utf-8")
    monkeypatch.setattr("eval.suite_run.resolve", lambda names: [
        Suite("seed", seed_file, SUITES["seed"].corpus), Suite("ncpqa-dev", dataset, corpus, True)])
    lines = run_suites("all", tmp_path / "out", baseline=False, progress=False)
    assert [line.split(":")[0] for line in lines] == ["seed", "ncpqa-dev"]
    assert lines[0].endswith("rouge_l=nan") and "rouge_l=nan" not in lines[1]
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Misses: seed" in report and "## Misses: ncpqa-dev" in report
    assert (tmp_path / "out" / "ncpqa-dev" / "results.jsonl").is_file()
