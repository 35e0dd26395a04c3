"""The naive llama-index baseline: same questions, same embedder, same scorer, shown beside the system."""

from __future__ import annotations

import json

import pytest

from eval.baseline import run_baseline
from eval.dataset import load_dataset
from eval.run import BASELINE_FILE, run_eval


@pytest.fixture
def small_corpus(tmp_path, sentence_of):
    """Two short plan-like documents built from sentences of the bundled Zhuanghe plan."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "targets.txt").write_text(
        "二、发展目标\n" + sentence_of("全市规上工业总产值达到300亿元") + "\n"
        + sentence_of("高新技术企业达到80家以上") + "\n", encoding="utf-8")
    (corpus / "history.txt").write_text(
        "一、发展现状\n" + sentence_of("规上企业研发投入") + "\n", encoding="utf-8")
    return corpus


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("PLANQA_HOME", str(tmp_path / "home"))


def test_baseline_answers_with_its_top_chunk_and_reports_retrieval(tiny_dataset, small_corpus, tmp_path):
    items = load_dataset(tiny_dataset)
    result = run_baseline(items, tmp_path / "out", corpus=small_corpus, progress=False)
    rows = {r["id"]: r for r in result["results"]}
    m = result["metrics"]

    assert m["n"] == 4 and m["chunks"] >= 2
    # the evidence of the first two items is in the small corpus, the tax target is not
    assert rows["zh-target-001"]["retrieval_hit@10"] and rows["zh-target-002"]["retrieval_hit@10"]
    assert rows["zh-target-003"]["retrieval_hit@10"] is False
    assert m["recall@10"] == pytest.approx(2 / 3)
    assert m["recall@1"] <= m["recall@5"] <= m["recall@10"]
    for r in rows.values():
        assert "\n" not in r["answer"] and not r["abstained"]  # one line, never abstains
    assert rows["none-001"]["correct"] is False
    stored = [json.loads(x) for x in (tmp_path / "out" / BASELINE_FILE).read_text("utf-8").splitlines()]
    assert [r["id"] for r in stored] == [it["id"] for it in items]


def test_a_stored_baseline_for_the_same_questions_is_shown_beside_the_system(
        tiny_dataset, small_corpus, scripted_assistant, tmp_path):
    out = tmp_path / "out"
    run_baseline(load_dataset(tiny_dataset), out, corpus=small_corpus, progress=False)
    run_eval(tiny_dataset, out, scripted_assistant, progress=False)
    md = (out / "report.md").read_text("utf-8")
    assert "## Baseline (naive llama-index pipeline, same questions)" in md
    assert "| recall@10 |" in md and "baseline accuracy" in md


def test_a_stored_baseline_for_other_questions_is_not_shown(tiny_dataset, small_corpus, scripted_assistant, tmp_path):
    out = tmp_path / "out"
    other = load_dataset(tiny_dataset)[:2]
    run_baseline(other, out, corpus=small_corpus, progress=False)
    run_eval(tiny_dataset, out, scripted_assistant, progress=False)
    assert "Baseline" not in (out / "report.md").read_text("utf-8")
