"""Fixtures for the web UI: the real server in a subprocess on a free port, and Debian's chromium.

The read-only server serves the shared bundled index; tests that upload documents get their own
server over a copy of it, so the shared index is never modified.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_harness import CHROMIUM, Server, start_server, stop_server


@pytest.fixture(scope="session")
def ui_server(bundled_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web app over the shared bundled index (read-only use)."""
    server = start_server(bundled_index_dir, tmp_path_factory.mktemp("ui-home"))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def upload_server(bundled_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The web app over a private copy of the bundled index, for tests that ingest uploads."""
    home = tmp_path_factory.mktemp("ui-upload-home")
    index_dir = home / "index"
    shutil.copytree(bundled_index_dir, index_dir)
    server = start_server(index_dir, home)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium (/usr/bin/chromium) is not installed: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()
