"""The auditor-facing HTML report: one self-contained page rendered from a run's report dict.

Everything in the dict is untrusted text (source documents carry injected advertising and
datasets arrive in pull requests), so:
- the template autoescapes, and the only Markup built here is made of escaped pieces;
- every piece of dataset or source text is isolated (`<bdi>`, or `unicode-bidi: isolate` where a
  tag cannot go) and bidirectional control characters are shown as visible tokens (⟨RLO⟩), never
  applied, so a quote cannot reorder the report's own text;
- the page's Content-Security-Policy admits its own inline script (by hash) and nothing else.

The page shows every finding up to a limit per rule (`[report] max_findings_per_rule`) and counts
the rest; all findings are embedded as compact JSON that the page turns into the CSV and JSON
downloads (formula-like CSV cells neutralised).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import TextIO

import jinja2
from markupsafe import Markup, escape

from checks.findings import SEVERITIES, STATUSES
from checks.report_evidence import EvidenceView, interval, number, printed_with_unit
from checks.report_text import HTML_LANG, MESSAGE_LANG, SOURCE_LANG, strings

# Bidirectional formatting characters: each is shown as a marked token instead of acting.
BIDI_CONTROLS = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM",
}
_BIDI_TABLE = {ord(c): f"⟨{name}⟩" for c, name in BIDI_CONTROLS.items()}
_BIDI_SET = frozenset(BIDI_CONTROLS)

# The columns of the findings download (CSV header and JSON keys), in this order.
EXPORT_COLUMNS = ("severity", "status", "rule", "message", "document", "line", "file", "file_line", "indicators",
                  "observations", "printed", "quotes", "fingerprint", "waiver_reason")

CHART_W, CHART_H = 260, 150
# Plot area inside the chart: tick labels on the left, years below, a little room above.
LEFT, RIGHT, TOP, BOTTOM = 44, CHART_W - 10, 16, CHART_H - 22
UNIT_SYMBOLS = {"percent": "%", "percentage_point": "pp"}


def visible_controls(text: str) -> str:
    """Bidi controls replaced by ⟨RLO⟩-style tokens: for attributes and other plain-text places."""
    return text.translate(_BIDI_TABLE)


def shown(text) -> Markup:
    """Escaped text with each bidi control as a marked token (<span class="bidi">⟨RLO⟩</span>)."""
    text = "" if text is None else str(text)
    if _BIDI_SET.isdisjoint(text):
        return escape(text)
    out = Markup("")
    for c in text:
        out += Markup('<span class="bidi" title="U+{:04X}">⟨{}⟩</span>').format(ord(c), BIDI_CONTROLS[c]) if c in BIDI_CONTROLS else escape(c)
    return out


def isolate(text, lang: str | None = SOURCE_LANG) -> Markup:
    """Dataset or source text in its own bidi isolate (and language), controls made visible."""
    if text is None or text == "":
        return Markup("")
    # escaped pieces joined as text: what Markup.format makes of them, without its (slow) formatter
    return Markup(f'<bdi lang="{escape(lang)}">{shown(text)}</bdi>' if lang else f"<bdi>{shown(text)}</bdi>")


def _finalize(value):
    """Every {{ }} output: plain strings get visible bidi controls (safe in attributes too);
    Markup built here is already treated."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible_controls(value)


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=_finalize,
)
_env.filters["iso"] = isolate
_env.filters["num"] = number
_env.filters["interval"] = interval


def render_html(report: dict, *, lang: str = "en", max_findings_per_rule: int | None = None, max_charts: int | None = None) -> str:
    """The page for `report` (RunResult.json_dict) in `lang` (interface text only). The limits come
    from the arguments, else the settings recorded in the report, else the settings' defaults."""
    out = io.StringIO()
    write_html(report, out, lang=lang, max_findings_per_rule=max_findings_per_rule, max_charts=max_charts)
    return out.getvalue()


