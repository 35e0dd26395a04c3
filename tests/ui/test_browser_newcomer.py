"""What a new user meets first, in a real browser: examples from the corpus, citations a person can
follow, totals with their story, a CSV named after its filter, a reply to a vague question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from web_harness import BOT, ask_in_chat, open_app, shot

from ui import web_totals as totals
from ui import web_views as views

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_PARK = "测试新材料园区"
NEW_ROWS = 60  # more rows than any park of the bundled corpus: its park becomes the first example


def _docx(path: Path) -> Path:
    """A plan as a word processor saves it: no page information, numbered headings, a project table."""
    import docx

    d = docx.Document()
    d.add_heading("测试市新材料产业发展规划", 0)
    for line in ("一、发展目标", "（一）总体目标", "到2030年，测试市新材料产业总产值达到987.6亿元，年均增长12%。",
                 "（二）园区建设", f"建设{NEW_PARK}，规划面积15平方公里。", "二、重点项目", "表1 测试市新材料重点项目表"):
        d.add_paragraph(line)
    headers = ["序号", "项目名称", "园区", "建设内容", "建设年限", "总投资（万元）", "进展"]
    table = d.add_table(rows=NEW_ROWS + 1, cols=len(headers))
    for c, h in enumerate(headers):
        table.cell(0, c).text = h
    for r in range(1, NEW_ROWS + 1):
        cells = [str(r), f"新材料示范工程{r}号", NEW_PARK, f"建设生产线{r}条", "2026-2028", str(1000 + r), "前期工作"]
        for c, v in enumerate(cells):
            table.cell(r, c).text = v
    d.save(path)
    return path


def _first_example(page) -> str:
    """The first example of group 0 once the page load has filled it in: the lists are refreshed from
    the corpus on load, so a button can exist for a moment before its text does."""
    first = page.locator("#examples-0 button").first
    expect(first).to_have_text(re.compile(r"\S"), timeout=60_000)
    return first.inner_text().strip()


def _examples(page) -> list[str]:
    _first_example(page)
    return [b.inner_text().strip() for i in range(3) for b in page.locator(f"#examples-{i} button").all()]


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def _pick(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id} input")
    page.locator(f"#{dropdown_id}").get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("option")).to_have_count(0)


def test_examples_change_with_the_corpus_and_a_docx_cites_paragraphs_not_pages(page, upload_server, tmp_path):
    open_app(page, upload_server)
    before = _examples(page)
    assert len(before) >= 4 and not any(NEW_PARK in q for q in before)
    expect(page.locator("#question textarea")).to_have_attribute("placeholder", f"例如：{before[0]}")

    _open_tab(page, "文档")
    page.set_input_files("#upload-files input[type=file]", str(_docx(tmp_path / "test-plan.docx")))
    page.click("#upload-btn")
    expect(page.locator("#upload-report")).to_contain_text("已新增", timeout=120_000)
    expect(page.locator("#doc-table")).to_contain_text("无分页")  # a DOCX has no pages to count

    open_app(page, upload_server)  # a new page load shows the examples of the new corpus
    expect(page.locator("#examples-1")).to_contain_text(NEW_PARK, timeout=60_000)
    after = _examples(page)
    assert after != before
    assert f"{NEW_PARK}有哪些重点项目？总投资多少？" in after
    shot(page, "newcomer-examples-after-upload")

    ask_in_chat(page, "测试市新材料产业总产值到2030年达到多少？")
    expect(page.locator(BOT).last.locator("strong").first).to_contain_text("987.6")
    label = page.locator("#citation-pick label").first.inner_text()
    assert "一、发展目标 > （一）总体目标" in label and "第1段" in label, label
    assert "第1页" not in label and "页" not in label
    meta = page.locator("#source-panel .source-meta").inner_text()
    assert "第1段" in meta and "页" not in meta
    expect(page.locator("#source-panel mark.figure").first).to_have_text("987.6")
    shot(page, "newcomer-docx-citation")


def test_a_table_row_citation_shows_the_row_with_headers_and_marks_the_figure(page, ui_server):
    open_app(page, ui_server)
    question = _first_example(page)  # an indicator row with its year
    assert re.match(r"到\d{4}年.+的目标是多少？", question), question
    ask_in_chat(page, question)
    first = page.locator(BOT).last.locator("strong").first.inner_text()
    figure = page.locator("#source-panel .row-table mark.figure").first
    figure.wait_for()
    assert figure.inner_text() in first
    headers = page.locator("#source-panel .row-table th").all_inner_texts()
    assert "指标" in headers and "单位" in headers and any(re.fullmatch(r"\d{4}年", h) for h in headers)
    year = re.search(r"((?:19|20)\d{2})年", first)
    if year and f"{year.group(1)}年" in headers:  # only the cell of the year the answer names is marked
        marked = page.locator("#source-panel .row-table tr:has(mark.figure) th").all_inner_texts()
        assert marked == [f"{year.group(1)}年"], marked
    assert page.locator("#source-panel .source-text mark.quote mark.figure").count() >= 1
    # the marked figure is scrolled into the visible part of the source text
    page.wait_for_function("""() => { const m = document.querySelector('#source-panel .source-text mark.figure');
        const box = document.querySelector('#source-panel .source-text');
        if (!m || !box) return false;
        const a = m.getBoundingClientRect(), b = box.getBoundingClientRect();
        return a.top >= b.top && a.bottom <= b.bottom; }""")
    shot(page, "newcomer-row-citation")


def test_a_park_whose_list_and_summary_table_differ_shows_both_and_why(page, ui_server):
    from index.store import Index

    records = Index.open(ui_server.index_dir).records
    rows, summary = records.projects(), records.summary_rows()
    differing = []
    for park in views.park_names(rows):
        mine = [r for r in rows if views.same_park(r.park or "", park)]
        comp = totals.compare(park, mine, rows, summary, views.same_park, lambda r: r.park)
        if comp.differs and comp.reasons:
            differing.append(comp)
    if not differing:
        pytest.skip("no park of this corpus has a stated total that differs from its rows")
    comp = differing[0]
    open_app(page, ui_server)
    _open_tab(page, "园区")
    _pick(page, "park-pick", comp.label)
    box = page.locator("#park-summary")
    expect(box).to_contain_text(f"{comp.label}：{comp.count} 个项目")
    expect(box).to_contain_text(f"{comp.stated.count} 个项目")
    expect(box).to_contain_text("两者不一致")
    expect(box).to_contain_text("差异：")
    shot(page, "newcomer-park-stated-vs-computed")

    _open_tab(page, "项目库")
    _pick(page, "proj-park", comp.label)
    expect(page.locator("#proj-summary")).to_contain_text("两者不一致")
    with page.expect_download() as info:
        page.click("#proj-download")
    assert info.value.suggested_filename == f"projects-{comp.label}.csv"
    shot(page, "newcomer-projects-park-filter")


def test_project_list_shows_stated_total_and_says_when_a_filter_leaves_nothing(page, ui_server):
    open_app(page, ui_server)
    _open_tab(page, "项目库")
    expect(page.locator("#proj-summary")).to_contain_text("逐项计算")
    expect(page.locator("#proj-summary")).to_contain_text("文档所列总计")
    page.fill("#proj-search textarea", "不存在的项目名称甲乙丙")
    page.press("#proj-search textarea", "Enter")
    expect(page.locator("#proj-summary")).to_contain_text("没有符合当前筛选条件的项目")
    shot(page, "newcomer-projects-empty-filter")


def test_indicator_comparison_names_documents_by_title(page, ui_server):
    from index.store import Index

    docs = Index.open(ui_server.index_dir).records.documents()
    open_app(page, ui_server)
    _open_tab(page, "指标")
    similar = page.locator("#ind-similar")
    expect(similar).to_contain_text(docs[0]["title"])
    body = similar.inner_text()
    assert not any(d["doc_id"] in body for d in docs)


def test_a_vague_question_gets_a_request_for_detail_with_examples(page, ui_server):
    open_app(page, ui_server)
    ask_in_chat(page, "发展得怎么样？")
    bubble = page.locator(BOT).last
    expect(bubble).to_contain_text("问题不够具体")
    expect(bubble).to_contain_text("例如：")
    label = bubble.get_attribute("aria-label") or ""
    page.wait_for_function("() => (document.querySelector('#chatbot [data-testid=bot]').getAttribute('aria-label') || '').startsWith('助手回答：')")
    label = bubble.get_attribute("aria-label")
    assert "问题不够具体" in label and "**" not in label and "<" not in label
    shot(page, "newcomer-vague-question")
