"""GitHub Actions workflow commands: one `::error file=…,line=…,title=…::message` annotation per
unwaived finding, shown by GitHub on the pull request's diff at the CSV row.

Escaping follows the runner's own rules (actions/toolkit, command.ts): in the message `%`, `\\r`
and `\\n`; in properties also `:` and `,`.
"""

from __future__ import annotations

from checks.report_model import Finding, Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = []
    if finding.location:
        properties.append(f"file={escape_property(finding.location.file)}")
        if finding.location.line:
            properties.append(f"line={finding.location.line}")
    title = f"{finding.rule} ({finding.severity}{', new' if finding.status == 'new' else ''})"
    properties.append(f"title={escape_property(title)}")
    message = f"{finding.message}\n[{finding.fingerprint}]"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render_github(report: Report) -> str:
    """Annotations for every unwaived finding (the failing ones first)."""
    shown = [f for f in report.findings if f.status != "waived"]
    shown.sort(key=lambda f: not f.fails)
    return "".join(annotation(f) + "\n" for f in shown)
