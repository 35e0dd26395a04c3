"""The Gradio web app and the JSON API, served by one FastAPI app.

`serve()` opens the index and the assistant, mounts `POST /api/ask` and `GET /api/health`
next to the Gradio UI and runs uvicorn. Gradio is imported only inside the functions that
build the UI so that importing ui.web stays cheap (the CLI imports it for `planqa serve`).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from assistant.query import MAX_QUESTION_CHARS  # the UI, the API and the assistant agree on one limit
from ingest.limits import normalise
from ui import uploads
from ui import web_views as views
from ui.guard import MAX_BODY_BYTES, HostGuard, allowed_hosts, is_loopback

MODES = ("auto", "structured", "extractive", "llm")
MODE_LABELS = {"auto": "自动", "structured": "结构化记录", "extractive": "原文抽取", "llm": "大模型（LLM）"}

CSS = """
.source-panel { font-size: 15px; line-height: 1.7; }
.source-title { font-weight: 700; font-size: 16px; }
.source-meta { color: #555; margin: 4px 0 8px; }
.source-text { max-height: 420px; overflow-y: auto; padding: 8px; border: 1px solid #ddd; border-radius: 6px; }
mark.quote { background: #ffe066; padding: 0 2px; }
mark.figure { background: #ff9f1c; font-weight: 700; outline: 2px solid #d9480f; padding: 0 2px; }
.row-table { border-collapse: collapse; margin: 0 0 10px; font-size: 14px; width: 100%; }
.row-table caption { text-align: left; color: #555; font-size: 13px; padding-bottom: 4px; }
.row-table th, .row-table td { border: 1px solid #ddd; padding: 2px 6px; vertical-align: top; text-align: left; }
.row-table th { background: #f4f4f4; white-space: nowrap; width: 1%; }
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
        self.lock = threading.BoundedSemaphore(uploads.UPLOAD_WORKERS)  # upload worker slots
        self.upload_root: Path | None = None  # None: Gradio's upload folder (ui.uploads)
        self._reload_lock = threading.Lock()

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

        with self._reload_lock:  # two uploads finishing together open the index once each, in turn
            self.assistant = Assistant.open(self.index_dir)

    def llm_configured(self) -> bool:
        # Assistant reads its OpenAI-compatible endpoint from the environment into llm_config.
        return getattr(self.assistant, "llm_config", None) is not None

    def ask(self, question: str, mode: str = "auto", top_k: int = 5) -> dict[str, Any]:
        # the same normalisation as documents get: no stage below sees a lone surrogate
        return self.assistant.ask(normalise(question)[0] if isinstance(question, str) else question,
                                  mode=mode, top_k=top_k)

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
    from ui import web_tabs
    from ui.web_source import SCROLL_TO_MARK_JS

    modes = [m for m in MODES if m != "llm" or state.llm_configured()]
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="对话", height=480, elem_id="chatbot", buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(
                    label="问题", placeholder="请输入关于已索引文档的问题",
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
            web_tabs.examples_block(gr, state, question)
        with gr.Column(scale=2):
            cite_pick = gr.Radio([], label="引用（选择一条查看原文）", elem_id="citation-pick")
            source = gr.HTML(views.source_html(None, None), elem_id="source-panel")
    citations = gr.State([])

    def on_ask(q: str, m: str, k: float, history: list[dict[str, Any]]):
        return _answer_turn(gr, state, q, m, k, history)

    def on_pick(n: str | None, cites: list[dict[str, Any]]):
        return _source_for(state, cites, n)

    outs = [chatbot, cite_pick, source, status, question, citations]
    ask_btn.click(on_ask, [question, mode, top_k, chatbot], outs).then(None, js=SCROLL_TO_MARK_JS)
    question.submit(on_ask, [question, mode, top_k, chatbot], outs).then(None, js=SCROLL_TO_MARK_JS)
    cite_pick.change(on_pick, [cite_pick, citations], [source]).then(None, js=SCROLL_TO_MARK_JS)
    clear_btn.click(
        lambda: ([], gr.update(choices=[], value=None), views.source_html(None, None), "", []),
        None, [chatbot, cite_pick, source, status, citations],
    )


def _answer_turn(gr: Any, state: AppState, q: str, m: str, k: float,
                 history: list[dict[str, Any]]) -> tuple[Any, ...]:
    """One question in the chat: (chat history, citation choices, source panel, status message,
    question box, citations). A question the assistant must not see is refused here with a message."""
    from assistant.cite import citation_labels
    from ui.web_source import answer_figures

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
    records = state.records
    history += [
        {"role": "user", "content": q},
        {"role": "assistant", "content": views.answer_markdown(result, records)},
    ]
    figures = answer_figures(result.get("answer") or "")
    cites = [dict(c, _figures=figures) for c in result.get("citations") or []]
    choices = list(zip(citation_labels(cites, records), (str(c.get("n")) for c in cites), strict=True))
    first = choices[0][1] if choices else None
    panel = _source_for(state, cites, first)
    return history, gr.update(choices=choices, value=first), panel, "", "", cites


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


def create_app(state: AppState, hosts: set[str] | None = None) -> Any:
    """The FastAPI app: JSON API routes first, the Gradio UI mounted at /, behind the Host/Origin
    guard (`hosts`: the allowed Host names, default ui.guard.allowed_hosts())."""
    import gradio as gr
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.concurrency import run_in_threadpool

    app = FastAPI(title="planqa", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "请求格式错误：需要 JSON 对象 {\"question\": \"…\"}"}, status_code=400)

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return state.health()

    async def ask(request: Any) -> Any:
        # a plain Starlette route: the body is read here, with its size bounded, not by FastAPI
        body = await _read_body(request)
        if body is None:
            return JSONResponse({"error": f"请求体过大（上限 {MAX_BODY_BYTES // 1024} KB）"}, status_code=413)
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return JSONResponse({"error": "请求格式错误：需要 JSON 对象 {\"question\": \"…\"}"}, status_code=400)
        problem = _ask_problem(data)
        if problem:
            return JSONResponse({"error": problem}, status_code=400)
        try:
            # in the thread pool, so a slow answer never blocks the UI or other requests
            result = await run_in_threadpool(state.ask, data["question"], data.get("mode") or "auto",
                                             data.get("top_k", 5))
            # A JSONResponse skips FastAPI's generic encoder: the answer is plain JSON already.
            return JSONResponse(result)
        except Exception as e:
            return JSONResponse({"error": f"回答失败：{_one_line(e)}"}, status_code=500)

    app.router.add_route("/api/ask", ask, methods=["POST"])

    blocks = build_app(state)
    app = gr.mount_gradio_app(
        app, blocks, path="/", css=CSS, ssr_mode=False, max_file_size=uploads.MAX_UPLOAD_BYTES,
        footer_links=[], mcp_server=False,
    )
    # Gradio checks that a file handed to an event was uploaded (is in its upload folder) only once
    # the Blocks "has launched", which mounting never sets: without this a client could name any
    # server file as an upload.
    blocks.has_launched = True
    app.add_middleware(HostGuard, hosts=hosts if hosts is not None else allowed_hosts())
    return app


async def _read_body(request: Any) -> bytes | None:
    """The request body, or None as soon as it is over MAX_BODY_BYTES (never buffered past it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def _ask_problem(data: dict[str, Any]) -> str | None:
    """Why an /api/ask body is refused (never echoing the question), or None."""
    question, mode, top_k = data.get("question"), data.get("mode", "auto") or "auto", data.get("top_k", 5)
    if not isinstance(question, str):
        return "缺少 question 字段（字符串）"
    if len(question.strip()) > MAX_QUESTION_CHARS:
        return f"问题过长（{len(question.strip())} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。"
    if mode not in MODES:
        return f"mode 必须是 {'|'.join(MODES)} 之一"
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 50:
        return "top_k 必须是 1 到 50 之间的整数"
    return None


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


class ExposureRefused(Exception):
    """Binding to a non-loopback address without saying so explicitly."""


def serve(host: str = "127.0.0.1", port: int = 7860, index_dir: Path | None = None,
          allow_remote: bool = False) -> None:
    import uvicorn

    if not is_loopback(host):
        if not allow_remote:
            raise ExposureRefused(
                f"refusing to listen on {host}: other machines could reach the server (and upload to it). "
                "Pass --allow-remote to do so on purpose, behind a reverse proxy with authentication "
                "(README: Security and limits)."
            )
        print(f"planqa: WARNING: listening on {host}: anyone who can reach this address can ask and upload; "
              "put it behind an authenticating reverse proxy. Accepted Host names: "
              f"{', '.join(sorted(allowed_hosts(host)))} (add more with PLANQA_ALLOWED_HOSTS).", flush=True)
    state = open_state(index_dir)
    app = create_app(state, allowed_hosts(host))
    threading.Thread(target=_warm, args=(state,), daemon=True).start()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=_announce, args=(server, host, port), daemon=True).start()
    server.run()


def _announce(server: Any, host: str, port: int) -> None:
    """Print the URL once the server accepts connections (not before: a user who opens it at
    once must not get "connection refused")."""
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.05)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    print(f"planqa: 已就绪 http://{shown}:{port}/  （API：POST /api/ask，GET /api/health）", flush=True)
