"""Uploading a document in the 文档 tab makes it answerable at once; bad files get readable errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from web_harness import BOT, ask_in_chat, get_json, open_app, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = """测试市新材料产业发展规划

一、发展目标

（一）总体目标

到2030年，测试市新材料产业总产值达到987.6亿元，年均增长12%。

二、重点任务

（一）建设新材料产业园

建设测试市石墨烯产业园，规划面积15平方公里。
"""


def test_an_uploaded_plan_is_indexed_and_answerable(page, upload_server, tmp_path):
    plan = tmp_path / "测试市 新材料规划.txt"
    plan.write_text(PLAN, encoding="utf-8")
    before = get_json(upload_server.url + "/api/health")["documents"]

    open_app(page, upload_server)
    page.get_by_role("tab", name="文档", exact=True).click()
    page.set_input_files("#upload-files input[type=file]", str(plan))
    page.click("#upload-btn")
    report = page.locator("#upload-report")
    expect(report).to_contain_text("已新增", timeout=120_000)
    expect(report).to_contain_text("测试市_新材料规划.txt")  # the stored name is sanitised
    expect(page.locator("#doc-table")).to_contain_text("测试市_新材料规划")
    shot(page, "upload-done")
    assert get_json(upload_server.url + "/api/health")["documents"] == before + 1

    page.get_by_role("tab", name="问答", exact=True).click()
    ask_in_chat(page, "测试市新材料产业总产值到2030年达到多少？")
    answer = page.locator(BOT).last
    expect(answer.locator("strong").first).to_contain_text("987.6")
    expect(page.locator("#source-panel mark").first).to_contain_text("987.6")
    shot(page, "upload-answer")


def test_an_empty_upload_is_reported_by_name_in_the_page(page, upload_server, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    open_app(page, upload_server)
    page.get_by_role("tab", name="文档", exact=True).click()
    page.set_input_files("#upload-files input[type=file]", str(empty))
    page.click("#upload-btn")
    expect(page.locator("#upload-report")).to_contain_text("empty.txt：文件为空")
    assert "Traceback" not in page.locator("body").inner_text()


def test_uploading_without_a_file_asks_for_one(page, upload_server):
    open_app(page, upload_server)
    page.get_by_role("tab", name="文档", exact=True).click()
    page.click("#upload-btn")
    expect(page.locator("#upload-report")).to_contain_text("请先选择要上传的文件")
