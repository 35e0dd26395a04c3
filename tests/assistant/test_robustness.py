"""Bad input gets a clear one-line answer with abstained=true, never a traceback."""

import pytest


@pytest.mark.parametrize("question,expected", [
    ("", "问题为空"),
    ("   \n\t ", "问题为空"),
    ("问" * 100_000, "问题过长（100000字）"),
    ("What is the 2025 output target?", "请用中文提问"),
])
def test_bad_questions_abstain_with_a_message(ask, question, expected):
    a = ask(question)
    assert a["abstained"] is True
    assert a["first"].startswith(expected)
    assert a["citations"] == []
    assert a["latency_ms"] >= 0


def test_non_string_question_does_not_raise(assistant):
    a = assistant.ask(None)  # type: ignore[arg-type]
    assert a["abstained"] and a["answer"].startswith("问题为空")


def test_unknown_mode_is_explained(ask):
    a = ask("保税区有哪些项目？", mode="magic")
    assert a["abstained"] and "未知的回答模式" in a["first"]


def test_answer_json_has_the_design_fields_plus_the_citation_label(ask):
    a = ask("到2025年庄河规上工业总产值要达到多少？")
    a.pop("first")
    assert set(a) == {"question", "answer", "abstained", "mode", "citations", "latency_ms"}
    assert a["mode"] in {"structured", "extractive", "llm"}
    for c in a["citations"]:
        # DESIGN.md's fields, extended by `label` (where a reader finds the quote)
        assert set(c) == {"n", "doc_id", "doc_title", "section", "page", "quote", "chunk_id", "label"}


def test_warm_answers_are_fast(ask):
    qs = ["到2025年庄河规上工业总产值要达到多少？", "保税区有哪些重点项目？", "“双核”指的是哪两个园区？"]
    for q in qs:
        ask(q)
    times = sorted(ask(q)["latency_ms"] for q in qs * 3)
    assert times[len(times) // 2] < 500  # generous: CI machines are shared; the target is 50 ms
