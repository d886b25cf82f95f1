"""The auditor-facing HTML report: one self-contained page rendered from a run's JSON dict.

Everything in the dict is untrusted text (source documents carry injected advertising and
datasets arrive in pull requests), so the template autoescapes, the only Markup built here is
made of escaped pieces, and the page's Content-Security-Policy admits just its own inline script.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

SEVERITIES = ("error", "warning", "info")
WORSE_RULES = {"targets.worse-than-baseline", "targets.later-worse"}
CHART_W, CHART_H = 220, 120
# Plot area inside the chart: room for printed labels on the sides and above, years below.
LEFT, RIGHT, TOP, BOTTOM = 30, CHART_W - 30, 28, CHART_H - 24

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(report: dict) -> str:
    findings = report.get("findings") or []
    series = report.get("series") or []
    worse = worse_point_ids(findings)
    charts = [c for c in (chart(s, worse) for s in series) if c]
    charts.sort(key=lambda c: not c["wrong"])  # stable: wrong charts first, then the run's order
    return _env.get_template("report.html.j2").render(
        tool=report.get("tool") or {},
        run=report.get("run") or {},
        dataset=report.get("dataset") or {},
        documents=report.get("documents") or [],
        titles={d.get("id"): d.get("title") for d in report.get("documents") or []},
        rules=[{**r, "family": r.get("family") or ""} for r in report.get("rules") or []],
        findings=[finding_view(f, i) for i, f in enumerate(findings)],
        search_index=[search_text(f) for f in findings],
        counts=status_counts(findings),
        resolved=report.get("resolved") or [],
        stale_waivers=report.get("stale_waivers") or [],
        suites=report.get("suites") or [],
        schemas=report.get("schemas") or [],
        charts=charts,
        any_wrong=any(c["wrong"] for c in charts),
        severities=SEVERITIES,
        families=sorted({f.get("family") or "" for f in findings} - {""}),
        finding_documents=sorted({finding_document(f) for f in findings} - {""}),
        chart_w=CHART_W,
        chart_h=CHART_H,
        csp_hash=csp_hash,
    )


def csp_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script and no other."""
    return Markup("'sha256-{}'").format(base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii"))


def highlight_quote(quote: str | None, span) -> Markup:
    """The quote with the figure wrapped in <mark>; each piece escaped before joining."""
    quote = quote or ""
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(i, int) for i in span):
        start, end = span
        if 0 <= start < end <= len(quote):
            return Markup("{}<mark>{}</mark>{}").format(quote[:start], quote[start:end], quote[end:])
    return escape(quote)


def finding_document(f: dict) -> str:
    obs = f.get("observations") or []
    return f.get("document") or (obs[0].get("document") if obs else "") or ""


def finding_view(f: dict, index: int) -> dict:
    return {
        **f,
        "index": index,
        "doc": finding_document(f),
        "evidence_json": pretty_json(f["evidence"]) if f.get("evidence") else "",
        "obs": [{**o, "highlighted": highlight_quote(o.get("quote"), o.get("figure_in_quote"))}
                for o in f.get("observations") or []],
    }


