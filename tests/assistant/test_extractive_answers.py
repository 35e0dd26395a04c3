"""Answers from the text: the sentence that answers, its figure on the first line, quoted verbatim."""

from tests.assistant.conftest import quotes_contain, verbatim_in_source


def test_narrative_question_quotes_the_defining_sentence(ask, assistant):
    a = ask("“双核”指的是哪两个园区？")
    assert not a["abstained"]
    assert "大连经济技术开发区" in a["first"] and "大连高新技术产业园区" in a["first"]
    assert a["mode"] == "extractive"
    assert all(verbatim_in_source(assistant, c) for c in a["citations"])
    assert a["citations"][0]["section"]


def test_paragraph_year_carries_to_its_later_sentences(ask):
    a = ask("2018年大连公共财政收入多少亿元？")
    assert "704亿元" in a["first"]
    assert quotes_contain(a, "704亿元")


def test_park_fact_comes_from_the_park_section(ask):
    a = ask("长兴岛经济技术开发区规划总面积多少？")
    assert "598平方公里" in a["first"]


def test_question_about_absent_topic_abstains_with_suggestions(ask):
    a = ask("庄河市2025年人工智能产业产值目标是多少亿元？")
    assert a["abstained"]
    assert a["first"].startswith("文档中未找到")


def test_outline_question_reads_the_section_tree(ask):
    a = ask("庄河规划保障措施的第一条是什么？")
    assert "加强组织协调保障" in a["first"]
    assert "加强组织协调保障" in a["citations"][0]["quote"]
