"""The 园区 / 项目库 / 指标 / 文档 tabs of the web UI.

Each builder receives the gradio module (imported lazily by ui.web) and the AppState; every
handler reads the live record store so that an upload is visible without a restart, and
turns any failure into a one-line Chinese message in the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from assistant.cite import paged_doc_ids
from ui import web_views as views
from ui.uploads import UPLOAD_WORKERS, ingest_uploads

_DOWNLOAD_DIR = Path(tempfile.mkdtemp(prefix="planqa-ui-"))


def _titles(records: Any) -> dict[str, str]:
    return {d["doc_id"]: d.get("title") or d["doc_id"] for d in records.documents()}


def _one_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:300]


def _year_choices(rows: list[Any]) -> list[str]:
    return [views.ALL, *[str(y) for y in sorted({r.start_year for r in rows if r.start_year})]]


# Wide text columns (name, content, progress) get the room; the rest are short codes and numbers.
PROJECT_WIDTHS = ["11%", "8%", "4%", "17%", "10%", "20%", "7%", "5%", "7%", "8%", "3%"]


def _projects_df(rows: list[Any], titles: dict[str, str], paged: set[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(views.project_dicts(rows, titles, paged), columns=views.PROJECT_COLUMNS)


# ---------------------------------------------------------------- 园区


def _park_projects_df(rows: list[Any], paged: set[str] | None = None) -> pd.DataFrame:
    """The narrower project table of the park page (the document is implied by the park)."""
    return _projects_df(rows, {}, paged)[views.PARK_PROJECT_COLUMNS]


def parks_tab(gr: Any, state: Any, tab: Any = None) -> None:
    parks = views.park_names(state.records.projects())
    with gr.Row():
        park = gr.Dropdown(parks, value=parks[0] if parks else None, label="选择园区", elem_id="park-pick", scale=2)
        park_q = gr.Textbox(label="就该园区提问", placeholder="例如：有哪些重点项目？总投资多少？",
                            elem_id="park-question", scale=3)
        park_ask = gr.Button("提问", variant="primary", elem_id="park-ask", scale=1)
    park_answer = gr.Markdown("", elem_id="park-answer")
    summary = gr.Markdown("", elem_id="park-summary")
    with gr.Row():
        with gr.Column(scale=1):
            gr.Markdown("### 园区概况（原文章节）")
            profile = gr.Markdown("", elem_id="park-profile", height=560)
        with gr.Column(scale=1):
            gr.Markdown("### 园区重点项目")
            projects = gr.Dataframe(
                _park_projects_df([]), interactive=False, wrap=True, max_height=560, elem_id="park-projects",
                column_widths=["34%", "14%", "12%", "14%", "20%", "6%"],
            )

    def show(p: str | None):
        if not p:
            return "请选择一个园区。", "", _park_projects_df([]), ""
        try:
            records = state.records
            rows = [r for r in records.projects() if views.same_park(r.park or "", p)]
            return (views.park_summary_md(records, p, records.projects()), views.park_profile_md(records, p),
                    _park_projects_df(rows, paged_doc_ids(records)), "")
        except Exception as e:
            return f"无法读取园区信息：{_one_line(e)}", "", _park_projects_df([]), ""

    def ask(p: str | None, q: str):
        q = (q or "").strip()
        if not q:
            return "请输入问题。"
        if p and views.park_core(p) not in q and p not in q:
            q = f"{p}{q}"
        try:
            result = state.ask(q)
        except Exception as e:
            return f"回答失败：{_one_line(e)}"
        return f"问：{q}\n\n" + views.answer_markdown(result)

    def refresh(p: str | None):
        names = views.park_names(state.records.projects())
        value = p if p in names else (names[0] if names else None)
        return gr.update(choices=names, value=value)

    park.change(show, [park], [summary, profile, projects, park_answer])
    park_ask.click(ask, [park, park_q], [park_answer])
    park_q.submit(ask, [park, park_q], [park_answer])
    if tab is not None:
        tab.select(refresh, [park], [park])
    _on_load(gr, show, [park], [summary, profile, projects, park_answer])


def _on_load(gr: Any, fn: Any, inputs: list[Any], outputs: list[Any], js: str | None = None) -> None:
    """Run `fn` (and/or the browser-side `js`) when the page loads (the enclosing Blocks is the
    current render context)."""
    from gradio.context import Context

    blocks = Context.root_block
    if blocks is not None:
        blocks.load(fn, inputs, outputs, js=js)


# ---------------------------------------------------------------- 项目库


def csv_name(doc: str | None, park: str | None, category: str | None, year_from: int | None,
             year_to: int | None, text: str | None) -> str:
    """`projects-<filter>.csv`: the download says which rows it holds (projects.csv when unfiltered)."""
    parts = [x for x in (doc, park, category) if x and x != views.ALL]
    if year_from is not None or year_to is not None:
        parts.append(f"{year_from or ''}-{year_to or ''}" if year_from != year_to else str(year_from))
    if (text or "").strip():
        parts.append(text.strip())
    stem = "-".join(["projects", *parts])
    return views.safe_filename(stem[:120] + ".csv")


def _project_view(gr: Any, state: Any, d: str | None, p: str | None, c: str | None, y0: Any, y1: Any,
                  t: str | None) -> tuple[Any, ...]:
    """The 项目库 tab after a filter change: (summary, table, plot, CSV download, status message)."""
    try:
        y0, y1 = (None if y in (None, "", views.ALL) else int(y) for y in (y0, y1))
        if y0 is not None and y1 is not None and y0 > y1:
            raise ValueError("开工年份的起点不能晚于终点")
        records = state.records
        titles = _titles(records)
        chosen = views.filter_projects(records.projects(), d, p, c, y0, y1, t)
        plot_df = pd.DataFrame(
            [{"park": x["园区"], "yi": x["总投资（亿元）"]} for x in views.investment_by_park(chosen)],
            columns=["park", "yi"],
        )
        name = csv_name(d, p, c, y0, y1, t)
        paged = paged_doc_ids(records)
        path = views.write_projects_csv(chosen, titles, Path(tempfile.mkdtemp(dir=_DOWNLOAD_DIR)) / name, paged)
        narrowed = y0 is not None or y1 is not None or bool((t or "").strip())
        md = views.project_summary_md(chosen, records, park=p, category=c, narrowed=narrowed)
        return md, _projects_df(chosen, titles, paged), plot_df, str(path), ""
    except Exception as e:
        return gr.update(), gr.update(), gr.update(), gr.update(), f"筛选失败：{_one_line(e)}"


def _project_choices(gr: Any, state: Any) -> tuple[Any, ...]:
    """The 项目库 filters' choices from the live records: (document, park, category, year from, year to)."""
    records = state.records
    rows = records.projects()
    return (
        gr.update(choices=[(views.ALL, views.ALL), *views.doc_choices(records)]),
        gr.update(choices=[views.ALL, *views.park_names(rows)]),
        gr.update(choices=[views.ALL, *sorted({r.category for r in rows if r.category})]),
        gr.update(choices=_year_choices(rows)),
        gr.update(choices=_year_choices(rows)),
    )


