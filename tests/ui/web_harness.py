"""Helpers for the web UI tests: start the real server in a subprocess, talk to it, drive the page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
STARTUP_TIMEOUT_S = 90
BOT = '#chatbot [data-testid="bot"]'  # one per assistant message


@dataclass
class Server:
    url: str
    index_dir: Path
    log: Path
    startup_s: float
    proc: subprocess.Popen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 30) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


def post_json(url: str, body: object, timeout: float = 60) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode("utf-8"))


def start_server(index_dir: Path, home: Path) -> Server:
    port = _free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    env = dict(os.environ, PLANQA_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    code = "import sys; from ui.web import serve; serve('127.0.0.1', int(sys.argv[1]), sys.argv[2])"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(port), str(index_dir)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            get_json(url + "/api/health", timeout=2)
            break
        except OSError:
            if time.perf_counter() - t0 > STARTUP_TIMEOUT_S:
                proc.terminate()
                raise RuntimeError(f"server not ready in {STARTUP_TIMEOUT_S}s:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.2)
    return Server(url, index_dir, log, time.perf_counter() - t0, proc)


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


def shot(page: object, name: str) -> Path:
    """Keep a full-page screenshot under test-artifacts/ui/ for a human to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_app(page: object, server: Server) -> None:
    page.goto(server.url + "/")
    page.wait_for_selector("#question textarea")


def ask_in_chat(page: object, question: str) -> None:
    before = page.locator(BOT).count()
    page.fill("#question textarea", question)
    page.click("#ask-btn")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot [data-testid=bot]').length > n", arg=before, timeout=60_000
    )
