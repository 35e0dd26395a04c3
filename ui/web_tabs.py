"""The 园区 / 项目库 / 指标 / 文档 tabs of the web UI.

Each builder receives the gradio module (imported lazily by ui.web) and the AppState; every
handler reads the live record store so that an upload is visible without a restart, and
turns any failure into a one-line Chinese message in the page.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ui import web_views as views

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


def _projects_df(rows: list[Any], titles: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(views.project_dicts(rows, titles), columns=views.PROJECT_COLUMNS)


# ---------------------------------------------------------------- 园区


def _park_projects_df(rows: list[Any]) -> pd.DataFrame:
    """The narrower project table of the park page (the document is implied by the park)."""
    return _projects_df(rows, {})[views.PARK_PROJECT_COLUMNS]


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
                    _park_projects_df(rows), "")
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


def _on_load(gr: Any, fn: Any, inputs: list[Any], outputs: list[Any]) -> None:
    """Run `fn` when the page loads (the enclosing Blocks is the current render context)."""
    from gradio.context import Context

    blocks = Context.root_block
    if blocks is not None:
        blocks.load(fn, inputs, outputs)


# ---------------------------------------------------------------- 项目库


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
            path = views.write_projects_csv(chosen, titles, Path(tempfile.mkdtemp(dir=_DOWNLOAD_DIR)) / "projects.csv")
            return views.project_summary_md(chosen), _projects_df(chosen, titles), plot_df, str(path), ""
        except Exception as e:
            return gr.update(), gr.update(), gr.update(), gr.update(), f"筛选失败：{_one_line(e)}"

    outputs = [summary, table, plot, download, status]
    for comp in (doc, park, category, year_from, year_to):
        comp.change(update, inputs, outputs)
    text.submit(update, inputs, outputs)
    text.blur(update, inputs, outputs)

    def refresh():
        records = state.records
        rows = records.projects()
        return (
            gr.update(choices=[(views.ALL, views.ALL), *views.doc_choices(records)]),
            gr.update(choices=[views.ALL, *views.park_names(rows)]),
            gr.update(choices=[views.ALL, *sorted({r.category for r in rows if r.category})]),
            gr.update(choices=_year_choices(rows)),
            gr.update(choices=_year_choices(rows)),
        )

    if tab is not None:
        tab.select(refresh, None, [doc, park, category, year_from, year_to])
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
            headers, data = views.indicator_frame_rows(rows)
            all_rows = state.records.indicators()
            pairs = views.similar_indicators(all_rows, float(th or 70))
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
            upload = gr.Button("上传并索引", variant="primary", elem_id="upload-btn")
            report = gr.Markdown("", elem_id="upload-report")

    def show_tree(doc_id: str | None):
        if not doc_id:
            return '<div class="source-empty">请选择文档。</div>'
        try:
            return (views.profile_html(state.records.profile(doc_id))
                    + views.section_tree_html(state.records.sections(doc_id)))
        except Exception as e:
            return f'<div class="status-msg">无法读取章节：{_one_line(e)}</div>'

    def on_upload(paths: list[str] | None, current: str | None, progress: Any = gr.Progress()):
        message = ingest_uploads(state, paths, progress)
        records = state.records
        choices = views.doc_choices(records)
        value = current if any(c[1] == current for c in choices) else (choices[0][1] if choices else None)
        table = pd.DataFrame(views.documents_rows(records), columns=views.DOCUMENT_COLUMNS)
        return message, table, gr.update(choices=choices, value=value), None

    pick.change(show_tree, [pick], [tree])
    upload.click(on_upload, [files, pick], [report, docs, pick, files])
    _on_load(gr, show_tree, [pick], [tree])


def ingest_uploads(state: Any, paths: list[str] | None, progress: Any = None) -> str:
    """Copy uploaded files under safe names into the uploads folder and ingest them one by one
    (so the progress bar moves per file); returns a readable Markdown report."""
    if not paths:
        return "请先选择要上传的文件。"
    if not state.lock.acquire(blocking=False):
        return "正在索引其他文件，请稍后再试。"
    try:
        from index.store import ingest

        index_dir = state.index_dir
        upload_dir = Path(index_dir).parent / "uploads"
        upload_dir.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        saved: list[Path] = []
        for p in paths:
            src = Path(p)
            name = views.safe_filename(src.name)
            if src.suffix.lower() not in views.UPLOAD_SUFFIXES:
                lines.append(f"【失败】{name}：不支持的文件类型（支持 {'、'.join(sorted(views.UPLOAD_SUFFIXES))}）")
                continue
            size = src.stat().st_size
            if size > views.MAX_UPLOAD_BYTES:
                lines.append(f"【失败】{name}：文件过大（{size / 1048576:.1f} MB，上限 20 MB）")
                continue
            if size == 0:
                lines.append(f"【失败】{name}：文件为空")
                continue
            dest = upload_dir / name
            shutil.copyfile(src, dest)
            saved.append(dest)
        changed = False
        for i, path in enumerate(saved):
            if progress is not None:
                progress(i / max(len(saved), 1), desc=f"正在解析并索引 {path.name}（{i + 1}/{len(saved)}）")
            try:
                rep = ingest([path], index_dir, progress=False)
            except Exception as e:
                lines.append(f"【失败】{path.name}：索引失败：{_one_line(e)}")
                continue
            errors = list(getattr(rep, "errors", []) or [])
            if errors:
                lines += [f"【失败】{path.name}：{getattr(e, 'reason', None) or _one_line(e)}" for e in errors]
            for what, label in (("added", "已新增"), ("updated", "已更新"), ("skipped", "未变化，已跳过")):
                got = getattr(rep, what, None)
                if got:
                    changed = changed or what != "skipped"
                    ids = got if isinstance(got, list | tuple | set) else [path.stem]
                    lines.append(f"【完成】{path.name}：{label}（{'、'.join(map(str, ids))}）")
        if changed:
            if progress is not None:
                progress(0.95, desc="正在重新加载索引")
            state.reload()
        return "\n\n".join(lines) if lines else "没有可索引的文件。"
    except Exception as e:
        return f"【失败】上传失败：{_one_line(e)}"
    finally:
        state.lock.release()