def write_html(report: dict, out: TextIO, *, lang: str = "en", max_findings_per_rule: int | None = None,
               max_charts: int | None = None) -> None:
    """render_html's page, written piece by piece as the template yields it (never held whole)."""
    text = strings(lang)
    settings = report.get("settings") or []
    limit = max_findings_per_rule or _setting(settings, "max_findings_per_rule")
    chart_limit = max_charts or _setting(settings, "max_charts")
    findings = report.get("findings") or []
    names = indicator_names(report)
    shown_items, hidden = limited(findings, limit)
    views = [finding_view(f, i, names, text) for i, f in shown_items]
    worse = worse_point_ids(findings)
    # flagged charts first, then the run's order (a stable sort); geometry only for the charts drawn
    plottable = [(s, points) for s in report.get("series") or [] if (points := plotted(s))]
    flagged = [any(p.get("role") == "target" and p.get("id") in worse for p in points) for _, points in plottable]
    order = sorted(range(len(plottable)), key=lambda k: not flagged[k])[:chart_limit]
    charts = [chart(plottable[k][0], worse, lang, plottable[k][1]) for k in order]
    run = report.get("run") or {}
    scope = run.get("scope") or {}
    out.writelines(_env.get_template("report.html.j2").generate(
        t=text, lang=lang, html_lang=HTML_LANG[lang], source_lang=SOURCE_LANG, message_lang=MESSAGE_LANG,
        tool=report.get("tool") or {},
        run=run,
        partial=", ".join(scope.get("families") or []) if scope and scope.get("complete") is False else "",
        dataset=report.get("dataset") or {},
        documents=report.get("documents") or [],
        titles={d.get("id"): d.get("title") for d in report.get("documents") or []},
        rules=[rule_view(r) for r in report.get("rules") or []],
        items=with_more_notes(views, hidden, findings),
        shown_count=len(views),
        hidden_total=sum(hidden.values()),
        limit=limit,
        export=export_data([export_row(f) for f in findings]),
        counts=status_counts(findings),
        resolved=report.get("resolved") or [],
        stale_waivers=report.get("stale_waivers") or [],
        suites=report.get("suites") or [],
        schemas=report.get("schemas") or [],
        settings=settings,
        charts=charts,
        charts_more=max(0, len(plottable) - chart_limit),
        chart_limit=chart_limit,
        any_wrong=any(flagged),
        severities=SEVERITIES,
        statuses=STATUSES,
        families=sorted({f.get("family") or "" for f in findings} - {""}),
        finding_documents=sorted({finding_document(f) for f in findings} - {""}),
        chart_w=CHART_W,
        chart_h=CHART_H,
        csp_hash=csp_hash,
        script_config={"showing": text["showing"], "columns": list(EXPORT_COLUMNS),
                       "file": "seed-findings-" + str((report.get("dataset") or {}).get("fingerprint") or "run")[:12]},
    ))


def _setting(settings: list[dict], key: str) -> int:
    for s in settings:
        if s.get("key") == key and isinstance(s.get("value"), int) and s["value"] > 0:
            return s["value"]
    from checks.settings import Settings
    return getattr(Settings(), key)


def csp_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script and no other."""
    return Markup("'sha256-{}'").format(base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii"))


def highlight_quote(quote: str | None, span) -> Markup:
    """The quote with the figure wrapped in <mark>; each piece escaped (controls made visible)
    before joining. The offsets refer to the quote as stored."""
    quote = quote or ""
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(i, int) and not isinstance(i, bool) for i in span):
        start, end = span
        if 0 <= start < end <= len(quote):
            return Markup(f"{shown(quote[:start])}<mark>{shown(quote[start:end])}</mark>{shown(quote[end:])}")
    return shown(quote)


def finding_document(f: dict) -> str:
    obs = f.get("observations") or []
    return f.get("document") or (obs[0].get("document") if obs else "") or ""


def indicator_names(report: dict) -> dict[str, str]:
    """Indicator id → the catalogue's name, from every observation and series in the report."""
    names = {}
    for s in report.get("series") or []:
        if s.get("indicator") and s.get("name"):
            names[s["indicator"]] = s["name"]
    for f in report.get("findings") or []:
        for o in f.get("observations") or []:
            if o.get("indicator") and o.get("indicator_name"):
                names[o["indicator"]] = o["indicator_name"]
        implied = (f.get("evidence") or {}).get("implied")
        if isinstance(implied, dict) and implied.get("indicator") and implied.get("name"):
            names[implied["indicator"]] = implied["name"]
    return names


