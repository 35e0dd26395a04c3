"""`planqa eval` end to end on a tiny dataset with a scripted assistant: outputs, metrics, errors."""

from __future__ import annotations

import json
import re

import pytest

from eval.dataset import DatasetError, default_dataset, load_dataset
from eval.run import main_eval, run_eval

SUMMARY = re.compile(
    r"^accuracy=\d\.\d{3} citation=\d\.\d{3} refusal=\d\.\d{3} false_refusal=\d\.\d{3} "
    r"recall@5=\d\.\d{3} p50_ms=\d+\.\d p95_ms=\d+\.\d n=\d+ rouge_l=(nan|\d\.\d{3})$"
)


def test_run_eval_scores_every_question_by_the_design_rules(tiny_dataset, scripted_assistant, tmp_path):
    out = tmp_path / "out"
    summary = run_eval(tiny_dataset, out, scripted_assistant, progress=False)

    rows = {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text("utf-8").splitlines())}
    assert [rows[i]["correct"] for i in ("zh-target-001", "zh-target-002", "zh-target-003", "none-001")] == [
        True, False, False, True]
    assert rows["zh-target-001"]["citation_ok"] and rows["zh-target-002"]["citation_ok"]
    assert rows["zh-target-003"]["citation_ok"] is False  # abstained: a citation failure
    assert rows["none-001"]["citation_ok"] is None  # nothing to cite
    assert [rows[i]["retrieval_hit@5"] for i in ("zh-target-001", "zh-target-002", "zh-target-003")] == [
        True, True, False]
    assert rows["zh-target-001"]["first_line"] == "规上工业总产值目标是三百亿元。"
    for row in rows.values():
        assert {"id", "type", "correct", "citation_ok", "abstained", "latency_ms", "answer", "citations",
                "question", "answers", "retrieval_hit@5"} <= row.keys()

    assert (summary.accuracy, summary.refusal, summary.n) == (0.5, 1.0, 4)
    assert summary.citation == pytest.approx(2 / 3)
    assert summary.false_refusal == pytest.approx(1 / 3)
    assert summary.recall5 == pytest.approx(2 / 3)
    assert SUMMARY.match(summary.line())
    assert "accuracy=0.500 citation=0.667 refusal=1.000 false_refusal=0.333 recall@5=0.667" in summary.line()


def test_run_eval_writes_markdown_and_html_reports_with_embedded_plots(tiny_dataset, scripted_assistant, tmp_path):
    out = tmp_path / "out"
    summary = run_eval(tiny_dataset, out, scripted_assistant, progress=False)
    md = (out / "report.md").read_text("utf-8")
    page = (out / "report.html").read_text("utf-8")
    assert summary.line() in md and summary.line() in page
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', page)) == 4
    for name in ("accuracy_by_type", "citation_by_type", "latency", "abstention"):
        assert (out / "plots" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"plots/{name}.png" in md
    # the wrong answers are listed with question, gold and first line
    assert "到2025年庄河高新技术企业数目标是多少？" in page and "≥80家" in page and "高新技术企业达到80家。" in page
    assert "| stat | 1 | 0.000 |" in md  # per-type table


def test_main_eval_prints_the_summary_line_last(tiny_dataset, scripted_assistant, tmp_path, capsys):
    code = main_eval(str(tiny_dataset), str(tmp_path / "out"), None, baseline=False, assistant=scripted_assistant)
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert SUMMARY.match(lines[-1]), lines[-1]


def test_a_crashing_assistant_makes_a_wrong_answer_not_a_failed_run(tiny_dataset, scripted_assistant, tmp_path):
    scripted_assistant._replies.pop("到2025年庄河规上工业税收目标是多少？")
    summary = run_eval(tiny_dataset, tmp_path / "out", scripted_assistant, progress=False)
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()]
    crashed = next(r for r in rows if r["id"] == "zh-target-003")
    assert not crashed["correct"] and crashed["error"].startswith("KeyError")
    assert summary.n == 4


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"id": "x", "question": "问题", "answers": ["1"]', "not valid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "x", "answers": ["1"], "type": "target"}', "missing field 'question'"),
        ('{"id": "x", "question": "问题", "answers": "300亿元", "type": "target"}', "'answers' must be a list"),
        ('{"id": "x", "question": "问题", "answers": ["1"], "type": "guess"}', "field 'type' must be one of"),
        ('{"id": "x", "question": "问题", "answers": [], "type": "target", "unanswerable": false}',
         "needs at least one entry"),
        ('{"id": "zh-target-001", "question": "问题", "answers": ["1"], "type": "target"}', "duplicate id"),
    ],
)
def test_a_malformed_dataset_line_is_a_clear_error_naming_the_line(tiny_dataset, tmp_path, bad_line, reason, capsys):
    bad = tmp_path / "bad.jsonl"
    lines = tiny_dataset.read_text("utf-8").splitlines()
    bad.write_text("\n".join([lines[0], "", bad_line, *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=rf"bad\.jsonl:3: .*{re.escape(reason)}"):
        load_dataset(bad)
    code = main_eval(str(bad), str(tmp_path / "out"), None, baseline=False, assistant=object())
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "bad.jsonl:3:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_dataset_file_is_a_clear_error(tmp_path, capsys):
    assert main_eval(str(tmp_path / "nope.jsonl"), str(tmp_path / "out"), None, assistant=object()) == 2
    assert "dataset file not found" in capsys.readouterr().err


def test_the_default_dataset_is_resolved_through_the_package():
    path = default_dataset()
    assert path.name == "dev.jsonl" and path.parent.name == "data" and path.parent.parent.name == "eval"


def test_a_retrieved_table_row_counts_through_its_source_span():
    """Table-row chunks are re-rendered with headers; the evidence is source text, found in the span."""
    from eval.run import ChunkTexts
    from eval.score import evidence_in
    from ingest.model import Chunk

    source = "表 1：评估指标表\n地区生产总值 亿元 7363.9 7668.5 ——\n"
    row = Chunk(id="d:table_row:1", doc_id="d", doc_title="t", kind="table_row", section="表 1",
                text="表1 评估指标表 | 质量效益 | 地区生产总值 | 单位 亿元 | 2017年 7363.9 | 2018年 7668.5",
                page_start=1, page_end=1, start=source.index("地区"), end=source.index("——") + 2)

    class Records:
        def document_text(self, doc_id):
            return source

        def chunk(self, chunk_id):
            return row if chunk_id == row.id else None

    class Index:
        records = Records()

    texts = ChunkTexts(Index())
    evidence = "地区生产总值亿元7363.97668.5"
    assert not evidence_in(evidence, [row.text])
    assert evidence_in(evidence, [texts.of(row)])
    assert texts.lookup(row.id) == texts.of(row) and texts.lookup("nope") is None
    assert not evidence_in("评估指标表地区生产总值", [texts.of(row)])  # no match across the two texts
