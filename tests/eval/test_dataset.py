"""The dev evaluation set is well-formed and every gold answer is backed by the bundled documents."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "eval" / "data" / "dev.jsonl"
BUILDER = ROOT / "eval" / "data" / "build_dev.py"
CORPUS = ROOT / "data" / "corpus"

DOC_IDS = {"dalian-coastal-transformation-2019", "zhuanghe-industry-tech-14th-fyp-2022"}
KEYS = {"id", "question", "answers", "doc", "evidence", "type", "unanswerable"}
TYPES = {"target", "stat", "project", "park", "aggregate", "narrative", "unanswerable"}
MIN_PER_TYPE = {"unanswerable": 30, "project": 60, "target": 30, "stat": 30, "park": 20,
                "aggregate": 15, "narrative": 15}
ID_PATTERN = re.compile(r"^[a-z]+(-[a-z]+)*-\d{3}$")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _items() -> list[dict]:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ITEMS = _items()
ANSWERABLE = [i for i in ITEMS if not i["unanswerable"]]


@pytest.fixture(scope="module")
def stripped_docs() -> dict[str, str]:
    return {d: re.sub(r"\s+", "", (CORPUS / f"{d}.txt").read_text(encoding="utf-8")) for d in DOC_IDS}


def _numbers(text: str) -> list[str]:
    # "30,000" in the source and "30000" in a gold answer are the same figure.
    return NUMBER.findall(text.replace(",", ""))


def test_every_line_is_a_json_object_with_exactly_the_schema_keys():
    for raw in DATASET.read_text(encoding="utf-8").splitlines():
        item = json.loads(raw)
        assert isinstance(item, dict)
        assert set(item) == KEYS, item.get("id")


def test_field_types_and_allowed_values():
    for item in ITEMS:
        assert ID_PATTERN.match(item["id"]), item["id"]
        assert isinstance(item["question"], str) and item["question"].strip(), item["id"]
        assert isinstance(item["answers"], list), item["id"]
        assert all(isinstance(a, str) and a.strip() for a in item["answers"]), item["id"]
        assert item["doc"] in DOC_IDS | {"both", "none"}, item["id"]
        assert isinstance(item["evidence"], str), item["id"]
        assert item["type"] in TYPES, item["id"]
        assert isinstance(item["unanswerable"], bool), item["id"]


def test_ids_are_unique():
    duplicated = [k for k, n in Counter(i["id"] for i in ITEMS).items() if n > 1]
    assert duplicated == []


def test_the_set_is_large_enough_and_covers_every_question_type():
    assert len(ITEMS) >= 250
    counts = Counter(i["type"] for i in ITEMS)
    for kind, minimum in MIN_PER_TYPE.items():
        assert counts[kind] >= minimum, (kind, counts[kind])


def test_both_documents_are_covered():
    docs = Counter(i["doc"] for i in ANSWERABLE)
    assert all(docs[d] >= 50 for d in DOC_IDS), docs
    assert docs["both"] >= 3


def test_unanswerable_items_have_no_gold_and_answerable_items_have_gold():
    for item in ITEMS:
        if item["unanswerable"]:
            assert item["type"] == "unanswerable", item["id"]
            assert item["answers"] == [] and item["evidence"] == "", item["id"]
        else:
            assert item["type"] != "unanswerable", item["id"]
            assert item["answers"], item["id"]
            assert item["evidence"], item["id"]
            assert item["doc"] != "none", item["id"]


def test_gold_answers_are_short_enough_for_a_first_line_match():
    for item in ANSWERABLE:
        assert all(len(a) <= 60 for a in item["answers"]), item["id"]


def test_evidence_has_no_whitespace_and_is_a_short_span():
    for item in ANSWERABLE:
        assert not re.search(r"\s", item["evidence"]), item["id"]
        assert 2 <= len(item["evidence"]) <= 80, item["id"]


def test_evidence_is_verbatim_source_text(stripped_docs):
    for item in ANSWERABLE:
        docs = DOC_IDS if item["doc"] == "both" else {item["doc"]}
        assert any(item["evidence"] in stripped_docs[d] for d in docs), item["id"]


def test_numeric_gold_answers_appear_in_their_evidence():
    # Evidence has its whitespace removed, so table cells run together ("万元225043895732986");
    # a gold figure is backed when each of its numbers occurs inside the evidence text.
    for item in ANSWERABLE:
        numeric = [a for a in item["answers"] if _numbers(a)]
        if not numeric:
            continue
        evidence = item["evidence"].replace(",", "")
        # A gold answer quoted verbatim (e.g. "四个" beside "4个") backs the item too.
        backed = [a for a in item["answers"] if a in item["evidence"]]
        backed += [a for a in numeric if all(n in evidence for n in _numbers(a))]
        assert backed, (item["id"], item["answers"], item["evidence"])


def test_questions_are_not_repeated():
    repeated = [q for q, n in Counter(i["question"] for i in ITEMS).items() if n > 1]
    assert repeated == []


def test_dataset_is_what_the_builder_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_dev", BUILDER)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    records = [builder.to_record(i) for i in builder.ITEMS]
    assert builder.check(records, builder.stripped_corpus()) == []
    assert records == ITEMS
