"""The investor's tabs in a real browser: 园区 profiles and the 项目库 filters, totals and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from web_harness import open_app, shot

from ui import web_views as views

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def project_rows(ui_server):
    from index.store import Index

    rows = Index.open(ui_server.index_dir).records.projects()
    if not rows:
        pytest.fail("the bundled index has no project rows")
    return rows


def _pick(page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id} input")
    page.locator(f"#{dropdown_id}").get_by_role("option", name=option, exact=True).click()
    # Wait for the option list to close so the next dropdown's list is the only one open.
    expect(page.get_by_role("option")).to_have_count(0)


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def test_filtering_projects_by_park_changes_count_and_total(page, ui_server, project_rows):
    open_app(page, ui_server)
    _open_tab(page, "项目库")
    summary = page.locator("#proj-summary")
    n_all, total_all, _ = views.project_total(project_rows)
    expect(summary).to_contain_text(f"共 {n_all} 个项目，总投资 {views.fmt_wan(total_all)}")

    park = views.park_names(project_rows)[0]
    chosen = views.filter_projects(project_rows, park=park)
    n, total, _ = views.project_total(chosen)
    assert 0 < n < n_all
    _pick(page, "proj-park", park)
    expect(summary).to_contain_text(f"共 {n} 个项目，总投资 {views.fmt_wan(total)}")
    # The table shows the filtered rows only (the grid counts its header row too).
    expect(page.locator("#proj-table [role=grid]")).to_have_attribute("aria-rowcount", str(n + 1))
    shot(page, "projects-filtered")

    # Narrowing to one start year keeps only that park's projects starting then.
    year = max({r.start_year for r in chosen if r.start_year})
    by_year = views.filter_projects(project_rows, park=park, year_from=year, year_to=year)
    _pick(page, "proj-year-from", str(year))
    _pick(page, "proj-year-to", str(year))
    expect(summary).to_contain_text(f"共 {len(by_year)} 个项目，总投资 {views.fmt_wan(views.project_total(by_year)[1])}")


def test_filtered_projects_download_as_csv(page, ui_server, project_rows):
    open_app(page, ui_server)
    _open_tab(page, "项目库")
    park = views.park_names(project_rows)[1]
    expected = views.filter_projects(project_rows, park=park)
    _pick(page, "proj-park", park)
    expect(page.locator("#proj-summary")).to_contain_text(f"共 {len(expected)} 个项目")
    with page.expect_download() as info:
        page.click("#proj-download")
    path = info.value.path()
    rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    assert [r["项目名称"] for r in rows] == [r.name for r in expected]
    total = sum(float(r["总投资（万元）"]) for r in rows if r["总投资（万元）"])
    assert total == pytest.approx(views.project_total(expected)[1])


def test_an_investor_opens_a_park_and_sees_its_profile_and_projects(page, ui_server, project_rows):
    from index.store import Index

    records = Index.open(ui_server.index_dir).records
    # The first park (most projects) that the documents also describe in a section of its own.
    park = next((p for p in views.park_names(project_rows) if "基本情况" in views.park_profile_md(records, p)), None)
    assert park, "no park with a profile section"
    mine = views.filter_projects(project_rows, park=park)
    open_app(page, ui_server)
    _open_tab(page, "园区")
    _pick(page, "park-pick", park)
    expect(page.locator("#park-summary")).to_contain_text(f"{park}：{len(mine)} 个项目")
    expect(page.locator("#park-profile")).to_contain_text("基本情况")
    expect(page.locator("#park-profile")).to_contain_text("第")  # each section is cited with its page
    expect(page.locator("#park-projects [role=grid]")).to_have_attribute("aria-rowcount", str(len(mine) + 1))
    expect(page.locator("#park-projects")).to_contain_text(mine[0].name)
    shot(page, "park-profile")

    page.fill("#park-question textarea", "有哪些重点项目？总投资多少？")
    page.click("#park-ask")
    expect(page.locator("#park-answer")).to_contain_text(f"问：{park}有哪些重点项目？总投资多少？")
    expect(page.locator("#park-answer strong").first).not_to_be_empty()