def projects_tab(gr: Any, state: Any, tab: Any = None) -> None:
    records = state.records
    rows = records.projects()
    with gr.Row():
        doc = gr.Dropdown([(views.ALL, views.ALL), *views.doc_choices(records)], value=views.ALL,
                          label="文档", elem_id="proj-doc")
        park = gr.Dropdown([views.ALL, *views.park_names(rows)], value=views.ALL, label="园区", elem_id="proj-park")
        cats = sorted({r.category for r in rows if r.category})
        category = gr.Dropdown([views.ALL, *cats], value=views.ALL, label="类别", elem_id="proj-category")
    with gr.Row():
        years = _year_choices(rows)
        year_from = gr.Dropdown(years, value=views.ALL, label="开工年份 从", elem_id="proj-year-from")
        year_to = gr.Dropdown(years, value=views.ALL, label="开工年份 到", elem_id="proj-year-to")
        text = gr.Textbox(label="搜索（名称、内容、进展）", elem_id="proj-search", scale=2)
    summary = gr.Markdown("", elem_id="proj-summary")
    table = gr.Dataframe(_projects_df([], {}), interactive=False, wrap=True, max_height=520,
                         elem_id="proj-table", column_widths=PROJECT_WIDTHS)
    with gr.Row():
        plot = gr.BarPlot(pd.DataFrame({"park": [], "yi": []}), x="park", y="yi", x_title="园区",
                          y_title="总投资（亿元）", title="各园区总投资（亿元）", sort="-y", y_lim=[0, None],
                          elem_id="proj-plot", x_label_angle=-30, scale=3)
        download = gr.DownloadButton("下载 CSV（当前筛选）", elem_id="proj-download", scale=1)
    status = gr.Markdown("", elem_classes=["status-msg"])
    inputs = [doc, park, category, year_from, year_to, text]

    def update(d, p, c, y0, y1, t):
        return _project_view(gr, state, d, p, c, y0, y1, t)

    outputs = [summary, table, plot, download, status]
    for comp in (doc, park, category, year_from, year_to):
        comp.change(update, inputs, outputs)
    text.submit(update, inputs, outputs)
    text.blur(update, inputs, outputs)

    if tab is not None:  # an upload may have added documents, parks, categories or years
        tab.select(lambda: _project_choices(gr, state), None, [doc, park, category, year_from, year_to])
    _on_load(gr, update, inputs, outputs)


