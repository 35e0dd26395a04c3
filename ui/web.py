"""The Gradio web app and the JSON API, served by one FastAPI app.

`serve()` opens the index and the assistant, mounts `POST /api/ask` and `GET /api/health`
next to the Gradio UI and runs uvicorn. Gradio is imported only inside the functions that
build the UI so that importing ui.web stays cheap (the CLI imports it for `planqa serve`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ui import web_views as views

MODES = ("auto", "structured", "extractive", "llm")
MODE_LABELS = {"auto": "自动", "structured": "结构化记录", "extractive": "原文抽取", "llm": "大模型（LLM）"}
MAX_QUESTION_CHARS = 2000

EXAMPLES = {
    "公务员": ["到2025年规上工业总产值目标是多少？", "“十四五”期间研发经费投入强度目标是多少？"],
    "投资者": ["保税区有哪些重点项目？总投资多少？", "开发区有多少个重点项目？"],
    "评估人员": ["产业转型升级示范区重点项目库共有多少个项目？", "2025年的常住人口目标是多少？"],
}

CSS = """
.source-panel { font-size: 15px; line-height: 1.7; }
.source-title { font-weight: 700; font-size: 16px; }
.source-meta { color: #555; margin: 4px 0 8px; }
.source-text { max-height: 420px; overflow-y: auto; padding: 8px; border: 1px solid #ddd; border-radius: 6px; }
mark.quote { background: #ffe066; padding: 0 2px; }
.section-tree { max-height: 520px; overflow-y: auto; font-size: 14px; line-height: 1.6; }
.section-tree .page { color: #888; font-size: 12px; }
.section-tree .lvl1 { font-weight: 700; }
.status-msg, .status-msg * { color: #b00020 !important; }
#citation-pick .wrap { max-height: 300px; overflow-y: auto; }
"""


class AppState:
    """The live assistant, swapped for a fresh one after an upload re-indexes the corpus."""

    def __init__(self, assistant: Any, index_dir: Path | None = None):
        self.assistant = assistant
        self.index_dir = Path(index_dir) if index_dir else self._guess_index_dir(assistant)
        self.lock = threading.Lock()  # one ingest at a time

    @staticmethod
    def _guess_index_dir(assistant: Any) -> Path:
        index = getattr(assistant, "index", None)
        for attr in ("dir", "path", "index_dir", "root"):
            value = getattr(index, attr, None)
            if isinstance(value, str | Path):
                return Path(value)
        from index.store import default_index_dir

        return default_index_dir()

    @property
    def records(self) -> Any:
        return self.assistant.index.records

    def reload(self) -> None:
        from assistant.assistant import Assistant

        self.assistant = Assistant.open(self.index_dir)

    def llm_configured(self) -> bool:
        # Assistant reads its OpenAI-compatible endpoint from the environment into llm_config.
        return getattr(self.assistant, "llm_config", None) is not None

    def ask(self, question: str, mode: str = "auto", top_k: int = 5) -> dict[str, Any]:
        return self.assistant.ask(question, mode=mode, top_k=top_k)

    def health(self) -> dict[str, Any]:
        index = self.assistant.index
        docs = index.records.documents()
        manifest = getattr(index, "manifest", {}) or {}
        embedder = manifest.get("embedder") or manifest.get("embedder_id") or ""
        if isinstance(embedder, dict):
            embedder = embedder.get("id") or str(embedder)
        return {
            "status": "ok",
            "documents": len(docs),
            "chunks": sum(int(d.get("n_chunks") or 0) for d in docs),
            "embedder": str(embedder),
        }


def _as_state(assistant: Any, index_dir: Path | None) -> AppState:
    return assistant if isinstance(assistant, AppState) else AppState(assistant, index_dir)


# ---------------------------------------------------------------- UI


def build_app(assistant: Any, index_dir: Path | None = None) -> Any:
    """The Gradio Blocks of the whole UI. `assistant` is an Assistant (or an AppState);
    `index_dir` is where uploads are ingested (default: the assistant's index directory)."""
    import gradio as gr

    from ui import web_tabs

    state = _as_state(assistant, index_dir)
    with gr.Blocks(title="规划问答 planqa") as demo:
        gr.Markdown("## 规划文档问答助手\n回答给出准确数字与单位，并引用章节、页码与原文。文档中没有的内容会明确说明。")
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                _chat_tab(gr, state)
            with gr.Tab("园区", id="parks") as tab:
                web_tabs.parks_tab(gr, state, tab)
            with gr.Tab("项目库", id="projects") as tab:
                web_tabs.projects_tab(gr, state, tab)
            with gr.Tab("指标", id="indicators") as tab:
                web_tabs.indicators_tab(gr, state, tab)
            with gr.Tab("文档", id="documents") as tab:
                web_tabs.documents_tab(gr, state, tab)
    return demo


def _chat_tab(gr: Any, state: AppState) -> None:
    modes = [m for m in MODES if m != "llm" or state.llm_configured()]
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="对话", height=480, elem_id="chatbot", buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(
                    label="问题", placeholder="例如：到2025年规上工业总产值目标是多少？",
                    scale=5, elem_id="question", max_lines=4,
                )
                ask_btn = gr.Button("提问", variant="primary", scale=1, elem_id="ask-btn")
            status = gr.Markdown("", elem_id="qa-status", elem_classes=["status-msg"])
            with gr.Row():
                mode = gr.Radio(
                    [(MODE_LABELS[m], m) for m in modes], value="auto", label="回答方式", elem_id="mode",
                )
                top_k = gr.Slider(1, 20, value=5, step=1, label="检索条数 top_k")
                clear_btn = gr.Button("清空对话", size="sm")
            for group, qs in EXAMPLES.items():
                gr.Examples([[q] for q in qs], inputs=[question], label=f"示例问题 · {group}")
        with gr.Column(scale=2):
            cite_pick = gr.Radio([], label="引用（选择一条查看原文）", elem_id="citation-pick")
            source = gr.HTML(views.source_html(None, None), elem_id="source-panel")
    citations = gr.State([])

    def on_ask(q: str, m: str, k: float, history: list[dict[str, Any]]):
        history = list(history or [])
        q = (q or "").strip()
        if not q:
            return history, gr.update(), gr.update(), "请输入问题后再提问。", gr.update(), []
        if len(q) > MAX_QUESTION_CHARS:
            return (history, gr.update(), gr.update(),
                    f"问题过长（{len(q)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。", gr.update(), [])
        try:
            result = state.ask(q, mode=m or "auto", top_k=int(k or 5))
        except Exception as e:  # the UI never shows a traceback
            return history, gr.update(), gr.update(), f"回答失败：{_one_line(e)}", gr.update(), []
        history += [
            {"role": "user", "content": q},
            {"role": "assistant", "content": views.answer_markdown(result)},
        ]
        cites = result.get("citations") or []
        choices = [(views.citation_label(c), str(c.get("n"))) for c in cites]
        first = choices[0][1] if choices else None
        panel = _source_for(state, cites, first)
        return history, gr.update(choices=choices, value=first), panel, "", "", cites

    def on_pick(n: str | None, cites: list[dict[str, Any]]):
        return _source_for(state, cites, n)

    outs = [chatbot, cite_pick, source, status, question, citations]
    ask_btn.click(on_ask, [question, mode, top_k, chatbot], outs)
    question.submit(on_ask, [question, mode, top_k, chatbot], outs)
    cite_pick.change(on_pick, [cite_pick, citations], [source])
    clear_btn.click(
        lambda: ([], gr.update(choices=[], value=None), views.source_html(None, None), "", []),
        None, [chatbot, cite_pick, source, status, citations],
    )


def _source_for(state: AppState, cites: list[dict[str, Any]], n: str | None) -> str:
    chosen = next((c for c in cites or [] if str(c.get("n")) == str(n)), None)
    try:
        return views.source_html(state.records, chosen)
    except Exception as e:
        return f'<div class="status-msg">无法显示原文：{_one_line(e)}</div>'


def _one_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:300]


# ---------------------------------------------------------------- HTTP API and server


def create_app(state: AppState) -> Any:
    """The FastAPI app: JSON API routes first, the Gradio UI mounted at /."""
    import gradio as gr
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    app = FastAPI(title="planqa", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "请求格式错误：需要 JSON 对象 {\"question\": \"…\"}"}, status_code=400)

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return state.health()

    @app.post("/api/ask")
    def ask(body: dict[str, Any]) -> Any:
        # A plain def: FastAPI runs it in its thread pool, so a slow answer never blocks the UI.
        question = body.get("question")
        mode = body.get("mode", "auto") or "auto"
        top_k = body.get("top_k", 5)
        if not isinstance(question, str):
            return JSONResponse({"error": "缺少 question 字段（字符串）"}, status_code=400)
        if mode not in MODES:
            return JSONResponse({"error": f"mode 必须是 {'|'.join(MODES)} 之一"}, status_code=400)
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 50:
            return JSONResponse({"error": "top_k 必须是 1 到 50 之间的整数"}, status_code=400)
        try:
            # A JSONResponse skips FastAPI's generic encoder: the answer is plain JSON already.
            return JSONResponse(state.ask(question, mode=mode, top_k=top_k))
        except Exception as e:
            return JSONResponse({"error": f"回答失败：{_one_line(e)}"}, status_code=500)

    blocks = build_app(state)
    return gr.mount_gradio_app(
        app, blocks, path="/", css=CSS, ssr_mode=False, max_file_size=views.MAX_UPLOAD_BYTES,
        footer_links=[], mcp_server=False,
    )


def open_state(index_dir: Path | None = None) -> AppState:
    """Open the index (building the bundled corpus first if there is none) and the assistant."""
    from assistant.assistant import Assistant
    from index.store import default_index_dir

    index_dir = Path(index_dir) if index_dir else default_index_dir()
    return AppState(Assistant.open(index_dir), index_dir)


def _warm(state: AppState) -> None:
    """Load the dense/BM25 indexes and the embedder in the background so the server is up at once
    and the first question does not pay for loading them."""
    try:
        index = state.assistant.index
        if hasattr(index, "warm"):
            index.warm()
        state.ask("预热")
    except Exception:  # warming is an optimisation; a real question will report any problem
        pass


def serve(host: str = "127.0.0.1", port: int = 7860, index_dir: Path | None = None) -> None:
    import uvicorn

    state = open_state(index_dir)
    app = create_app(state)
    threading.Thread(target=_warm, args=(state,), daemon=True).start()
    print(f"planqa: http://{host}:{port}/  (API: POST /api/ask, GET /api/health)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
