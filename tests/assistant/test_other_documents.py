"""The assistant is not tied to the bundled plans: a small plan the test writes is answered the same way."""

from pathlib import Path

import pytest

DOC = """滨海市新材料产业发展“十四五”规划

一、发展目标

到2025年，全市新材料产业产值达到500亿元。

表 1 滨海市新材料产业主要指标表

类别	指标	单位	2020 年	2025 年	指标性质
经济总量	新材料产业产值	亿元	210	500	预期性
创新能力	高新技术企业数	家	35	≥60	预期性
	研发经费投入增长	%	—	—	预期性

二、保障措施

（一）加强组织领导

成立由市长任组长的领导小组。
"""


@pytest.fixture(scope="module")
def binhai(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    path = Path(tmp_path_factory.mktemp("plans")) / "binhai-materials-plan.txt"
    path.write_text(DOC, encoding="utf-8")
    return Assistant(MemoryIndex([parse_document(path)]))


def first(a: dict) -> str:
    return a["answer"].split("\n", 1)[0]


def test_abbreviated_indicator_is_read_from_the_new_table(binhai):
    a = binhai.ask("到2025年滨海市高企数量要达到多少家？")
    assert "≥60家" in first(a)
    assert any("≥60" in c["quote"] for c in a["citations"])


def test_base_year_value(binhai):
    assert "210亿元" in first(binhai.ask("滨海新材料产业产值2020年是多少"))


def test_year_beyond_the_table_abstains(binhai):
    a = binhai.ask("2030年新材料产业产值目标是多少？")
    assert a["abstained"] and first(a).startswith("文档中未找到")


def test_blank_cells_abstain(binhai):
    assert binhai.ask("滨海市研发经费投入增长2025年目标是多少？")["abstained"]


def test_open_question_answered_from_the_text(binhai):
    a = binhai.ask("滨海市领导小组组长由谁担任？")
    assert "市长" in first(a)
    assert a["citations"][0]["section"].endswith("加强组织领导")