# ---------------------------------------------------------------- 指标


def indicators_tab(gr: Any, state: Any, tab: Any = None) -> None:
    with gr.Row():
        doc = gr.Dropdown([(views.ALL, views.ALL), *views.doc_choices(state.records)], value=views.ALL,
                          label="文档", elem_id="ind-doc")
        text = gr.Textbox(label="搜索指标名称", elem_id="ind-search")
    table = gr.Dataframe(pd.DataFrame(), interactive=False, wrap=True, max_height=480, elem_id="ind-table")
    gr.Markdown("### 不同文档的相似指标（名称模糊匹配）")
    threshold = gr.Slider(50, 100, value=70, step=5, label="名称相似度阈值")
    similar = gr.Dataframe(pd.DataFrame(columns=views.SIMILAR_COLUMNS), interactive=False, wrap=True,
                           max_height=480, elem_id="ind-similar",
                           column_widths=["15%", "5%", "17%", "15%", "5%", "17%", "6%", "10%", "10%"])
    status = gr.Markdown("", elem_classes=["status-msg"])

    def update(d, t, th):
        try:
            rows = state.records.indicators(None if d in (None, views.ALL) else d)
            needle = (t or "").strip()
            if needle:
                rows = [r for r in rows if needle in r.name or needle in (r.group or "")]
            headers, data = views.indicator_frame_rows(rows, paged_doc_ids(state.records))
            all_rows = state.records.indicators()
            pairs = views.similar_indicators(all_rows, float(th or 70), _titles(state.records))
            if needle:
                pairs = [p for p in pairs if needle in p[0] or needle in p[3]]
            return (pd.DataFrame(data, columns=headers),
                    pd.DataFrame(pairs, columns=views.SIMILAR_COLUMNS), "")
        except Exception as e:
            return gr.update(), gr.update(), f"无法读取指标：{_one_line(e)}"

    doc.change(update, [doc, text, threshold], [table, similar, status])
    text.submit(update, [doc, text, threshold], [table, similar, status])
    threshold.release(update, [doc, text, threshold], [table, similar, status])
    if tab is not None:
        tab.select(lambda: gr.update(choices=[(views.ALL, views.ALL), *views.doc_choices(state.records)]),
                   None, [doc])
    _on_load(gr, update, [doc, text, threshold], [table, similar, status])


# ---------------------------------------------------------------- 文档


