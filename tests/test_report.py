"""The HTML report: self-contained, every dataset/source string escaped, and usable in a real
browser (headless Chromium via Playwright): filters, search, highlighted figures, charts."""

import copy
import shutil

import pytest

from checks.report_html import render_html

ATTACK = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'


def finding(rule, severity, document, message, quote="覆盖率达96.1%以上", value="96.1%以上", status="open", obs_id="o1"):
    start = quote.rfind(value)
    return {"rule": rule, "family": rule.split(".")[0], "severity": severity, "message": message, "document": document,
            "line": 3, "fingerprint": f"{abs(hash((rule, obs_id, message))) % 16**16:016x}", "status": status,
            "waiver": {"fingerprint": "x", "rule": rule, "reason": "accepted", "who": "steward", "when": "2026-11-22"} if status == "waived" else None,
            "evidence": {"note": message},
            "observations": [{"id": obs_id, "document": document, "line": 3, "section": "text", "indicator": "coverage", "indicator_name": "覆盖率",
                              "region": "ganzhou", "scope": "", "period": "2025", "role": "target", "value_printed": value, "unit_printed": "%",
                              "quote": quote, "figure_in_quote": [start, start + len(value)], "file": f"datasets/observations/{document}.csv", "file_line": 2}]}


REPORT = {
    "tool": {"name": "seed", "version": "0.1.0"},
    "run": {"started": "2026-11-22T00:00:00+00:00", "seconds": 1.2, "fail_on": "error", "new_only": False, "compared_with_previous": False, "failing": 1},
    "dataset": {"path": "datasets", "fingerprint": "f" * 64, "observations": 4, "indicators": 2, "documents": 2},
    "documents": [{"id": "doc-a", "title": "规划", "region": "ganzhou", "kind": "plan", "as_of": "2023", "source_file": "a.txt", "observations": 3,
                   "findings": {"error": 1, "warning": 1, "info": 0}},
                  {"id": "doc-b", "title": "报告" + ATTACK, "region": "dayu", "kind": "progress_report", "as_of": "2024", "source_file": "b.txt",
                   "observations": 1, "findings": {"error": 0, "warning": 0, "info": 1}}],
    "rules": [{"rule": "targets.worse-than-baseline", "family": "targets", "severity": "error", "summary": "A target worse than its baseline.",
               "checked": 3, "passed": 2, "failed": 1, "undecided": 1, "undecided_reasons": {"delegated": 1}, "waived": 0, "crashed": False}],
    "findings": [
        finding("targets.worse-than-baseline", "error", "doc-a", "target worse than its baseline"),
        finding("units.repeated-in-cell", "warning", "doc-a", "cell repeats its unit", quote="96%", value="96%", obs_id="o2"),
        finding("source-text.injected-text", "info", "doc-b", "injected " + ATTACK, quote="签订了《365体育投注" + ATTACK + "》达到5%", value="5%", obs_id="o3"),
    ],
    "resolved": [], "stale_waivers": [], "suites": [{"suite": "percent-range", "expectation": "expect_column_values_to_be_between", "column": "value",
                                                    "success": True, "details": "0 unexpected of 4"}],
    "schemas": [{"table": "indicators.csv", "rows": 2, "status": "passed"}],
    "series": [{"document": "doc-a", "indicator": "coverage", "name": "覆盖率", "region": "ganzhou", "scope": "", "direction": "up", "unit": "percent",
                "points": [{"id": "o0", "year": 2020, "role": "baseline", "value": 100.0, "lower": 99.5, "upper": 100.5, "printed": "100"},
                           {"id": "o1", "year": 2025, "role": "target", "value": 96.1, "lower": 96.05, "upper": None, "printed": "96.1%以上"}]}],
}


def test_self_contained_and_escaped():
    html = render_html(copy.deepcopy(REPORT))
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<mark>96.1%以上</mark>" in html


def test_an_empty_report_renders():
    empty = copy.deepcopy(REPORT)
    for key in ("documents", "rules", "findings", "resolved", "stale_waivers", "suites", "schemas", "series"):
        empty[key] = []
    assert "Validation report" in render_html(empty)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser_path:
        pytest.skip("no chromium binary (bash .ci/bootstrap --browser installs it)")
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(copy.deepcopy(REPORT)), encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.requests = requests
        yield page
        browser.close()


def visible_rules(page):
    return [card.get_attribute("data-rule") for card in page.query_selector_all(".finding") if card.is_visible()]


def test_browser_shows_the_report_and_runs_no_injected_code(page):
    assert page.evaluate("window.__pwned") is None
    assert [u for u in page.requests if not u.startswith(("file:", "data:", "about:"))] == []
    assert "FAILED" in page.inner_text("#verdict")
    assert len(visible_rules(page)) == 3 and page.inner_text("#f-count") == "Showing 3 of 3 findings"
    assert page.is_visible("mark") and page.query_selector("svg") is not None


def test_browser_filters_and_search(page):
    page.uncheck("input[name=severity][value=info]")
    page.uncheck("input[name=severity][value=warning]")
    assert visible_rules(page) == ["targets.worse-than-baseline"]
    assert page.inner_text("#f-count") == "Showing 1 of 3 findings"
    page.click("#f-reset")
    page.select_option("#f-family", "units")
    assert visible_rules(page) == ["units.repeated-in-cell"]
    page.click("#f-reset")
    page.select_option("#f-document", "doc-b")
    assert visible_rules(page) == ["source-text.injected-text"]
    page.click("#f-reset")
    page.fill("#f-search", "repeats")
    assert visible_rules(page) == ["units.repeated-in-cell"]
    page.fill("#f-search", "no such words")
    assert visible_rules(page) == [] and page.is_visible("#f-none")
    page.click("#f-reset")
    assert len(visible_rules(page)) == 3
