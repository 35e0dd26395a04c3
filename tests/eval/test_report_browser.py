"""report.html renders in a real browser (Debian chromium via Playwright) with every plot loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.run import run_eval

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (make browser-deps)"),
]


def test_report_html_shows_the_summary_and_all_plots_in_chromium(tiny_dataset, scripted_assistant, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "out"
    summary = run_eval(tiny_dataset, out, scripted_assistant, progress=False)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "eval-report.png"

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((out / "report.html").as_uri())
            page.wait_for_load_state("load")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
            summary_text = page.inner_text("#summary")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()

    assert len(widths) == 4 and all(w > 0 for w in widths), widths
    assert summary_text == summary.line()
    assert shot.stat().st_size > 10_000
