"""The HTML report: self-contained, escaped and bidi-isolated everywhere, evidence in words,
numbers at their printed precision, a limit per rule with the rest counted and exported, two
interface languages, charts with a scale. Rendered from run dicts; browser behaviour is in
test_report_browser.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from checks.report_evidence import interval, number, printed_with_unit
from checks.report_html import BIDI_CONTROLS, EXPORT_COLUMNS, chart, highlight_quote, isolate, nice_step, render_html, tick_label, y_scale
from checks.report_text import STRINGS
from checks.settings import Settings, in_use

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RLO = "\u202e"


def observation(id="doc-a-001", document="doc-a", quote="the rate reached 96.1% in 2025", span=(17, 22), **extra):
    return {"id": id, "document": document, "line": 12, "section": "text", "indicator": "water_share",
            "indicator_name": "Water quality share", "region": "r1", "scope": "", "period": "2025", "role": "target",
            "value_printed": "96.1%", "unit_printed": "%", "quote": quote,
            "figure_in_quote": list(span) if span else None, "file": "datasets/observations/doc-a.csv", "file_line": 2, **extra}


def finding(rule="targets.worse-than-baseline", severity="error", message="target worse than its baseline",
            observations=None, status="open", waiver=None, document="doc-a", evidence=None, fingerprint="abc123"):
    return {"rule": rule, "family": rule.split(".")[0], "severity": severity, "message": message,
            "observations": [observation()] if observations is None else observations,
            "evidence": {"direction": "up"} if evidence is None else evidence, "document": document, "line": 12,
            "fingerprint": fingerprint, "status": status, "waiver": waiver}


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


VOID = {"meta", "input", "br", "line", "circle", "rect", "path", "polyline", "hr", "img", "link"}


class TextContexts(HTMLParser):
    """Each piece of text with the stack of elements (tag, attrs) it sits in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, list[tuple[str, dict]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        self.texts.append((data, list(self.stack)))


def text_contexts(html: str):
    parser = TextContexts()
    parser.feed(html)
    return parser.texts


def embedded(html: str, name: str):
    data = json.loads(re.search(rf'<script type="application/json" id="seed-{name}">(.*?)</script>', html, re.S).group(1))
    if name == "findings":  # each distinct value stored once, rows as indexes
        return {"columns": data["columns"], "rows": [[data["values"][i] for i in row] for row in data["rows"]]}
    return data


def visible_text(html: str, sep: str = "") -> str:
    """The page's text outside scripts and styles (pieces of separate elements joined by `sep`)."""
    return sep.join(t for t, stack in text_contexts(html) if not any(tag in ("script", "style") for tag, _ in stack))


def words(html: str) -> str:
    return re.sub(r"\s+", " ", visible_text(html, " ")).strip()


def series(worse_id="doc-a-002", name=f"Water {SCRIPT}"):
    return {"document": "doc-a", "indicator": "water_share", "name": name, "region": "r1", "scope": "",
            "direction": "up", "unit": "percent", "points": [
                {"id": "doc-a-001", "year": 2020, "role": "baseline", "value": 100.0, "lower": 99.5, "upper": 100.5, "printed": "100"},
                {"id": worse_id, "year": 2025, "role": "target", "value": 96.1, "lower": 96.05, "upper": None, "printed": f"96.1{IMG}"}]}


# --- self-contained and escaped ---------------------------------------------------------------

def test_no_external_resources():
    html = render_html(report([finding()], series=[series()], settings=in_use(Settings())))
    assert "://" not in re.search(r"<head>.*?</head>", html, re.S).group(0)  # the settings list http:// as text, nothing loads it
    for tag, attrs in tags(html):
        for name in ("src", "href", "action", "srcset", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "<link" not in html and "@import" not in html and "url(" not in html


def hostile_report() -> dict:
    hostile = finding(message=f"bad {SCRIPT} {IMG}",
                      observations=[observation(quote=f"ad {SCRIPT} then 96.1% {IMG}", span=(len(f"ad {SCRIPT} then "), len(f"ad {SCRIPT} then 96.1%")),
                                                value_printed=IMG, indicator_name=SCRIPT, scope=IMG)],
                      evidence={"marker": SCRIPT, "compared": [{"id": "doc-a-001", "from": IMG}]}, document=IMG,
                      waiver={"fingerprint": "abc123", "rule": "r", "reason": SCRIPT, "who": IMG, "when": SCRIPT}, status="waived")
    settings = [*in_use(Settings()), {"section": "x", "key": IMG, "value": SCRIPT, "default": IMG, "meaning": SCRIPT}]
    return report([hostile], series=[series()], documents=[{"id": IMG, "title": SCRIPT, "region": IMG, "findings": {"error": 1}}],
                  stale_waivers=[{"fingerprint": "x", "rule": "r", "reason": IMG, "who": SCRIPT, "when": ""}],
                  resolved=[{"fingerprint": IMG, "rule": SCRIPT, "severity": "error", "message": SCRIPT}],
                  suites=[{"suite": SCRIPT, "expectation": IMG, "column": SCRIPT, "success": False, "details": IMG}],
                  schemas=[{"table": SCRIPT, "rows": 1, "status": "passed"}], settings=settings)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_injected_text_is_escaped_everywhere(lang):
    html = render_html(hostile_report(), lang=lang)
    assert SCRIPT not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # Attribute values are quoted and escaped: the hostile document id cannot close data-document.
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert cards[0]["data-document"] == IMG
    assert not any(t == "img" for t, _ in tags(html))
    # The data embedded for the script: tojson escapes < > & ' and the text survives a JSON round trip.
    for name in ("findings", "config"):
        raw = re.search(rf'id="seed-{name}">(.*?)</script>', html, re.S).group(1)
        assert "<" not in raw and ">" not in raw
    assert "\\u003cscript\\u003e" in html and "\\u003cimg src=x" in html
    assert embedded(html, "findings")["rows"][0][EXPORT_COLUMNS.index("message")] == f"bad {SCRIPT} {IMG}"
    # Only the page's own script is executable.
    scripts = [a for t, a in tags(html) if t == "script"]
    assert [a.get("type") for a in scripts] == ["application/json", "application/json", None]


def test_every_piece_of_data_is_isolated():
    """Each text of the dataset or a source reaches the page inside a <bdi> (or where a tag
    cannot go: an <option>, an SVG text, a tooltip title, whose controls are made visible)."""
    tokens = iter(range(10_000))

    def mark(value):
        if isinstance(value, str):
            return f"Ʃ{next(tokens)}Ʃ{value}"
        if isinstance(value, dict):
            return {k: (v if k in ("severity", "status", "role", "direction", "figure_in_quote", "family", "rule") else mark(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    data = hostile_report()
    for key in ("findings", "documents", "stale_waivers", "resolved", "suites", "series"):
        data[key] = mark(data[key])
    data["findings"][0]["observations"][0]["figure_in_quote"] = None
    data["dataset"] = mark(data["dataset"])
    html = render_html(data)
    allowed_plain = {"option", "title", "text", "tspan", "script"}
    seen = 0
    for text, stack in text_contexts(html):
        if "Ʃ" not in text:
            continue
        seen += 1
        names = {tag for tag, _ in stack}
        assert "bdi" in names or names & allowed_plain, (text, [t for t, _ in stack])
    assert seen > 30


def test_bidi_controls_are_shown_not_applied():
    evil = "".join(BIDI_CONTROLS)
    quote = f"前文{RLO}96.1后文"
    f = finding(message=f"msg {evil}", observations=[observation(quote=quote, span=(3, 7), indicator_name=f"名{RLO}称")],
                waiver={"fingerprint": "abc123", "rule": "r", "reason": f"typo {RLO}1.69", "who": f"{RLO}me", "when": "2026"},
                status="waived", document=f"doc{RLO}")
    html = render_html(report([f], series=[series(name=f"S{RLO}")], documents=[{"id": "d", "title": f"T{RLO}x"}]))
    page = visible_text(html)
    attributes = " ".join(v or "" for _, a in tags(html) for v in a.values())
    for c, name in BIDI_CONTROLS.items():
        assert c not in page and c not in attributes, name
        assert f"⟨{name}⟩" in page
    assert 'title="U+202E">⟨RLO⟩</span>' in html
    # The figure is still marked at its stored offsets (the RLO sits before it).
    assert str(highlight_quote(quote, [3, 7])) == '前文<span class="bidi" title="U+202E">⟨RLO⟩</span><mark>96.1</mark>后文'
    # The export keeps the data exactly as written.
    assert embedded(html, "findings")["rows"][0][EXPORT_COLUMNS.index("quotes")] == quote


def test_isolate_escapes_and_sets_the_language():
    assert str(isolate("<b>")) == '<bdi lang="zh">&lt;b&gt;</bdi>'
    assert str(isolate("x", None)) == "<bdi>x</bdi>"
    assert str(isolate("")) == "" and str(isolate(None)) == ""


def test_figure_is_marked():
    html = render_html(report([finding()]))
    assert "the rate reached <mark>96.1%</mark> in 2025" in html


def test_highlight_escapes_each_piece_and_ignores_bad_offsets():
    assert str(highlight_quote("a<b 12 c>d", [4, 6])) == "a&lt;b <mark>12</mark> c&gt;d"
    assert str(highlight_quote("<x>", None)) == "&lt;x&gt;"
    assert str(highlight_quote("<x>", [2, 99])) == "&lt;x&gt;"
    assert str(highlight_quote("<x>", [True, 2])) == "&lt;x&gt;"
    assert str(highlight_quote(None, [0, 1])) == ""


# --- numbers, units, names, evidence in words ---------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (96.14999999999999, "96.15"), (76.22500000000001, "76.225"), (82.57, "82.57"), (100.0, "100"), (2.4193548387096775, "2.419"),
    (7613970.880738324, "7,613,971"), (12345, "12,345"), (1234, "1234"), (-3.5, "−3.5"), (0.0001234, "0.0001234"),
    (float("inf"), "∞"), (None, "—"), (True, "true"),
])
def test_number_has_no_float_noise(value, expected):
    assert number(value) == expected


@pytest.mark.parametrize("value, expected", [
    ([96.05, 96.14999999999999], "96.05–96.15"), ([83.5, None], "≥ 83.5"), ([None, 1.3], "≤ 1.3"), ([95.0, 97.0], "95–97"),
    ([76.22500000000001, 76.235], "76.225–76.235"), ([7613970.880738324, 7631097.318373518], "7,613,971–7,631,097"),
    ([5.0, 5.0], "5"), ([-0.65, -0.55], "−0.65 … −0.55"), ([None, None], "—"),
])
def test_interval_in_words(value, expected):
    assert interval(value) == expected


def test_printed_value_never_doubles_its_unit():
    assert printed_with_unit("95%以上", "%") == "95%以上"
    assert printed_with_unit("96", "%") == "96 %"
    assert printed_with_unit("479万千瓦", "万千瓦") == "479万千瓦"
    assert printed_with_unit("85", "万千瓦") == "85 万千瓦"
    assert printed_with_unit("持续改善", "") == "持续改善"
    html = render_html(report([finding(observations=[observation(value_printed="95%以上", unit_printed="%")])]))
    assert "95%以上" in visible_text(html) and "95%以上 %" not in visible_text(html)


def evidence_text(html: str) -> str:
    block = re.search(r'<div class="evidence".*?</dl></div>', html, re.S).group(0)
    return words(block)


def test_evidence_in_words_and_tables():
    obs = [observation(id="b1", period="2020", role="baseline", value_printed="100", unit_printed="%", quote="100"),
           observation(id="t1", period="2025", value_printed="96.1", unit_printed="%", quote="96.1")]
    f = finding(observations=obs, evidence={"compared": [{"id": "b1", "year": 2020, "interval": [99.5, 100.5]},
                                                         {"id": "t1", "year": 2025, "interval": [96.05, 96.14999999999999]}],
                                            "direction": "up", "ratio": 2.4193548387096775, "limit": 2.0, "some_new_key": [1, "a<b"]})
    html = render_html(report([f]))
    text = evidence_text(html)
    assert "compared figure printed year interval" in text
    assert "doc-a line 12 · baseline 2020 100 % 2020 99.5–100.5" in text
    assert "doc-a line 12 · target 2025 96.1 % 2025 96.05–96.15" in text
    assert "better direction higher ↑" in text and "ratio 2.419" in text and "limit (setting) 2" in text
    assert "some new key" in text and "1, a<b" in visible_text(re.search(r'<div class="evidence".*?</dl></div>', html, re.S).group(0))
    assert "96.1499" not in html and "{" not in text and '"' not in text


def test_evidence_names_indicators_not_ids():
    f = finding(rule="derived.implied-total", severity="info",
                evidence={"implied": {"indicator": "total_power_capacity", "name": "全口径发电装机容量",
                                      "interval": [7613970.880738324, 7631097.318373518]}})
    text = evidence_text(render_html(report([f])))
    assert text == "implied total 全口径发电装机容量 · 7,613,971–7,631,097"
    # Without a name in the evidence, a name seen elsewhere in the report is used.
    f = finding(rule="x.y", evidence={"whole": {"indicator": "water_share", "interval": [1, 2]}})
    assert "Water quality share" in evidence_text(render_html(report([f])))


def test_evidence_of_the_shipped_rules_reads_without_json(shipped_run):
    html = render_html(shipped_run)
    for block in re.findall(r'<div class="evidence".*?</dl></div>', html, re.S):
        text = visible_text(block)
        assert not re.search(r"\d\.\d{7,}", text), text  # no float noise
        assert not re.search(r"\[-?[\d.]+, |\{\"|null", text), text  # no JSON lists, objects or nulls
    assert "total_power_capacity" not in visible_text(html)


# --- limits, counts, export ---------------------------------------------------------------------

def many(rule, n, severity="warning"):
    return [finding(rule=rule, severity=severity, fingerprint=f"{rule}-{i}", message=f"{rule} #{i} =cmd") for i in range(n)]


def test_limit_per_rule_counts_the_rest_and_exports_all():
    findings = many("targets.flat", 5) + many("units.repeated-in-cell", 1, "info")
    html = render_html(report(findings), max_findings_per_rule=2)
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert [c["data-rule"] for c in cards] == ["targets.flat", "targets.flat", "units.repeated-in-cell"]
    notes = [a for t, a in tags(html) if a.get("class") == "more" and a.get("data-rule")]
    assert [(n["data-rule"], n["data-severity"]) for n in notes] == [("targets.flat", "warning")]
    text = visible_text(html)
    assert "3 more finding(s) of targets.flat are not shown here (at most 2 per rule)" in text
    assert "3 finding(s) beyond the per-rule limit of 2 are not shown" in text
    assert "Download all 6 findings" in text and "Showing 3 of 3 findings" in text
    export = embedded(html, "findings")
    assert export["columns"] == list(EXPORT_COLUMNS) and len(export["rows"]) == 6
    assert [r[EXPORT_COLUMNS.index("fingerprint")] for r in export["rows"]][:5] == [f"targets.flat-{i}" for i in range(5)]
    # The note follows the rule's last shown card.
    assert html.index('data-rule="targets.flat" data-severity') > html.rindex('id="finding-1"')


def test_limit_comes_from_the_run_settings():
    settings = [s if s["key"] != "max_findings_per_rule" else {**s, "value": 3} for s in in_use(Settings())]
    html = render_html(report(many("targets.flat", 5), settings=settings))
    assert len([a for t, a in tags(html) if a.get("class") == "finding"]) == 3
    html = render_html(report(many("targets.flat", 5)))  # no settings recorded: the default (200)
    assert len([a for t, a in tags(html) if a.get("class") == "finding"]) == 5 and 'class="more"' not in html


def test_counts_are_unwaived_per_severity():
    findings = [finding(), finding(status="waived", fingerprint="w"), finding(severity="warning", fingerprint="x")]
    html = render_html(report(findings))
    counts = {a["data-severity"]: None for t, a in tags(html) if t == "li" and a.get("data-severity")}
    assert set(counts) == {"error", "warning", "info"}
    header = re.search(r'<ul class="counts".*?</ul>', html, re.S).group(0)
    assert words(header) == "error 1 warning 1 info 0 waived 1"


def test_report_size_stays_bounded_with_many_findings():
    """10,000 findings of 4 rules: 800 cards at most, every finding in the download, and a page
    a mail client or browser opens without trouble."""
    findings = [f for rule in ("a.one", "b.two", "c.three", "d.four") for f in many(rule, 2500)]
    html = render_html(report(findings))
    assert html.count('class="finding"') == 800
    assert len(embedded(html, "findings")["rows"]) == 10_000
    assert len(html.encode()) < 6_000_000


# --- settings, languages ------------------------------------------------------------------------

def test_thresholds_used_are_listed():
    settings = [s if s["key"] != "approx_share_points" else {**s, "value": 0.5} for s in in_use(Settings())]
    html = render_html(report(settings=settings))
    rows = {a["data-setting"] for t, a in tags(html) if t == "tr" and a.get("data-setting")}
    assert {"approx_share_points", "max_ratio_share", "line_window", "max_findings_per_rule"} <= rows
    row = re.search(r'<tr data-setting="approx_share_points">.*?</tr>', html, re.S).group(0)
    assert words(row).split(" ")[:4] == ["[tolerances]", "approx_share_points", "0.5", "*"]
    assert "The run did not record its thresholds." in render_html(report())


def test_languages_have_the_same_keys_and_placeholders():
    en, zh = STRINGS["en"], STRINGS["zh"]
    assert en.keys() == zh.keys()
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_interface_language_and_lang_attributes():
    data = report([finding()], series=[series()])
    en, zh = render_html(data), render_html(data, lang="zh")
    assert '<html lang="en">' in en and '<html lang="zh-Hans">' in zh
    assert "Validation report" in en and "校验报告" in zh and "Validation report" not in zh
    assert "未通过" in visible_text(zh) and "FAILED" in visible_text(en)
    # Content stays as written: the quote and the rule's message in both.
    for html in (en, zh):
        assert "the rate reached <mark>96.1%</mark> in 2025" in html
        assert '<blockquote lang="zh">' in html
        assert '<p class="message"><bdi lang="en">target worse than its baseline</bdi></p>' in html
    with pytest.raises(ValueError, match="unknown report language"):
        render_html(data, lang="fr")


# --- charts -------------------------------------------------------------------------------------

def test_chart_marks_worse_target_and_escapes_labels():
    worse = finding(observations=[observation(id="doc-a-001"), observation(id="doc-a-002")])
    html = render_html(report([worse], series=[series()]))
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert 'class="pt target worse"' in svg and ">worse</tspan>" in svg
    assert 'class="band worse"' in svg
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert re.search(r"<details open>\s*<summary>Baselines and targets", html)
    # No finding names the target: neutral, and the section starts closed.
    html = render_html(report([], series=[series(worse_id="doc-a-009")]))
    assert "worse" not in re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert "<details open>" not in html


def test_a_chart_marks_the_findings_of_rules_that_say_so_in_their_metadata():
    """Which rules mark a chart is the rules' metadata (@rule(..., marks_chart=True)), not a list in
    the renderer: a finding of another rule naming the same target leaves the chart neutral."""
    from checks.rules import RULES
    assert sorted(r.id for r in RULES if r.marks_chart) == ["targets.later-worse", "targets.worse-than-baseline"]
    for rule_id, marked in (("targets.later-worse", True), ("targets.flat", False)):
        html = render_html(report([finding(rule=rule_id, observations=[observation(id="doc-a-002")])], series=[series()]))
        assert ('class="pt target worse"' in re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)) is marked, rule_id


def test_chart_has_a_scale_and_a_gentle_axis_for_a_small_move():
    s = {"document": "d", "indicator": "forest", "name": "森林覆盖率", "direction": "up", "unit": "percent", "points": [
        {"id": "b", "year": 2020, "role": "baseline", "value": 76.23, "lower": 76.225, "upper": 76.235, "printed": "76.23"},
        {"id": "t", "year": 2025, "role": "target", "value": 76.0, "lower": 75.5, "upper": None, "printed": "≥76"}]}
    c = chart(s, set())
    labels = [float(t["label"]) for t in c["ticks"]]
    assert len(labels) >= 3 and labels == sorted(labels)
    assert labels[0] <= 76 and labels[-1] >= 76.23 and labels[-1] - labels[0] >= 0.12 * 76.23
    drop = c["points"][1]["y"] - c["points"][0]["y"]
    assert 0 < drop < 0.1 * (c["bottom"] - c["top"])  # a fall of 0.23 is a small step, not a cliff
    assert c["points"][1]["bound"] == "floor" and c["points"][0]["bound"] == ""
    assert c["band"]["tone"] == "neutral" and c["points"][1]["interval"] == "≥ 75.5"
    for p in c["points"]:
        assert 0 <= p["x"] <= 260 and 0 <= p["y"] <= 150 and 0 <= p["label_y"] <= 150
    assert chart({"points": [{"id": "x", "year": "n/a", "value": 1}]}, set()) is None


def test_y_scale_and_ticks():
    assert y_scale([100.0, 96.1], "percent")[1] == 100  # a share's axis stops at 100
    bottom, top, _step = y_scale([20.25, 60.0], "percent")
    assert bottom <= 20.25 and top >= 60 and bottom >= 0
    assert y_scale([0.0, 0.0], "")[0] <= 0 < y_scale([0.0, 0.0], "")[1]
    assert [nice_step(x) for x in (1, 7.6, 40, 0.3)] == [0.25, 2, 10, 0.1]
    assert tick_label(7_600_000, 100_000, "en") == "7.6M" and tick_label(7_600_000, 100_000, "zh") == "760万"
    assert tick_label(95, 5, "en") == "95" and tick_label(0, 100_000, "en") == "0"


def test_charts_are_capped_flagged_first():
    others = [series(worse_id=f"x{i}", name=f"n{i}") for i in range(5)]
    flagged = {**series(), "name": "flagged"}
    html = render_html(report([finding(observations=[observation(id="doc-a-002")])], series=[*others, flagged]), max_charts=2)
    assert html.count('<svg class="chart"') == 2
    assert re.search(r'<figure class="wrong".*?flagged', html, re.S)
    assert "4 more series are not drawn (at most 2 charts" in visible_text(html)


# --- whole runs ---------------------------------------------------------------------------------

def test_empty_report_renders():
    html = render_html(report())
    assert "<!DOCTYPE html>" in html and "PASSED" in html
    assert "No findings." in html and 'class="finding"' not in html
    assert render_html({}).startswith("<!DOCTYPE html>")


@pytest.fixture(scope="module")
def shipped_run() -> dict:
    """The real run, built here rather than read from a saved JSON."""
    from pathlib import Path

    from checks.dataset import load
    from checks.pipeline import execute
    from checks.rules import RULES

    return json.loads(json.dumps(execute(load(Path(__file__).resolve().parent.parent / "datasets"), RULES, with_suites=False).json_dict()))


def test_shipped_dataset_renders(shipped_run):
    data = shipped_run
    html = render_html(data)
    cards = [a for t, a in tags(html) if a.get("class") == "finding"]
    assert len(cards) == len(data["findings"]) == len(embedded(html, "findings")["rows"])
    assert html.count('<svg class="chart"') == len(data["series"])
    assert data["dataset"]["fingerprint"] in html
    assert all(a.get("src") is None for _, a in tags(html))
    assert len({s["key"] for s in data["settings"]}) == len(in_use(Settings()))


def test_cli_writes_the_report_in_the_language_asked(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from cli import main

    out = tmp_path / "report.html"
    dataset = Path(__file__).resolve().parent.parent / "datasets"
    result = CliRunner().invoke(main, ["all", "--dataset", str(dataset), "--no-suites", "--report", str(out), "--lang", "zh", "-q"])
    assert result.exit_code in (0, 1), result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html and "校验报告" in html
    assert 'data-setting="max_findings_per_rule"' in html  # the thresholds used reach the page through the run's JSON
