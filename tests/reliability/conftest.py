"""Fixtures for the reliability suite: a live server over a private copy of the bundled index,
and a small HTTP client for the Gradio call API (what a hostile page or script would use)."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
from web_harness import Server, start_server, stop_server  # noqa: E402

_RUNNING: list[Server] = []
_HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def live_server(bundled_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web app over a private copy of the bundled index, shared by this folder's tests (they may
    upload into it, so they compare counts before and after rather than absolute numbers)."""
    home = tmp_path_factory.mktemp("reliab-home")
    index_dir = home / "index"
    shutil.copytree(bundled_index_dir, index_dir)
    server = start_server(index_dir, home)
    _RUNNING.append(server)
    yield server
    if server in _RUNNING:
        _RUNNING.remove(server)
        stop_server(server)


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the shared server once the last test of this folder has run (a package scope without
    an __init__.py), so it does not take CPU from the timing tests that follow."""
    if _RUNNING and (nextitem is None or _HERE not in Path(str(nextitem.path)).resolve().parents):
        while _RUNNING:
            stop_server(_RUNNING.pop())


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def gradio_upload(url: str, path: Path) -> str:
    """Upload a file the way the browser does; returns the server-side path Gradio stored it at."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + \
        f"\r\n--{boundary}--\r\n".encode()
    status, _, out = http(url + "/gradio_api/upload", body,
                          {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=120)
    assert status == 200, out[:300]
    return json.loads(out)[0]


def file_data(server_path: str, name: str | None = None) -> dict:
    return {"path": server_path, "orig_name": name or Path(server_path).name, "meta": {"_type": "gradio.FileData"}}


def gradio_call(url: str, api_name: str, data: list, timeout: float = 300) -> tuple[str, object]:
    """Run one Gradio event through its call API: ("complete", output data) or ("error", message)."""
    status, _, out = http(f"{url}/gradio_api/call/{api_name}", json.dumps({"data": data}).encode(),
                          {"Content-Type": "application/json"})
    if status != 200:
        return "error", out.decode("utf-8", "replace")
    event_id = json.loads(out)["event_id"]
    status, _, stream = http(f"{url}/gradio_api/call/{api_name}/{event_id}", timeout=timeout)
    kind, payload = "error", None
    for line in stream.decode("utf-8", "replace").splitlines():
        if line.startswith("event: "):
            kind = line[7:].strip()
        elif line.startswith("data: ") and kind in ("complete", "error"):
            payload = json.loads(line[6:]) if line[6:].strip() not in ("", "null") else None
            if kind in ("complete", "error"):
                return kind, payload
    return kind, payload
