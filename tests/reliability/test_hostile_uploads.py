"""A hostile client against a live loopback server: no file disclosure, no DNS-rebinding or
cross-site access, no silent overwrite of a bundled plan, bounded request bodies.

Each test ends by checking that the index still answers a known question from the bundled corpus.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import uuid
from pathlib import Path

import pytest
from conftest import file_data, gradio_call, gradio_upload
from conftest import http as request

pytestmark = pytest.mark.slow

KNOWN_Q = "到2025年庄河规上工业总产值目标是多少？"
BUNDLED_PLAN = "dalian-coastal-transformation-2019"


def ask(url: str, question: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    status, _, body = request(url + "/api/ask", json.dumps({"question": question}).encode("utf-8"),
                           {"Content-Type": "application/json", **(headers or {})})
    return status, json.loads(body)


def health(url: str) -> dict:
    return json.loads(request(url + "/api/health")[2])


def still_answers(url: str) -> None:
    status, body = ask(url, KNOWN_Q)
    assert status == 200 and not body["abstained"] and body["citations"], body


def test_a_client_supplied_server_path_is_not_ingested(live_server, tmp_path):
    secret = tmp_path / f"secret-{uuid.uuid4().hex[:8]}.txt"
    secret.write_text("内部资料\n\n一、口令\n\n本单位的绝密测试口令为739182。\n", encoding="utf-8")
    before = health(live_server.url)["documents"]

    kind, out = gradio_call(live_server.url, "on_upload", [[file_data(str(secret))], None, False])

    assert health(live_server.url)["documents"] == before
    status, body = ask(live_server.url, "绝密测试口令是多少？")
    assert status == 200 and "739182" not in json.dumps(body, ensure_ascii=False)
    assert kind == "error" or "739182" not in json.dumps(out, ensure_ascii=False)
    still_answers(live_server.url)


def test_a_rebinding_host_header_is_refused(live_server):
    status, body = ask(live_server.url, KNOWN_Q, {"Host": "attacker.example:7860"})
    assert status == 400 and "answer" not in body
    status, _, _ = request(live_server.url + "/", headers={"Host": "attacker.example"})
    assert status == 400


def test_a_foreign_origin_gets_no_cors_and_cannot_post(live_server):
    evil = {"Origin": "http://attacker.example"}
    status, headers, _ = request(live_server.url + "/api/health", headers=evil)
    assert status == 200 and not any(h.startswith("access-control-") for h in headers)
    status, headers, _ = request(live_server.url + "/", headers=evil)
    assert "access-control-allow-origin" not in headers
    status, body = ask(live_server.url, KNOWN_Q, evil)
    assert status == 403 and "answer" not in body
    status, _, _ = request(live_server.url + "/api/ask", method="OPTIONS",
                        headers={**evil, "Access-Control-Request-Method": "POST"})
    assert status == 403
    # the page's own origin still works
    status, body = ask(live_server.url, KNOWN_Q, {"Origin": live_server.url})
    assert status == 200 and not body["abstained"]


def post_declared(url: str, declared: int, sent: bytes, chunked: bool = False) -> tuple[int, bytes]:
    """POST to /api/ask declaring `declared` bytes (or chunked) but sending only `sent`: a server
    that buffered what was announced would hang; one that checks answers at once."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/api/ask")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(declared))
    conn.endheaders()
    with contextlib.suppress(OSError):
        conn.send(b"%x\r\n%s\r\n" % (len(sent), sent) if chunked else sent)
    resp = conn.getresponse()
    out = (resp.status, resp.read())
    conn.close()
    return out


def test_oversized_bodies_and_questions_are_refused_without_echo(live_server):
    start = b'{"question": "' + "问".encode() * 30000  # 90 KB, over the 64 KB limit
    status, body = post_declared(live_server.url, 100 * 1024 * 1024, start[:65536])
    assert status == 413 and len(body) < 1000
    status, body = post_declared(live_server.url, 0, start, chunked=True)
    assert status == 413 and len(body) < 1000
    long_q = "庄河" * 2000
    status, body = ask(live_server.url, long_q)
    assert status == 400 and long_q[:600] not in json.dumps(body, ensure_ascii=False)
    still_answers(live_server.url)


def test_an_upload_named_like_a_bundled_plan_gets_a_new_id(live_server, tmp_path):
    """The reported case: a file named like the bundled plan replaced it (178 project rows -> 0)."""
    fake = tmp_path / f"{BUNDLED_PLAN}.txt"
    fake.write_text("某市测试方案\n\n一、目标\n\n到2030年，测试指标达到12.5亿元。\n", encoding="utf-8")
    kind, out = gradio_call(live_server.url, "on_upload",
                            [[file_data(gradio_upload(live_server.url, fake), fake.name)], None, True])
    assert kind == "complete", out
    report = out[0]
    assert f"{BUNDLED_PLAN}-2" in report and "内置文档不能从界面替换" in report

    manifest = json.loads((live_server.index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["files"][BUNDLED_PLAN]["source"]).parent.name == "corpus"
    assert f"{BUNDLED_PLAN}-2" in manifest["files"]
    status, body = ask(live_server.url, "产业转型升级示范区重点项目库共有多少个项目？")
    assert status == 200 and not body["abstained"], body
    still_answers(live_server.url)


def test_server_files_are_not_served_by_path(live_server, tmp_path):
    secret = tmp_path / f"secret-{uuid.uuid4().hex[:8]}.txt"
    secret.write_text("绝密测试口令为739182。", encoding="utf-8")
    for path in (str(secret), str(live_server.index_dir / "manifest.json"), "/etc/passwd"):
        status, _, body = request(f"{live_server.url}/gradio_api/file={path}")
        assert status >= 400 and b"739182" not in body and b"root:" not in body and b"embedder" not in body, path
