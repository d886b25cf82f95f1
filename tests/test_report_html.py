"""The HTML report: self-contained, escaped, highlighted, and robust to an empty run."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from checks.report_html import chart, highlight_quote, pretty_json, render_html

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def observation(id="doc-a-001", document="doc-a", quote="the rate reached 96.1% in 2025", span=(17, 22), **extra):
    return {"id": id, "document": document, "line": 12, "section": "text", "indicator": "water_share",
            "indicator_name": "Water quality share", "region": "r1", "scope": "", "period": "2025", "role": "target",
            "value_printed": "96.1%", "unit_printed": "%", "quote": quote,
            "figure_in_quote": list(span) if span else None, "file": "datasets/observations/doc-a.csv", "file_line": 2, **extra}


def finding(rule="targets.worse-than-baseline", severity="error", message="target worse than its baseline",
            observations=None, status="open", waiver=None, document="doc-a", evidence=None):
    return {"rule": rule, "family": rule.split(".")[0], "severity": severity, "message": message,
            "observations": [observation()] if observations is None else observations,
            "evidence": {"direction": "up"} if evidence is None else evidence, "document": document, "line": 12,
            "fingerprint": "abc123", "status": status, "waiver": waiver}


def report(findings=(), series=(), **extra) -> dict:
    """A minimal run dict: every list empty unless given."""
    return {
        "tool": {"name": "seed", "version": "9.9.9"},
        "run": {"started": "2026-01-01T00:00:00+00:00", "seconds": 0.5, "fail_on": "error", "new_only": False,
                "compared_with_previous": False, "failing": sum(1 for f in findings if f["severity"] == "error")},
        "dataset": {"path": "datasets", "fingerprint": "f" * 64, "observations": 3, "indicators": 2, "documents": 1},
        "documents": [], "rules": [], "findings": list(findings), "resolved": [], "stale_waivers": [],
        "suites": [], "schemas": [], "series": list(series), **extra,
    }


class Tags(HTMLParser):
    """Every start tag with its attributes, as the browser would parse them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def embedded_json(html: str) -> list:
    return json.loads(re.search(r'<script type="application/json" id="seed-index">(.*?)</script>', html, re.S).group(1))


