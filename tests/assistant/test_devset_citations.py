"""Over the whole dev set: first-line figures are quoted, and quotes are the source's own text."""

import json
from pathlib import Path

import pytest

from assistant.cite import unsupported_numbers
from tests.assistant.conftest import verbatim_in_source

DEV = Path(__file__).resolve().parents[2] / "eval" / "data" / "dev.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not DEV.is_file(), reason="eval/data/dev.jsonl not written yet")
def test_every_first_line_number_is_quoted_and_every_quote_is_verbatim(assistant):
    items = [json.loads(x) for x in DEV.read_text(encoding="utf-8").splitlines() if x.strip()]
    unquoted, not_verbatim = [], []
    for it in items:
        a = assistant.ask(it["question"])
        first = a["answer"].split("\n", 1)[0]
        assert len(first) <= 200 or a["abstained"], first
        if not a["abstained"]:
            bad = unsupported_numbers(first, [c["quote"] for c in a["citations"]])
            if bad:
                unquoted.append((it["id"], first, bad))
        not_verbatim += [(it["id"], c["quote"]) for c in a["citations"] if not verbatim_in_source(assistant, c)]
        if a["abstained"]:
            assert first.startswith(("文档中未找到", "问题", "请用中文")), first
    assert not unquoted, unquoted[:5]
    assert not not_verbatim, not_verbatim[:5]
