"""The benchmark suites stay verified against their documents, and the split is fixed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata

from eval.splits import select, split_of
from eval.suites import SUITES, resolve


def _items(name: str) -> list[dict]:
    return [json.loads(x) for x in SUITES[name].dataset.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_plans_dev_questions_reverify_against_their_documents() -> None:
    check = SUITES["plans-dev"].dataset.parent / "check.py"
    done = subprocess.run([sys.executable, str(check)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "OK: all checks passed" in done.stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_ncpqa_evidence_is_a_verbatim_span_of_its_document() -> None:
    suite = SUITES["ncpqa-dev"]
    docs: dict[str, str] = {}
    items = _items("ncpqa-dev")
    assert len(items) == 633
    for item in items:
        assert item["metric"] == "rouge_l" and not item["unanswerable"]
        if item["doc"] not in docs:
            docs[item["doc"]] = _squash((suite.corpus / f"{item['doc']}.txt").read_text(encoding="utf-8"))
        assert _squash(item["evidence"]) in docs[item["doc"]], item["id"]


def test_every_suite_has_its_corpus_and_questions() -> None:
    for suite in resolve("all"):
        assert suite.dataset.is_file() and suite.corpus.is_dir(), suite.name
    assert [s.name for s in resolve("all")] == ["seed", "plans-dev", "ncpqa-dev"]


def test_holdout_is_about_a_third_and_ncpqa_holds_out_whole_documents() -> None:
    for name in SUITES:
        items = _items(name)
        share = len(select(items, "holdout", SUITES[name].split_by_document)) / len(items)
        assert 0.2 < share < 0.4, (name, share)
    ncpqa = _items("ncpqa-dev")
    by_doc: dict[str, set[str]] = {}
    for item in ncpqa:
        by_doc.setdefault(item["doc"], set()).add(split_of(item, by_document=True))
    assert all(len(splits) == 1 for splits in by_doc.values())
    assert select(ncpqa, "all") == ncpqa
