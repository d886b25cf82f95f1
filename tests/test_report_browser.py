"""The HTML report as a reader sees it in headless Chromium, at desktop (1280 px) and phone
(390 px) widths: filters, search, the per-rule limit, the CSV/JSON download, the language,
bidi isolation (a right-to-left override in a quote leaves the report's text in order), no
horizontal page scroll, no network, no injected script. One browser for the module; screenshots
go to /tmp/seed-report-desktop.png and /tmp/seed-report-phone.png."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import sync_playwright

from checks.report_html import render_html
from checks.settings import Settings, in_use

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("no chromium binary (CI installs one; Playwright's own browsers are never downloaded)", allow_module_level=True)

PWN = "<script>window.__pwned=1</script>"
RLO = "\u202e"
SCREENSHOTS = {"desktop": Path("/tmp/seed-report-desktop.png"), "phone": Path("/tmp/seed-report-phone.png")}
WIDTHS = {"desktop": 1280, "phone": 390}


def obs(id, document, quote, figure, **extra):
    start = quote.index(figure)
    return {"id": id, "document": document, "line": 5, "section": "text", "indicator": "share", "indicator_name": "森林覆盖率",
            "region": "r1", "scope": "", "period": "2025", "role": "target", "value_printed": figure, "unit_printed": "%",
            "quote": quote, "figure_in_quote": [start, start + len(figure)], "file": f"datasets/observations/{document}.csv", "file_line": 6,
            **extra}


def finding(rule, severity, document, message, observations, status="open", evidence=None, waiver=None, fingerprint=None):
    return {"rule": rule, "family": rule.split(".")[0], "severity": severity, "message": message, "observations": observations,
            "evidence": evidence or {}, "document": document, "line": 5, "fingerprint": fingerprint or rule[:8], "status": status,
            "waiver": waiver}


LONG_QUOTE = "地表水国家考核断面水质优良比例" * 30 + "96.3%以上" + "x" * 400
FLAT = [finding("targets.flat", "warning", "plan", f"=HYPERLINK(\"x\") flat target #{i}", [obs(f"plan-f{i}", "plan", "保持95%以上", "95%以上")],
                fingerprint=f"flat-{i}") for i in range(5)]

REPORT = {
    "tool": {"name": "seed", "version": "0.1.0"},
    "run": {"started": "2026-11-22T00:00:00+00:00", "seconds": 0.3, "fail_on": "error", "new_only": False,
            "compared_with_previous": False, "failing": 1},
    "dataset": {"path": "datasets", "fingerprint": "ab" * 32, "observations": 4, "indicators": 1, "documents": 2},
    "documents": [{"id": "plan", "title": "赣州市“十四五”生态环境保护规划（2021—2025年）附表：主要指标" * 2, "region": "r1", "kind": "plan",
                   "as_of": "2023", "source_file": "001_80dc1c19d9ecd5f7.txt", "observations": 3, "findings": {"error": 1, "warning": 6, "info": 0}},
                  {"id": "report", "title": "The report", "region": "r1", "kind": "progress_report", "as_of": "2024",
                   "source_file": "b.txt", "observations": 1, "findings": {"error": 0, "warning": 0, "info": 1}}],
    "rules": [{"rule": "targets.worse-than-baseline", "family": "targets", "severity": "error", "summary": "A target worse than its baseline.",
               "checked": 40, "passed": 39, "failed": 1, "undecided": 2, "undecided_reasons": {"no baseline": 2}, "waived": 0, "crashed": False}],
    "findings": [
        finding("targets.worse-than-baseline", "error", "plan", "target worse than its baseline",
                [obs("plan-1", "plan", "baseline 100 in 2020", "100", role="baseline", period="2020"),
                 obs("plan-2", "plan", f"前文{RLO}96.1后文", "96.1")],
                evidence={"compared": [{"id": "plan-1", "year": 2020, "interval": [99.5, 100.5]},
                                       {"id": "plan-2", "year": 2025, "interval": [96.05, 96.14999999999999]}], "direction": "up"},
                waiver=None),
        *FLAT,
        finding("units.repeated-in-cell", "warning", "plan", "the cell repeats its unit", [obs("plan-3", "plan", LONG_QUOTE, "96.3%以上")],
                status="waived", waiver={"fingerprint": "units.re", "rule": "units.repeated-in-cell", "reason": f"known typo {RLO}1.69 kept",
                                         "who": f"steward{RLO}x", "when": "2026-01-02"}),
        finding("source-text.injected-text", "info", "report", "injected advertising in the source",
                [obs("report-1", "report", f"signed {PWN} the 5% compact", "5%")]),
    ],
    "resolved": [], "stale_waivers": [], "suites": [], "schemas": [],
    "settings": [s if s["key"] != "max_findings_per_rule" else {**s, "value": 3} for s in in_use(Settings())],
    "series": [{"document": "plan", "indicator": "share", "name": "森林覆盖率", "region": "r1", "scope": "", "direction": "up",
                "unit": "percent", "points": [
                    {"id": "plan-1", "year": 2020, "role": "baseline", "value": 100.0, "lower": 99.5, "upper": 100.5, "printed": "100"},
                    {"id": "plan-2", "year": 2025, "role": "target", "value": 96.1, "lower": 96.05, "upper": 96.15, "printed": "96.1%"}]},
               {"document": "plan", "indicator": "forest", "name": "森林覆盖率", "region": "r1", "scope": "", "direction": "up",
                "unit": "percent", "points": [
                    {"id": "plan-7", "year": 2020, "role": "baseline", "value": 76.23, "lower": 76.225, "upper": 76.235, "printed": "76.23"},
                    {"id": "plan-8", "year": 2025, "role": "target", "value": 76.0, "lower": 75.5, "upper": None, "printed": "≥76"}]}],
}
ALL_RULES = ["targets.worse-than-baseline", "targets.flat", "targets.flat", "targets.flat", "units.repeated-in-cell", "source-text.injected-text"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def open_report(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    return page


@pytest.fixture(scope="module")
def report_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    files = {}
    for lang in ("en", "zh"):
        files[lang] = folder / f"report-{lang}.html"
        files[lang].write_text(render_html(REPORT, lang=lang), encoding="utf-8")
    return files


@pytest.fixture(scope="module", params=["desktop", "phone"])
def page(request, browser, report_files):
    page = open_report(browser, report_files["en"], WIDTHS[request.param])
    page.evaluate("document.querySelector('#charts details').open = true")
    page.screenshot(path=str(SCREENSHOTS[request.param]), full_page=True)
    page.evaluate("document.querySelector('#charts details').open = false")
    page.kind = request.param
    yield page
    page.context.close()


@pytest.fixture
def reset(page):
    yield page
    page.click("#f-reset")


def visible(page) -> list[str]:
    return [el.get_attribute("data-rule") for el in page.query_selector_all(".finding") if el.is_visible()]


def count(page) -> str:
    return page.inner_text("#f-count")


def test_header_and_content(page):
    assert "Validation report" in page.title()
    header = page.inner_text("header.top")
    assert "seed 0.1.0" in header and "ab" * 32 in header and "2026-11-22T00:00:00+00:00" in header
    assert "1 failing finding(s) at or above error" in page.inner_text("#verdict")
    assert visible(page) == ALL_RULES and count(page) == "Showing 6 of 6 findings"
    assert page.locator("mark").first.is_visible() and page.locator("mark").first.inner_text() == "100"
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart circle.worse").count() == 1
    assert page.errors == []


def test_evidence_reads_in_words(page):
    evidence = page.inner_text("[data-rule='targets.worse-than-baseline'] .evidence")
    assert "96.05–96.15" in evidence and "99.5–100.5" in evidence and "higher ↑" in evidence
    assert "96.1499" not in page.content()


def test_no_horizontal_page_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.kind
    page.evaluate("document.querySelector('#charts details').open = true")
    try:
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.kind
    finally:
        page.evaluate("document.querySelector('#charts details').open = false")
    # The long quote wraps inside its card.
    quote = page.locator("[data-rule='units.repeated-in-cell'] blockquote")
    card = page.locator("[data-rule='units.repeated-in-cell']")
    assert quote.bounding_box()["width"] <= card.bounding_box()["width"]
    assert quote.bounding_box()["height"] > 40


def test_wide_tables_scroll_in_their_own_box(page):
    box = page.locator("#documents .scroll")
    widths = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    if page.kind == "phone":
        assert widths[0] > widths[1]  # the table is wider than the phone and scrolls inside its box
    assert box.bounding_box()["width"] <= WIDTHS[page.kind]


def test_injected_script_did_not_run(page):
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert PWN in page.inner_text("[data-rule='source-text.injected-text'] blockquote")


def test_no_network_requests(page):
    assert page.requests, "the page itself was requested"
    assert [u for u in page.requests if not u.startswith(("file://", "data:", "about:", "blob:"))] == []


def test_severity_filter(reset):
    page = reset
    page.uncheck("input[name=severity][value=warning]")
    page.uncheck("input[name=severity][value=info]")
    assert visible(page) == ["targets.worse-than-baseline"]
    assert count(page) == "Showing 1 of 6 findings"
    assert not page.locator(".more[data-rule='targets.flat']").is_visible()
    page.check("input[name=severity][value=info]")
    assert visible(page) == ["targets.worse-than-baseline", "source-text.injected-text"]
    assert count(page) == "Showing 2 of 6 findings"


def test_family_filter(reset):
    page = reset
    page.select_option("#f-family", "units")
    assert visible(page) == ["units.repeated-in-cell"] and count(page) == "Showing 1 of 6 findings"


def test_document_and_status_filters(reset):
    page = reset
    page.select_option("#f-document", "plan")
    assert visible(page) == ALL_RULES[:5]
    page.select_option("#f-document", "report")
    assert visible(page) == ["source-text.injected-text"]
    page.select_option("#f-document", "")
    page.select_option("#f-status", "waived")
    assert visible(page) == ["units.repeated-in-cell"]


def test_search_box(reset):
    page = reset
    page.fill("#f-search", "REPEATS")  # message, case-insensitive
    assert visible(page) == ["units.repeated-in-cell"]
    page.fill("#f-search", "window.__pwned")  # quote text
    assert visible(page) == ["source-text.injected-text"]
    page.fill("#f-search", "worse-than")  # rule id
    assert visible(page) == ["targets.worse-than-baseline"]
    page.fill("#f-search", "no such words")
    assert visible(page) == [] and count(page) == "Showing 0 of 6 findings" and page.is_visible("#f-none")


def test_limit_per_rule_shows_the_count_of_the_rest(page):
    note = page.locator(".more[data-rule='targets.flat']")
    assert note.is_visible()
    assert "2 more finding(s) of targets.flat are not shown here (at most 3 per rule)" in note.inner_text()
    assert page.locator(".finding[data-rule='targets.flat']").count() == 3


def download(page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(button)
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_csv_download_holds_every_finding_with_formulas_neutralised(page):
    name, data = download(page, "#x-csv")
    assert name == f"seed-findings-{'ab' * 6}.csv"
    assert data.startswith("\ufeff".encode())  # a BOM, so spreadsheets read the Chinese text as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(REPORT["findings"]) == 8  # the two beyond the limit included
    assert [r["fingerprint"] for r in rows if r["rule"] == "targets.flat"] == [f"flat-{i}" for i in range(5)]
    assert rows[1]["message"] == "'=HYPERLINK(\"x\") flat target #0"
    assert rows[0]["printed"] == "100 % | 96.1 %" and rows[0]["quotes"] == f"baseline 100 in 2020 | 前文{RLO}96.1后文"
    assert rows[6]["waiver_reason"] == f"known typo {RLO}1.69 kept" and rows[6]["status"] == "waived"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_json_download_holds_every_finding(page):
    name, data = download(page, "#x-json")
    assert name.endswith(".json")
    rows = json.loads(data)
    assert len(rows) == 8 and rows[1]["message"] == "=HYPERLINK(\"x\") flat target #0"  # JSON keeps text exactly
    assert rows[0]["file_line"] == 6 and rows[0]["observations"] == "plan-1 plan-2"


def text_box(page, selector: str, needle: str) -> dict:
    """The box of `needle` inside the text of `selector`, measured with a DOM range."""
    return page.locator(selector).first.evaluate("""(root, needle) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(needle);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + needle.length);
                const r = range.getBoundingClientRect();
                return {x: r.x, y: r.y, right: r.right, width: r.width};
            }
        }
        return null;
    }""", needle)


def test_right_to_left_override_leaves_the_report_text_in_order(page):
    quote = "[data-rule='targets.worse-than-baseline'] .obs li:nth-child(2) blockquote"
    assert page.inner_text(quote) == "前文⟨RLO⟩96.1后文"
    before, figure, after = text_box(page, quote, "前文"), page.locator(quote + " mark").bounding_box(), text_box(page, quote, "后文")
    assert before["right"] <= figure["x"] + 1 and figure["x"] + figure["width"] <= after["x"] + 1
    # The waiver's reason and who carry RLOs: the report's own words after them stay after them.
    waiver = "[data-rule='units.repeated-in-cell'] .waiver"
    text = page.inner_text(waiver)
    assert text.index("steward⟨RLO⟩x") < text.index("on") < text.index("2026-01-02") < text.index("known typo ⟨RLO⟩1.69 kept")
    boxes = [text_box(page, waiver, s) for s in ("steward", "on ", "2026-01-02", "known typo", "1.69", "kept")]
    assert all(b is not None for b in boxes)
    same_line = [b for b in boxes if abs(b["y"] - boxes[0]["y"]) < 4]
    assert len(same_line) >= 3 and [b["x"] for b in same_line] == sorted(b["x"] for b in same_line)
    ones = text_box(page, waiver, "1.69")
    assert ones is not None  # "1.69" is still printed as 1.69 (an applied RLO would show 96.1 as 1.69 and this as 96.1)


def test_the_order_check_detects_an_applied_override(browser):
    """The measurement above can fail: with the override applied, the text after it is reversed."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(f"<p id='p'>前文<span>{RLO}96.1后文</span> report words</p>")
        assert text_box(page, "#p", "前文")["right"] <= text_box(page, "#p", "report")["x"]
        after = text_box(page, "#p", "后文")
        figure = text_box(page, "#p", "96.1")
        assert after["x"] < figure["x"]  # reversed: 后文 now stands left of the figure
    finally:
        context.close()


def test_interface_in_chinese(browser, report_files):
    page = open_report(browser, report_files["zh"], 390)
    try:
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert "未通过" in page.inner_text("#verdict")
        assert page.inner_text("#f-count") == "显示 6 条中的 6 条"
        assert page.locator("blockquote").first.get_attribute("lang") == "zh"
        assert page.locator("p.message bdi").first.get_attribute("lang") == "en"
        assert page.inner_text(".message bdi >> nth=0") == "target worse than its baseline"  # content stays as written
        page.uncheck("input[name=severity][value=warning]")
        assert page.inner_text("#f-count") == "显示 6 条中的 2 条"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert page.errors == []
    finally:
        page.context.close()


def test_screenshots_were_saved(page):
    assert SCREENSHOTS[page.kind].stat().st_size > 10_000