def finding_view(f: dict, index: int, names: dict[str, str], text: dict[str, str]) -> dict:
    observations = f.get("observations") or []
    return {
        **f,
        "index": index,
        "doc": finding_document(f),
        "evidence_rows": EvidenceView(observations, names, text).rows(f.get("evidence") if isinstance(f.get("evidence"), dict) else {}),
        "obs": [{**o, "highlighted": highlight_quote(o.get("quote"), o.get("figure_in_quote")),
                 "printed": printed_with_unit(o.get("value_printed"), o.get("unit_printed"))} for o in observations],
    }


def limited(findings: list[dict], limit: int) -> tuple[list[tuple[int, dict]], Counter]:
    """The findings shown (at most `limit` per rule, in the run's order, with their index) and how
    many of each rule are left out."""
    seen: Counter = Counter()
    kept = []
    for i, f in enumerate(findings):
        seen[f.get("rule")] += 1
        if seen[f.get("rule")] <= limit:
            kept.append((i, f))
    return kept, Counter({rule: n - limit for rule, n in seen.items() if n > limit})


def with_more_notes(views: list[dict], hidden: Counter, findings: list[dict]) -> list[tuple[str, dict]]:
    """The cards, each rule's "n more not shown" note after its last card."""
    last = {v.get("rule"): k for k, v in enumerate(views)}
    items = []
    for k, v in enumerate(views):
        items.append(("card", v))
        rule = v.get("rule")
        if hidden.get(rule) and last[rule] == k:
            items.append(("more", {"rule": rule, "n": hidden[rule], "severity": v.get("severity"), "family": v.get("family")}))
    return items


def export_row(f: dict) -> list:
    """One finding as a row of the download (EXPORT_COLUMNS); text as written, numbers as numbers."""
    observations = f.get("observations") or []
    location = f.get("location") or {}
    judged = observations[-1] if observations else {}
    waiver = f.get("waiver") or {}
    return [f.get("severity"), f.get("status"), f.get("rule"), f.get("message"), finding_document(f), f.get("line"),
            location.get("file") or judged.get("file"), location.get("line") if location else judged.get("file_line"),
            " | ".join(dict.fromkeys(o.get("indicator_name") or o.get("indicator") or "" for o in observations)),
            " ".join(o.get("id") or "" for o in observations),
            " | ".join(printed_with_unit(o.get("value_printed"), o.get("unit_printed")) for o in observations),
            " | ".join(o.get("quote") or "" for o in observations),
            f.get("fingerprint"), waiver.get("reason") or ""]


