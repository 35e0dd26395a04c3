"""Example questions come from the indexed records; a question that names nothing gets a request
to be more specific, with examples, instead of an unrelated sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.examples import GROUPS, example_questions, is_vague, placeholder, vague_reply
from ingest.model import FactRecord, IndicatorRow, ProjectRow

ROOT = Path(__file__).resolve().parents[2]


class _Records:
    def __init__(self, indicators, projects, facts=None):
        self._i, self._p, self._f = indicators, projects, facts

    def indicators(self, doc_id=None):
        return self._i

    def projects(self, doc_id=None):
        return self._p

    def summary_rows(self, doc_id=None):
        return []

    def documents(self):
        return [{"doc_id": "plan", "title": "某市某规划"}]

    def __getattr__(self, name):
        if name == "facts" and self._f is not None:
            return lambda doc_id=None: self._f
        raise AttributeError(name)


def _ind(name: str, values: dict[str, str], table: str = "表1 主要目标指标") -> IndicatorRow:
    return IndicatorRow("plan", table, None, name, "%", values, None, 3)


def _proj(name: str, park: str, wan: float) -> ProjectRow:
    return ProjectRow("plan", "附件 项目库", None, 1, name, park, None, None, 2024, 2026, wan, None, 9)


def test_examples_are_written_from_the_records_and_change_with_them():
    a = _Records([_ind("森林覆盖率", {"2020": "40", "2025": "42"})], [_proj("北湖大桥", "北湖新区", 1200)])
    b = _Records([_ind("城镇化率", {"2022": "60", "2027": "65"})], [_proj("南山隧道", "南山园区", 900)])
    ex_a, ex_b = example_questions(a), example_questions(b)
    assert ex_a["公务员"][0] == "到2025年森林覆盖率的目标是多少？"
    assert "北湖新区有哪些重点项目？总投资多少？" in ex_a["投资者"]
    assert "北湖大桥的总投资是多少？" in ex_a["投资者"]
    assert any("2051年" in q for q in ex_a["评估人员"])  # a year no document reaches: unanswerable
    assert ex_b["公务员"][0] == "到2027年城镇化率的目标是多少？" and ex_a != ex_b
    assert placeholder(ex_a) == "例如：到2025年森林覆盖率的目标是多少？"


def test_a_prose_target_becomes_an_example_when_fact_records_exist():
    fact = FactRecord("plan", "地区生产总值增长", "6", "%", "左右", "2026", "profile", "target", None, "一、", 2, "…")
    ex = example_questions(_Records([_ind("森林覆盖率", {"2025": "42"})], [], facts=[fact]))
    assert ex["公务员"] == ["到2025年森林覆盖率的目标是多少？", "到2026年地区生产总值增长的目标是多少？"]


def test_sentence_fragments_and_past_years_do_not_become_examples():
    def fact(measure: str, year: str) -> FactRecord:
        return FactRecord("plan", measure, "1", "%", None, year, "sentence", "target", None, "一、", 2, "…")

    facts = [fact("批复面积", "1984"), fact("服务业占GDP比重由", "2025"), fact("2013年提高到2018年的", "2018"),
             fact("城镇化率", "2030")]
    ex = example_questions(_Records([], [], facts=facts))
    assert ex["公务员"] == ["到2030年城镇化率的目标是多少？"]


def test_examples_are_kept_only_when_the_assistant_agrees():
    records = _Records([_ind("森林覆盖率", {"2025": "42"}), _ind("城镇化率", {"2025": "65"})], [])
    answered = {"到2025年城镇化率的目标是多少？"}
    ex = example_questions(records, ask=lambda q: {"abstained": q not in answered and "2050" not in q})
    assert ex["公务员"] == ["到2025年城镇化率的目标是多少？"]
    assert set(ex) <= set(GROUPS)


def test_questions_that_name_nothing_are_vague():
    for q in ("发展得怎么样？", "目标是多少？", "进展如何", "情况怎么样啊"):
        assert is_vague(q), q
    for q in ("有哪些重点项目？", "投资多少？", "森林覆盖率是多少", "GDP增速", "2025年呢", "What is it?"):
        assert not is_vague(q), q


def test_no_development_question_is_taken_for_a_vague_one():
    from eval.splits import select

    suites = {"dev": "eval/data/dev.jsonl", "plans-dev": "eval/data/plans-dev/questions.jsonl",
              "ncpqa-dev": "eval/data/ncpqa-dev/questions.jsonl"}
    for suite, rel in suites.items():
        path = ROOT / rel
        if not path.exists():
            continue
        items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        items = select(items, "dev", by_document=(suite == "ncpqa-dev"))
        assert not [i["question"] for i in items if is_vague(i["question"])], suite


def test_the_vague_reply_offers_examples_from_the_corpus():
    lines = vague_reply("发展得怎么样？", _Records([_ind("森林覆盖率", {"2025": "42"})], []))
    assert lines[0].startswith("问题不够具体")
    assert "到2025年森林覆盖率的目标是多少？" in lines[1]
    assert vague_reply("森林覆盖率是多少？", _Records([], [])) is None


@pytest.mark.slow
def test_the_assistant_asks_for_a_more_specific_question(bundled_index):
    from assistant.assistant import Assistant

    result = Assistant(bundled_index).ask("发展得怎么样？")
    assert result["abstained"] and result["citations"] == []
    first, second = result["answer"].split("\n")[:2]
    assert first.startswith("问题不够具体") and second.startswith("例如：")
