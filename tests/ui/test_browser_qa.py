"""The 问答 tab in a real browser: answers with citations, the source panel, readable errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web_harness import BOT, ask_in_chat, open_app, post_json, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_a_civil_servant_gets_the_figure_with_a_citation(page, ui_server):
    question = "到2025年庄河规上工业总产值目标是多少？"
    open_app(page, ui_server)
    ask_in_chat(page, question)
    bubble = page.locator(BOT).last
    first_line = bubble.locator("strong").first.inner_text()
    _, api = post_json(ui_server.url + "/api/ask", {"question": question})
    assert _squash(first_line) == _squash(api["answer"].split("\n")[0])
    assert "[1]" in bubble.inner_text()
    assert re.search(r"用时：[\d.]+ ms", bubble.inner_text())
    # The first citation is opened at once, its quote marked in the source panel.
    mark = page.locator("#source-panel mark.quote").first
    mark.wait_for()
    assert _squash(mark.inner_text()) == _squash(api["citations"][0]["quote"])
    assert api["citations"][0]["doc_title"] in page.locator("#source-panel").inner_text()
    shot(page, "qa-answer")


def test_choosing_another_citation_shows_its_source(page, ui_server):
    question = "保税区有哪些重点项目？总投资多少？"
    _, api = post_json(ui_server.url + "/api/ask", {"question": question})
    cites = api["citations"]
    if len(cites) < 2:
        pytest.skip(f"the assistant cites {len(cites)} source(s) for this question")
    open_app(page, ui_server)
    ask_in_chat(page, question)
    last = cites[-1]
    page.locator("#citation-pick label").nth(len(cites) - 1).click()
    page.wait_for_function(
        "t => document.querySelector('#source-panel .source-title').innerText.startsWith(t)", arg=f"[{last['n']}]"
    )
    panel = page.locator("#source-panel").inner_text()
    assert last["section"].split(" > ")[-1] in panel
    assert _squash(page.locator("#source-panel mark.quote").first.inner_text()) == _squash(last["quote"])
    shot(page, "qa-second-citation")


def test_an_empty_question_gets_a_readable_message(page, ui_server):
    open_app(page, ui_server)
    page.click("#ask-btn")
    status = page.locator("#qa-status")
    status.get_by_text("请输入问题").wait_for()
    assert page.locator(BOT).count() == 0
    assert "Traceback" not in page.locator("body").inner_text()
    shot(page, "qa-empty-question")


def test_example_questions_are_offered_for_each_user_group(page, ui_server):
    open_app(page, ui_server)
    page.locator("#examples-2 button").first.wait_for()
    body = page.locator("body").inner_text()
    for group in ("公务员", "投资者", "评估人员"):
        assert f"示例问题 · {group}" in body
    example = page.locator("#examples-1 button").first
    text = example.inner_text().strip()
    assert text.endswith("？")
    example.click()
    expect(page.locator("#question textarea")).to_have_value(text)