def export_data(rows: list[list]) -> Markup:
    """The download's data as JSON safe inside <script type="application/json">: each distinct
    value stored once ("values") and rows as indexes into it, UTF-8 rather than \\u escapes, so
    26,000 findings of a 100k-observation run stay a few megabytes."""
    index: dict[tuple, int] = {}
    values: list = []
    packed = []
    for row in rows:
        out = []
        for v in row:
            key = (type(v).__name__, v)
            if key not in index:
                index[key] = len(values)
                values.append(v)
            out.append(index[key])
        packed.append(out)
    text = json.dumps({"columns": list(EXPORT_COLUMNS), "values": values, "rows": packed}, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027"))


def rule_view(r: dict) -> dict:
    failed, waived = r.get("failed") or 0, r.get("waived") or 0
    return {**r, "family": r.get("family") or "", "unwaived": r.get("unwaived", max(failed - waived, 0))}


def status_counts(findings: list[dict]) -> dict:
    """Unwaived findings per severity (what fails a run), and waived and new ones apart."""
    unwaived = Counter(f.get("severity") for f in findings if f.get("status") != "waived")
    status = Counter(f.get("status") for f in findings)
    return {"severity": {s: unwaived.get(s, 0) for s in SEVERITIES}, "waived": status.get("waived", 0),
            "new": status.get("new", 0), "total": len(findings),
            "all_severity": Counter(f.get("severity") for f in findings)}


def worse_point_ids(findings: list[dict]) -> set[str]:
    """The observations named by findings of the rules that mark a chart (`@rule(..., marks_chart=True)`)."""
    from checks.rules import RULES  # the registry: a report read back from JSON is drawn by the same rules' metadata

    marking = {r.id for r in RULES if r.marks_chart}
    return {o.get("id") for f in findings if f.get("rule") in marking for o in f.get("observations") or []}


def _num(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about `ticks` intervals over `span`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def y_scale(values: list[float], unit: str) -> tuple[float, float, float]:
    """(bottom, top, step) of a y axis that spans the data with a margin, never so tight that a
    small move looks like a cliff: at least 12 % of the largest magnitude is shown. Non-negative
    data keep the axis at or above 0, shares at or below 100 %."""
    low, high = min(values), max(values)
    span = high - low
    need = max(span * 1.3, 0.12 * max(abs(low), abs(high)), 1e-9) if (span or low or high) else 1.0
    extra = (need - span) / 2
    bottom, top = low - extra, high + extra
    if low >= 0 > bottom:
        bottom, top = 0.0, max(top - bottom, high)
    if unit == "percent" and high <= 100 < top:
        bottom, top = max(0.0, min(bottom, 100 - need)), 100.0
    step = nice_step(top - bottom)
    return math.floor(bottom / step + 1e-9) * step, math.ceil(top / step - 1e-9) * step, step


def plotted(s: dict) -> list[dict]:
    """The points of a series that can be drawn: a year, and a value or a bound."""
    points = []
    for p in s.get("points") or []:
        lower, upper, value = _num(p.get("lower")), _num(p.get("upper")), _num(p.get("value"))
        y = value if value is not None else lower if lower is not None else upper
        try:
            year = int(p.get("year"))
        except (TypeError, ValueError):
            continue
        if y is not None:
            points.append({**p, "year": year, "y": y, "lo": lower, "hi": upper})
    return points


def chart(s: dict, worse: set[str], lang: str = "en", points: list[dict] | None = None) -> dict | None:
    """Geometry of one baseline/target chart with a y axis, tick labels, each printed value's
    interval (floors and ceilings as open bounds) and the band from the baseline to the latest
    target (`points`: plotted(s), when already known). The template draws it as inline SVG."""
    points = plotted(s) if points is None else points
    if not points:
        return None
    unit = str(s.get("unit") or "")
    years = sorted({p["year"] for p in points})
    bottom, top, step = y_scale([p["y"] for p in points], unit)
    x0, x1 = years[0], years[-1]

    def sx(year):
        return (LEFT + RIGHT) / 2 if x1 == x0 else LEFT + 18 + (year - x0) / (x1 - x0) * (RIGHT - LEFT - 36)

    def sy(v):
        return round(min(BOTTOM, max(TOP, BOTTOM - (v - bottom) / (top - bottom) * (BOTTOM - TOP))), 1)

    ticks = []
    k = 0
    while bottom + k * step <= top + step * 1e-6 and k < 12:
        v = bottom + k * step
        ticks.append({"y": sy(v), "label": tick_label(round(v, 10), step, lang)})
        k += 1
    by_year: dict[int, list[dict]] = {}
    for p in points:
        by_year.setdefault(p["year"], []).append(p)
    drawn = []
    for year, group in sorted(by_year.items()):
        group.sort(key=lambda p: -p["y"])
        for i, p in enumerate(group):
            drawn.append(_point(p, sx(year) + (i - (len(group) - 1) / 2) * 16, sy, below=i % 2 == 1,
                                wrong=p.get("role") == "target" and p.get("id") in worse))
    direction = str(s.get("direction")) if s.get("direction") in ("up", "down") else ""
    band = _band(drawn, direction)
    return {
        "document": s.get("document") or "", "indicator": s.get("indicator") or "", "name": s.get("name") or "",
        "region": s.get("region") or "", "scope": s.get("scope") or "",
        "unit": s.get("unit_name") or UNIT_SYMBOLS.get(unit, unit),
        "direction": direction, "points": drawn, "wrong": any(p["wrong"] for p in drawn), "band": band,
        "line": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "years": [(round(sx(year), 1), year) for year in years], "ticks": ticks,
        "top": TOP, "bottom": BOTTOM, "left": LEFT, "right": RIGHT,
    }


def _band(drawn: list[dict], direction: str) -> dict | None:
    """The band between the (latest) baseline's level and the latest target's: red when a rule
    flagged the target, green when it is better in the indicator's direction, grey otherwise."""
    baselines = [p for p in drawn if p["role"] == "baseline"]
    targets = [p for p in drawn if p["role"] == "target"]
    if not baselines or not targets:
        return None
    b, t = baselines[-1], targets[-1]
    if t["wrong"]:
        tone = "worse"
    elif direction and t["value"] != b["value"] and (t["value"] > b["value"]) == (direction == "up"):
        tone = "better"
    else:
        tone = "neutral"
    y1, y2 = sorted((b["y"], t["y"]))
    return {"y": y1, "h": max(round(y2 - y1, 1), 1.0), "tone": tone}


def tick_label(value: float, step: float, lang: str) -> str:
    """A tick label short enough for the axis: 7,600,000 reads 7.6M (en) or 760万 (zh)."""
    big = max(abs(value), step)
    if lang == "zh" and big >= 1e5:
        unit, scale = ("亿", 1e8) if big >= 1e9 else ("万", 1e4)
    elif lang != "zh" and big >= 1e5:
        unit, scale = ("B", 1e9) if big >= 1e10 else ("M", 1e6) if big >= 1e6 else ("k", 1e3)
    else:
        return number(value)
    return number(round(value / scale, 6)) + unit if value else "0"


def _point(p: dict, x: float, sy, below: bool, wrong: bool) -> dict:
    """One plotted point. Points sharing a year sit side by side, their labels alternating above and below."""
    y = sy(p["y"])
    lo, hi = p["lo"], p["hi"]
    bound = "floor" if lo is not None and hi is None else "ceiling" if hi is not None and lo is None else ""
    whisker = None
    if not bound and lo is not None and hi is not None and sy(lo) - sy(hi) >= 3:
        whisker = {"y1": sy(hi), "y2": sy(lo)}
    label_y = y + 15 if below or (bound == "floor" and not below and y - TOP < 14) else y - 8
    label = (p.get("printed") or "") + (" worse" if wrong else "")
    # Keep the label inside the chart: a wide one near an edge is anchored to that edge's side of the point.
    half = sum(10 if ord(c) > 0x2E7F else 6 for c in label) / 2
    anchor, label_x = ("end", x + 6) if x + half > CHART_W - 2 else ("start", x - 6) if x - half < LEFT else ("middle", x)
    return {"id": p.get("id") or "", "role": p.get("role") or "", "year": p["year"], "printed": p.get("printed") or "",
            "value": p["y"], "interval": interval([lo, hi]), "wrong": wrong, "x": round(x, 1), "y": y, "bound": bound,
            "label_x": round(label_x, 1), "label_y": round(min(label_y, BOTTOM + 1), 1), "anchor": anchor, "whisker": whisker}
