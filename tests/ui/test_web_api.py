"""The JSON API served next to the UI: POST /api/ask and GET /api/health, over real HTTP."""

from __future__ import annotations

import statistics
import time

import pytest
from web_harness import get_json, post_json

pytestmark = pytest.mark.slow

QUESTIONS = [
    "到2025年庄河规上工业总产值目标是多少？",
    "保税区有哪些重点项目？总投资多少？",
    "庄河市研发经费投入强度目标是多少？",
    "大连高新技术产业园区的主导产业是什么？",
    "示范区重点项目库共有多少个项目？",
]


def test_server_is_ready_quickly_with_a_built_index(ui_server):
    # 10 s is the target on a free machine; the bound leaves room for a loaded CI runner.
    print(f"server ready in {ui_server.startup_s:.1f} s")
    assert ui_server.startup_s < 30


def test_health_reports_the_indexed_corpus(ui_server):
    from index.store import Index

    health = get_json(ui_server.url + "/api/health")
    docs = Index.open(ui_server.index_dir).records.documents()
    assert health["status"] == "ok"
    assert health["documents"] == len(docs) == 2
    assert health["chunks"] == sum(d["n_chunks"] for d in docs) > 0
    assert health["embedder"]


def test_ask_returns_the_answer_json_with_a_verbatim_quote(ui_server):
    status, body = post_json(ui_server.url + "/api/ask",
                             {"question": "到2025年庄河规上工业总产值目标是多少？", "mode": "auto", "top_k": 5})
    assert status == 200
    assert set(body) >= {"question", "answer", "abstained", "mode", "citations", "latency_ms"}
    assert "300" in body["answer"].split("\n")[0] and not body["abstained"]
    cite = body["citations"][0]
    assert set(cite) >= {"n", "doc_id", "doc_title", "section", "page", "quote", "chunk_id"}
    from index.store import Index

    text = Index.open(ui_server.index_dir).records.document_text(cite["doc_id"])
    assert "".join(cite["quote"].split()) in "".join(text.split())


def test_empty_question_is_answered_plainly_not_as_an_error(ui_server):
    status, body = post_json(ui_server.url + "/api/ask", {"question": "   "})
    assert status == 200 and body["abstained"] is True and body["answer"]


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"not json", "请求格式错误"),
        ({"mode": "auto"}, "question"),
        ({"question": "x", "mode": "magic"}, "mode"),
        ({"question": "x", "top_k": 0}, "top_k"),
        ({"question": "x", "top_k": "5"}, "top_k"),
    ],
)
def test_bad_requests_get_a_one_line_error(ui_server, payload, fragment):
    status, body = post_json(ui_server.url + "/api/ask", payload)
    assert status == 400
    assert fragment in body["error"] and "\n" not in body["error"] and "Traceback" not in body["error"]


def test_api_latency_is_close_to_the_assistant_own_latency(ui_server):
    """p50 over HTTP within 2x of the in-process warm p50 (plus a few ms for HTTP on tiny numbers)."""
    from assistant.assistant import Assistant

    assistant = Assistant.open(ui_server.index_dir)
    for q in QUESTIONS:  # warm both sides
        assistant.ask(q)
        post_json(ui_server.url + "/api/ask", {"question": q})
    local, remote = [], []
    for _ in range(6):  # interleaved, so a burst of load from elsewhere hits both sides alike
        for q in QUESTIONS:
            t0 = time.perf_counter()
            assistant.ask(q)
            local.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            status, _ = post_json(ui_server.url + "/api/ask", {"question": q})
            remote.append((time.perf_counter() - t0) * 1000)
            assert status == 200
    p50_local, p50_api = statistics.median(local), statistics.median(remote)
    print(f"assistant warm p50 {p50_local:.1f} ms, API p50 {p50_api:.1f} ms")
    assert p50_api <= 2 * p50_local + 5, f"API p50 {p50_api:.1f} ms vs assistant p50 {p50_local:.1f} ms"
