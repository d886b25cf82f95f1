"""A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment: the verdict, the one
set of counts, what ran, and the failing findings as a table with their CSV row and quote.

Every piece of dataset or source text is escaped: ASCII punctuation Markdown could read as syntax
(inline or in a cell) is backslash-escaped (so `|` cannot split a cell and `[x](y)` is no link), line breaks become
spaces (a cell is one line), and `@` is followed by a zero-width space so nobody is mentioned.
"""

from __future__ import annotations

import re

from checks.findings import SEVERITIES
from checks.report_model import Finding, Report
from checks.terminal import counts_line, scope_line, verdict

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#!|<>~&$:^])")
MAX_ROWS = 50


def escape(text: object) -> str:
    flat = " ".join(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return _PUNCTUATION.sub(r"\\\1", flat).replace("@", "@\u200b")


def render_markdown(report: Report) -> str:
    text, ok = verdict(report)
    # The verdict, scope and counts lines are Seed's own words (rule ids and families are checked
    # against the registry), so they are not escaped; everything from the dataset is.
    lines = [f"## Seed: {'✅' if ok else '❌'} {text}", ""]
    partial = scope_line(report)
    if partial:
        lines += [f"**{partial}**", ""]
    lines += [counts_line(report), ""]
    lines += ["| severity | unwaived | waived |", "|---|---:|---:|"]
    for severity in SEVERITIES:
        count = getattr(report.counts, severity)
        lines.append(f"| {severity} | {count.unwaived} | {count.waived} |")
    lines.append("")
    failing = report.failing()
    if failing:
        lines += [f"### Findings that fail the run ({len(failing)})", "",
                  "| where | rule | severity | message | printed |", "|---|---|---|---|---|"]
        lines += [_row(f) for f in failing[:MAX_ROWS]]
        if len(failing) > MAX_ROWS:
            lines.append(f"| … | {len(failing) - MAX_ROWS} more in the full report | | | |")
        lines.append("")
    if report.resolved:
        lines += [f"### Resolved since the previous run ({len(report.resolved)})", ""]
        lines += [f"- `{r.rule}` {escape(r.message)}" for r in report.resolved[:MAX_ROWS]]
        lines.append("")
    if report.stale_waivers:
        lines += [f"### Stale waivers ({len(report.stale_waivers)})", ""]
        lines += [f"- `{w.fingerprint}` {escape(w.rule)}: {escape(w.reason)}" for w in report.stale_waivers]
        lines.append("")
    lines.append(f"<sub>seed {escape(report.tool.version)}, report schema {report.schema_version}, "
                 f"dataset {escape(report.dataset.path)} `{report.dataset.fingerprint[:12]}`</sub>")
    return "\n".join(lines) + "\n"


def _row(finding: Finding) -> str:
    where = finding.where()
    printed = "; ".join(f"{o.quote}" for o in finding.observations[:2])
    new = " (new)" if finding.status == "new" else ""
    return f"| {escape(where)} | {escape(finding.rule)}{new} | {finding.severity} | {escape(finding.message)} | {escape(printed)} |"
