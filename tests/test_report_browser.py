"""The HTML report as a reader sees it in headless Chromium: filters, search, escaping, charts, no network."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import sync_playwright  # noqa: E402

from checks.report_html import render_html  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium binary (CI installs one; Playwright's own browsers are never downloaded)", allow_module_level=True)

PWN = "<script>window.__pwned=1</script>"


def obs(id, document, quote, figure):
    start = quote.index(figure)
    return {"id": id, "document": document, "line": 5, "section": "text", "indicator": "share", "indicator_name": "Forest share",
            "region": "r1", "scope": "", "period": "2025", "role": "target", "value_printed": figure, "unit_printed": "%",
            "quote": quote, "figure_in_quote": [start, start + len(figure)], "file": f"datasets/observations/{document}.csv", "file_line": 6}


def finding(rule, severity, document, message, observations, status="open"):
    return {"rule": rule, "family": rule.split(".")[0], "severity": severity, "message": message, "observations": observations,
            "evidence": {"rule": rule}, "document": document, "line": 5, "fingerprint": rule[:8], "status": status, "waiver": None}


REPORT = {
    "tool": {"name": "seed", "version": "0.1.0"},
    "run": {"started": "2026-11-22T00:00:00+00:00", "seconds": 0.3, "fail_on": "error", "new_only": False,
            "compared_with_previous": False, "failing": 1},
    "dataset": {"path": "datasets", "fingerprint": "ab" * 32, "observations": 4, "indicators": 1, "documents": 2},
    "documents": [{"id": "plan", "title": "The plan", "region": "r1", "kind": "plan", "as_of": "2023", "source_file": "a.txt",
                   "observations": 3, "findings": {"error": 1, "warning": 1, "info": 0}},
                  {"id": "report", "title": "The report", "region": "r1", "kind": "progress_report", "as_of": "2024",
                   "source_file": "b.txt", "observations": 1, "findings": {"error": 0, "warning": 0, "info": 1}}],
    "rules": [],
    "findings": [
        finding("targets.worse-than-baseline", "error", "plan", "target worse than its baseline",
                [obs("plan-1", "plan", "baseline 100 in 2020", "100"), obs("plan-2", "plan", "reach 96.1% by 2025", "96.1%")]),
        finding("units.repeated-in-cell", "warning", "plan", "the cell repeats its unit", [obs("plan-3", "plan", "96 % %", "96")]),
        finding("source-text.injected-text", "info", "report", "injected advertising in the source",
                [obs("report-1", "report", f"signed {PWN} the 5% compact", "5%")]),
    ],
    "resolved": [], "stale_waivers": [], "suites": [], "schemas": [],
    "series": [{"document": "plan", "indicator": "share", "name": "Forest share", "region": "r1", "scope": "", "direction": "up",
                "unit": "percent", "points": [
                    {"id": "plan-1", "year": 2020, "role": "baseline", "value": 100.0, "lower": 99.5, "upper": 100.5, "printed": "100"},
                    {"id": "plan-2", "year": 2025, "role": "target", "value": 96.1, "lower": 96.05, "upper": 96.15, "printed": "96.1%"}]}],
}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(REPORT), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.goto(path.as_uri())
        if os.environ.get("SEED_SCREENSHOT") == "1":
            out = Path(__file__).resolve().parent.parent / "reports" / "screenshot.png"
            out.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
        yield page
        browser.close()


@pytest.fixture
def reset(page):
    yield page
    page.click("#f-reset")


def visible(page) -> list[str]:
    return [el.get_attribute("data-rule") for el in page.query_selector_all(".finding") if el.is_visible()]


def count(page) -> str:
    return page.inner_text("#f-count")


def test_header_and_content(page):
    assert "validation report" in page.title()
    header = page.inner_text("header.top")
    assert "seed 0.1.0" in header and "ab" * 32 in header and "2026-11-22T00:00:00+00:00" in header
    assert "1 failing finding at or above error" in page.inner_text("#verdict")
    assert len(visible(page)) == 3 and count(page) == "Showing 3 of 3 findings"
    assert page.locator("mark").first.is_visible()
    assert page.locator("mark").first.inner_text() == "100"
    assert page.locator("svg.chart").count() == 1 and page.locator("svg.chart").is_visible()
    assert page.locator("svg.chart circle.worse").count() == 1


def test_injected_script_did_not_run(page):
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert PWN in page.inner_text("[data-rule='source-text.injected-text'] blockquote")


def test_no_network_requests(page):
    assert page.requests, "the page itself was requested"
    assert [u for u in page.requests if not u.startswith(("file://", "data:", "about:"))] == []


def test_severity_filter(reset):
    page = reset
    page.uncheck("input[name=severity][value=warning]")
    page.uncheck("input[name=severity][value=info]")
    assert visible(page) == ["targets.worse-than-baseline"]
    assert count(page) == "Showing 1 of 3 findings"
    page.check("input[name=severity][value=info]")
    assert visible(page) == ["targets.worse-than-baseline", "source-text.injected-text"]
    assert count(page) == "Showing 2 of 3 findings"


def test_family_filter(reset):
    page = reset
    page.select_option("#f-family", "units")
    assert visible(page) == ["units.repeated-in-cell"] and count(page) == "Showing 1 of 3 findings"


def test_document_filter(reset):
    page = reset
    page.select_option("#f-document", "plan")
    assert visible(page) == ["targets.worse-than-baseline", "units.repeated-in-cell"]
    page.select_option("#f-document", "report")
    assert visible(page) == ["source-text.injected-text"]


def test_search_box(reset):
    page = reset
    page.fill("#f-search", "REPEATS")  # message, case-insensitive
    assert visible(page) == ["units.repeated-in-cell"]
    page.fill("#f-search", "window.__pwned")  # quote text
    assert visible(page) == ["source-text.injected-text"]
    page.fill("#f-search", "worse-than")  # rule id
    assert visible(page) == ["targets.worse-than-baseline"]
    page.fill("#f-search", "no such words")
    assert visible(page) == [] and count(page) == "Showing 0 of 3 findings" and page.is_visible("#f-none")