def test_no_external_resources():
    html = render_html(report([finding()], series=[series()]))
    assert "http://" not in html and "https://" not in html
    for tag, attrs in tags(html):
        for name in ("src", "href", "action", "srcset", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_injected_text_is_escaped_everywhere():
    hostile = finding(message=f"bad {SCRIPT} {IMG}",
                      observations=[observation(quote=f"ad {SCRIPT} then 96.1% {IMG}", span=(len(f"ad {SCRIPT} then "), len(f"ad {SCRIPT} then 96.1%")),
                                                value_printed=IMG)],
                      evidence={"marker": SCRIPT}, document=IMG)
    html = render_html(report([hostile], documents=[{"id": IMG, "title": SCRIPT, "findings": {"error": 1}}],
                              stale_waivers=[{"fingerprint": "x", "rule": "r", "reason": IMG, "who": SCRIPT, "when": ""}]))
    assert SCRIPT not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # Attribute values are quoted and escaped: the hostile document id cannot close data-document.
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert cards[0]["data-document"] == IMG
    assert not any(t == "img" for t, _ in tags(html))
    # The search index embedded for the JS: tojson escapes < > & ' and the text survives a JSON round trip.
    raw = re.search(r'id="seed-index">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and ">" not in raw
    assert "\\u003cscript\\u003e" in raw
    assert SCRIPT in embedded_json(html)[0]
    # Only the page's own script is executable.
    scripts = [a for t, a in tags(html) if t == "script"]
    assert len(scripts) == 2 and scripts[0].get("type") == "application/json"


def test_figure_is_marked():
    html = render_html(report([finding()]))
    assert "the rate reached <mark>96.1%</mark> in 2025" in html


def test_highlight_escapes_each_piece_and_ignores_bad_offsets():
    assert str(highlight_quote("a<b 12 c>d", [4, 6])) == "a&lt;b <mark>12</mark> c&gt;d"
    assert str(highlight_quote("<x>", None)) == "&lt;x&gt;"
    assert str(highlight_quote("<x>", [2, 99])) == "&lt;x&gt;"
    assert str(highlight_quote(None, [0, 1])) == ""


def test_finding_card_has_rule_and_data_attributes():
    findings = [finding(), finding(rule="units.count-as-share", severity="warning", document=None,
                                   observations=[observation(document="doc-b")], status="waived",
                                   waiver={"fingerprint": "abc123", "rule": "units.count-as-share", "reason": "known typo",
                                           "who": "auditor-x", "when": "2026-01-02"})]
    html = render_html(report(findings))
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert [(c["data-severity"], c["data-family"], c["data-document"], c["data-status"]) for c in cards] == [
        ("error", "targets", "doc-a", "open"), ("warning", "units", "doc-b", "waived")]
    assert "targets.worse-than-baseline" in html and "units.count-as-share" in html
    assert "known typo" in html and "auditor-x" in html and "2026-01-02" in html
    assert "Showing 2 of 2 findings" in html
    assert "1 failing finding at or above error" in html
    assert "f" * 64 in html


def test_empty_report_renders():
    html = render_html(report())
    assert "<!DOCTYPE html>" in html and "PASSED" in html
    assert "No findings." in html and 'class="finding"' not in html
    assert render_html({}).startswith("<!DOCTYPE html>")


def series(worse_id="doc-a-002"):
    return {"document": "doc-a", "indicator": "water_share", "name": f"Water {SCRIPT}", "region": "r1", "scope": "",
            "direction": "up", "unit": "percent", "points": [
                {"id": "doc-a-001", "year": 2020, "role": "baseline", "value": 100.0, "lower": 99.5, "upper": 100.5, "printed": "100"},
                {"id": worse_id, "year": 2025, "role": "target", "value": 96.1, "lower": 96.05, "upper": None, "printed": f"96.1{IMG}"}]}


def test_chart_marks_worse_target_and_escapes_labels():
    worse = finding(observations=[observation(id="doc-a-001"), observation(id="doc-a-002")])
    html = render_html(report([worse], series=[series()]))
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert 'class="pt target worse"' in svg and ">worse</tspan>" in svg
    assert "↑ better" in svg
    assert SCRIPT not in html and "&lt;script&gt;" in svg
    assert re.search(r"<details open>\s*<summary>Baselines and targets", html)
    # No finding names the target: neutral, and the section starts closed.
    html = render_html(report([], series=[series(worse_id="doc-a-009")]))
    assert "worse" not in re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert "<details open>" not in html


def test_chart_geometry_stays_inside_the_box():
    c = chart(series(), {"doc-a-002"})
    for p in c["points"]:
        assert 0 <= p["x"] <= 220 and 0 <= p["y"] <= 120
    assert chart({"points": [{"id": "x", "year": "n/a", "value": 1}]}, set()) is None


def test_evidence_is_compact_json():
    assert pretty_json({"a": [1, 2], "b": 96.14999999999999}) == '{"a": [1, 2], "b": 96.15}'
    long = pretty_json({"compared": [{"id": "x" * 40, "interval": [1, None]}] * 3})
    assert long.splitlines()[0] == "{" and json.loads(long)["compared"][0]["interval"] == [1, None]


def test_shipped_dataset_renders():
    """The real run, built here rather than read from a saved JSON."""
    from pathlib import Path

    from checks.dataset import load
    from checks.pipeline import execute
    from checks.rules import RULES

    data = execute(load(Path(__file__).resolve().parent.parent / "datasets"), RULES, with_suites=False).to_json()
    html = render_html(json.loads(json.dumps(data)))
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert len(cards) == len(data["findings"]) and len(embedded_json(html)) == len(cards)
    assert html.count('<svg class="chart"') == len(data["series"])
    assert data["dataset"]["fingerprint"] in html
    assert all(a.get("src") is None for _, a in tags(html))
