"""Any labelled table is read by row and column header: 稳岗补贴的补贴标准是多少 → the 稳岗补贴 row's
补贴标准 cell, quoted from its row — in a saved web page as in a plan."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>青禾市支持中小企业共渡难关的若干措施</title>
<script>var a = 1;</script></head><body><div class="nav"><a href="/">首页</a> | 政务公开 | 无障碍浏览</div>
<h1>青禾市人民政府关于支持中小企业共渡难关的若干措施</h1>
<p>为支持中小企业渡过难关，现提出以下措施。</p>
<p>一、减免房租。对承租市属国有资产类经营用房的中小企业，免收2个月房租。</p>
<p>二、稳定职工队伍。对不裁员或少裁员的中小企业，返还其上年度实际缴纳失业保险费的50%。</p>
<table><tr><th>补贴项目</th><th>补贴标准</th><th>申报时间</th></tr>
<tr><td>稳岗补贴</td><td>每人每月500元</td><td>2020年3月31日前</td></tr>
<tr><td>培训补贴</td><td>每人每次800元</td><td>2020年6月30日前</td></tr></table>
<div class="footer">主办：青禾市人民政府办公室 网站地图</div></body></html>
"""


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.memory import MemoryIndex
    from ingest.pipeline import parse_document

    path = Path(tmp_path_factory.mktemp("page")) / "notice.html"
    path.write_text(PAGE, encoding="utf-8")
    return Assistant(MemoryIndex([parse_document(path)]))


@pytest.mark.parametrize("question, cell", [
    ("稳岗补贴的补贴标准是多少？", "每人每月500元"),
    ("稳岗补贴的标准是多少？", "每人每月500元"),  # a run of the header is enough
    ("培训补贴标准是多少？", "每人每次800元"),
    ("培训补贴的申报时间是什么时候？", "2020年6月30日前"),
])
def test_the_cell_at_the_named_row_and_column_is_the_answer(notice, question, cell):
    r = notice.ask(question)
    assert not r["abstained"] and r["answer"].splitlines()[0] == cell, r["answer"]
    assert cell in r["citations"][0]["quote"]


def test_a_row_named_without_a_column_header_is_not_read_as_a_cell(notice):
    r = notice.ask("稳岗补贴有什么作用？")
    assert "列）" not in r["answer"]


def test_a_question_the_text_answers_is_not_taken_by_the_table(notice):
    r = notice.ask("青禾市对承租国有经营用房的中小企业免收几个月房租？")
    assert r["answer"].splitlines()[0] == "2个月"