def documents_tab(gr: Any, state: Any, tab: Any = None) -> None:
    docs = gr.Dataframe(pd.DataFrame(views.documents_rows(state.records), columns=views.DOCUMENT_COLUMNS),
                        interactive=False, wrap=True, label="已索引文档", elem_id="doc-table")
    with gr.Row():
        with gr.Column(scale=3):
            choices = views.doc_choices(state.records)
            pick = gr.Dropdown(choices, value=choices[0][1] if choices else None, label="查看章节结构",
                               elem_id="doc-pick")
            tree = gr.HTML("", elem_id="doc-tree")
        with gr.Column(scale=2):
            gr.Markdown(
                "### 上传新文档\n支持 txt / md / html / docx / pdf，单个文件不超过 20 MB。"
                "上传后会解析并加入索引，问答与各表格随即可用。"
            )
            files = gr.File(label="选择文件", file_count="multiple",
                            file_types=sorted(views.UPLOAD_SUFFIXES), elem_id="upload-files")
            replace = gr.Checkbox(False, label="同名文档已存在时替换它（旧版本保留，可恢复；内置文档不可替换）",
                                  elem_id="upload-replace")
            upload = gr.Button("上传并索引", variant="primary", elem_id="upload-btn")
            report = gr.Markdown("", elem_id="upload-report")

    def show_tree(doc_id: str | None):
        if not doc_id:
            return '<div class="source-empty">请选择文档。</div>'
        try:
            return (views.profile_html(state.records.profile(doc_id))
                    + views.section_tree_html(state.records.sections(doc_id),
                                              views.has_pages(state.records.document(doc_id) or {"pages": 2})))
        except Exception as e:
            return f'<div class="status-msg">无法读取章节：{_one_line(e)}</div>'

    def on_upload(paths: list[str] | None, current: str | None, replace_same: bool, progress: Any = gr.Progress()):
        message = ingest_uploads(state, paths, progress, replace=bool(replace_same))
        records = state.records
        choices = views.doc_choices(records)
        value = current if any(c[1] == current for c in choices) else (choices[0][1] if choices else None)
        table = pd.DataFrame(views.documents_rows(records), columns=views.DOCUMENT_COLUMNS)
        return message, table, gr.update(choices=choices, value=value), None

    pick.change(show_tree, [pick], [tree])
    # uploads run in worker processes (ui.uploads): a slow one must not queue the others behind it
    upload.click(on_upload, [files, pick, replace], [report, docs, pick, files], concurrency_limit=UPLOAD_WORKERS)
    _on_load(gr, show_tree, [pick], [tree])


# ---------------------------------------------------------------- 问答: example questions


def current_examples(state: Any) -> dict[str, list[str]]:
    """Example questions per user group for the indexed corpus, each checked by asking it; cached
    until the set of documents changes (an upload shows new examples on the next page load)."""
    from assistant.examples import example_questions

    records = state.records
    key = tuple(sorted((d["doc_id"], d.get("sha256") or "") for d in records.documents()))
    cached = getattr(state, "_examples", None)
    if cached is None or cached[0] != key:
        cached = (key, example_questions(records, state.ask))
        state._examples = cached
    return cached[1]


def examples_block(gr: Any, state: Any, question: Any) -> None:
    """One clickable list of example questions per user group; a click puts it into `question`.
    The lists and the question box's placeholder are rebuilt from the corpus on every page load."""
    from assistant.examples import GROUPS, placeholder

    try:
        groups = current_examples(state)
    except Exception:  # examples are a courtesy: the chat works without them
        groups = {}
    question.placeholder = placeholder(groups)  # before the first render; page loads refresh it
    datasets = []
    for i, group in enumerate(GROUPS):
        qs = groups.get(group, [])
        ds = gr.Dataset(components=[question], samples=[[q] for q in qs] or [[""]], label=f"示例问题 · {group}",
                        elem_id=f"examples-{i}", visible=bool(qs), samples_per_page=5)
        ds.click(lambda sample: (sample or [""])[0], [ds], [question])
        datasets.append(ds)

    def refresh():
        try:
            now = current_examples(state)
        except Exception:
            now = {}
        updates = [gr.Dataset(samples=[[q] for q in now.get(g, [])] or [[""]], visible=bool(now.get(g)))
                   for g in GROUPS]
        return [*updates, gr.update(placeholder=placeholder(now))]

    _on_load(gr, refresh, [], [*datasets, question])
    _on_load(gr, None, [], [], js=views.CHAT_A11Y_JS)  # plain-text accessible labels of the messages