def pretty_json(value, indent: int = 0, width: int = 100) -> str:
    """JSON indented only where a line would be too long, so small evidence stays on a few lines."""
    flat = json.dumps(_tidy(value), ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {pretty_json(v, indent + 2, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + pretty_json(v, indent + 2, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def _tidy(value):
    """Floats to 10 significant digits: 96.14999999999999 reads as 96.15."""
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {str(k): _tidy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tidy(v) for v in value]
    return value


def search_text(f: dict) -> str:
    """What the search box matches: message, rule and quotes (plus document and indicator names)."""
    parts = [f.get("rule"), f.get("message"), f.get("document")]
    for o in f.get("observations") or []:
        parts += [o.get("quote"), o.get("indicator"), o.get("indicator_name"), o.get("value_printed"), o.get("id")]
    return " ".join(str(p) for p in parts if p).lower()


def status_counts(findings: list[dict]) -> dict:
    sev = Counter(f.get("severity") for f in findings)
    status = Counter(f.get("status") for f in findings)
    return {"severity": {s: sev.get(s, 0) for s in SEVERITIES}, "waived": status.get("waived", 0),
            "new": status.get("new", 0), "total": len(findings)}


def worse_point_ids(findings: list[dict]) -> set[str]:
    return {o.get("id") for f in findings if f.get("rule") in WORSE_RULES for o in f.get("observations") or []}


def _num(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def chart(s: dict, worse: set[str]) -> dict | None:
    """Geometry of one small baseline/target chart; the template draws it as inline SVG."""
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
    if not points:
        return None
    years = [p["year"] for p in points]
    # The scale follows the values only: rounding intervals would otherwise flatten every trend.
    ys = [p["y"] for p in points]
    x0, x1, y0, y1 = min(years), max(years), min(ys), max(ys)
    pad = (y1 - y0) * 0.2 if y1 > y0 else (abs(y0) * 0.1 or 1.0)
    y0, y1 = y0 - pad, y1 + pad

    def sx(year):
        return (LEFT + RIGHT) / 2 if x1 == x0 else LEFT + (year - x0) / (x1 - x0) * (RIGHT - LEFT)

    def sy(v):
        return min(BOTTOM, max(TOP - 6, BOTTOM - (v - y0) / (y1 - y0) * (BOTTOM - TOP)))

    by_year: dict[int, list[dict]] = {}
    for p in points:
        by_year.setdefault(p["year"], []).append(p)
    drawn = []
    for year, group in sorted(by_year.items()):
        group.sort(key=lambda p: -p["y"])
        for k, p in enumerate(group):
            drawn.append(_point(p, sx(year) + (k - (len(group) - 1) / 2) * 14, sy, below=k % 2 == 1,
                                wrong=p.get("role") == "target" and p.get("id") in worse))
    return {
        "document": s.get("document") or "", "indicator": s.get("indicator") or "", "name": s.get("name") or "",
        "region": s.get("region") or "", "scope": s.get("scope") or "", "unit": s.get("unit") or "",
        "direction": s.get("direction") if s.get("direction") in ("up", "down") else "",
        "points": drawn, "wrong": any(p["wrong"] for p in drawn),
        "line": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "years": [(round(sx(year), 1), year) for year in sorted(by_year)],
        "axis_y": BOTTOM, "left": LEFT - 18, "right": RIGHT + 18,
    }


def _point(p: dict, x: float, sy, below: bool, wrong: bool) -> dict:
    """One plotted point. Points sharing a year sit side by side, their labels alternating above and below."""
    y = sy(p["y"])
    # A null interval end is unbounded: its whisker runs to the plot's edge, dashed.
    whisker = None
    if (p["lo"], p["hi"]) != (p["y"], p["y"]):
        top = TOP - 6 if p["hi"] is None else sy(p["hi"])
        bottom = BOTTOM if p["lo"] is None else sy(p["lo"])
        if bottom - top >= 3:
            whisker = {"y1": round(top, 1), "y2": round(bottom, 1), "open": p["lo"] is None or p["hi"] is None}
    label_y = y + 14 if below else y - 8
    label = (p.get("printed") or "") + (" worse" if wrong else "")
    # Keep the label inside the chart: a wide one near an edge is anchored to that edge's side of the point.
    half = sum(10 if ord(c) > 0x2E7F else 6 for c in label) / 2
    anchor, label_x = ("end", x + 6) if x + half > CHART_W - 2 else ("start", x - 6) if x - half < 2 else ("middle", x)
    return {"id": p.get("id") or "", "role": p.get("role") or "", "year": p["year"], "printed": p.get("printed") or "",
            "lower": p["lo"], "upper": p["hi"], "wrong": wrong, "x": round(x, 1), "y": round(y, 1),
            "label_x": round(label_x, 1), "label_y": round(label_y, 1), "anchor": anchor, "whisker": whisker}
