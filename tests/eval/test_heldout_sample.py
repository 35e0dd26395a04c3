"""The held-out stand-in question set is well-formed and every gold answer is backed by its document.

The set (eval/data/heldout_sample.jsonl) was written independently of the dev set, straight from
the bundled documents, to estimate how the system does on unseen wording.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from eval.score import answer_matches

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "eval" / "data" / "heldout_sample.jsonl"
CORPUS = ROOT / "data" / "corpus"

DOC_IDS = ("dalian-coastal-transformation-2019", "zhuanghe-industry-tech-14th-fyp-2022")
KEYS = {"id", "question", "answers", "doc", "evidence", "type", "unanswerable"}
TYPES = {"target", "stat", "project", "park", "aggregate", "narrative", "unanswerable"}
MIN_PER_TYPE = {"target": 15, "stat": 10, "project": 30, "park": 12, "aggregate": 8, "narrative": 15,
                "unanswerable": 20}
ID_PATTERN = re.compile(r"^ho-[a-z]+-\d{3}$")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
THOUSANDS = re.compile(r"(?<=\d),(?=\d)")
RUNNING_HEADER = "大连沿海产业转型升级示范区建设方案"

ITEMS = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
ANSWERABLE = [i for i in ITEMS if not i["unanswerable"]]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_runs(raw: str) -> list[str]:
    """Whitespace-free text of each run of lines that a quote may span: a page-break line (it
    starts with a space), a running header and the page number after it each end a run."""
    runs: list[str] = []
    current: list[str] = []
    lines = [line for line in raw.split("\n") if line.strip()]
    skip_number = False
    for line in lines:
        if skip_number and line.strip().isdigit():
            skip_number = False
            continue
        skip_number = False
        if line[0] in " \u3000" or line.strip() == RUNNING_HEADER:
            runs.append("".join(current))
            current = []
            skip_number = line.strip() == RUNNING_HEADER
            continue
        current.append(_squash(line))
    runs.append("".join(current))
    return runs


@pytest.fixture(scope="module")
def raw_docs() -> dict[str, str]:
    return {d: (CORPUS / f"{d}.txt").read_text(encoding="utf-8") for d in DOC_IDS}


def _docs_of(item: dict) -> list[str]:
    return list(DOC_IDS) if item["doc"] == "both" else [item["doc"]]


def test_every_line_has_exactly_the_schema_keys_and_types() -> None:
    assert len(ITEMS) >= 140
    for item in ITEMS:
        assert set(item) == KEYS, item["id"]
        assert isinstance(item["question"], str) and item["question"].strip()
        assert isinstance(item["answers"], list) and all(isinstance(a, str) and a for a in item["answers"])
        assert isinstance(item["evidence"], str)
        assert isinstance(item["unanswerable"], bool)
        assert item["type"] in TYPES
        assert item["doc"] in (*DOC_IDS, "both", "none")


def test_ids_are_unique_and_name_their_type() -> None:
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids))
    for item in ITEMS:
        assert ID_PATTERN.match(item["id"]), item["id"]
        assert item["id"].split("-")[1] == item["type"]


def test_questions_are_not_repeated() -> None:
    questions = Counter(i["question"] for i in ITEMS)
    assert [q for q, n in questions.items() if n > 1] == []


def test_unanswerable_items_have_no_gold_and_answerable_ones_do() -> None:
    for item in ITEMS:
        if item["unanswerable"]:
            assert item["type"] == "unanswerable" and item["answers"] == [] and item["evidence"] == ""
        else:
            assert item["type"] != "unanswerable" and item["answers"] and item["evidence"]
            assert item["doc"] != "none", item["id"]


def test_the_mix_covers_every_kind_of_question() -> None:
    counts = Counter(i["type"] for i in ITEMS)
    for kind, least in MIN_PER_TYPE.items():
        assert counts[kind] >= least, (kind, counts[kind])
    assert sum(1 for i in ITEMS if i["doc"] == "both") >= 3
    assert {i["doc"] for i in ANSWERABLE} >= set(DOC_IDS)


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda i: i["id"])
def test_evidence_is_a_short_span_of_its_document(item: dict, raw_docs: dict[str, str]) -> None:
    evidence = item["evidence"]
    assert evidence == _squash(evidence)
    assert 10 <= len(evidence) <= 40
    assert any(evidence in _squash(raw_docs[d]) for d in _docs_of(item))


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda i: i["id"])
def test_evidence_does_not_cross_a_page_break_or_running_header(item: dict, raw_docs: dict[str, str]) -> None:
    assert any(item["evidence"] in run for d in _docs_of(item) for run in _page_runs(raw_docs[d]))


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda i: i["id"])
def test_every_number_of_a_gold_answer_is_in_the_evidence(item: dict) -> None:
    evidence = THOUSANDS.sub("", item["evidence"])
    for answer in item["answers"]:
        for number in NUMBER.findall(answer):
            assert number in evidence, (answer, number)


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda i: i["id"])
def test_a_plain_statement_of_the_gold_is_scored_correct(item: dict) -> None:
    assert all(answer_matches(a, f"答案是{a}。") for a in item["answers"])


def test_page_runs_split_at_page_breaks_and_headers() -> None:
    raw = f"第一行\n\n第二行\n\n 新页首行\n\n正文\n\n{RUNNING_HEADER}\n\n20\n\n下一段"
    assert _page_runs(raw) == ["第一行第二行", "正文", "下一段"]
