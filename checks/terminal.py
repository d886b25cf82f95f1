"""What a person at a terminal sees: a progress display while layers run and a summary table.
Neither is drawn when the output is not a terminal (CI logs get plain lines instead)."""

from __future__ import annotations

import sys

import click


class Progress:
    """A spinner with the current step on stderr, only when stderr is a terminal."""

    def __init__(self):
        self._status = None
        if sys.stderr.isatty():
            from rich.console import Console
            self._status = Console(stderr=True).status("starting")

    def __enter__(self) -> "Progress":
        if self._status:
            self._status.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._status:
            self._status.__exit__(*exc)

    def step(self, text: str) -> None:
        if self._status:
            self._status.update(text)


def print_summary(report: dict, failing: list, report_path) -> None:
    counts = {s: sum(1 for f in report["findings"] if f["severity"] == s and f["status"] != "waived") for s in ("error", "warning", "info")}
    waived = sum(1 for f in report["findings"] if f["status"] == "waived")
    new = sum(1 for f in report["findings"] if f["status"] == "new")
    if sys.stdout.isatty():
        _table(report)
    else:
        for finding in failing:
            click.echo(f"{finding.severity}: {finding.rule}: {finding.message}")
    line = (f"{report['dataset']['observations']} observations, {len(report['rules'])} rules: "
            f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info, {waived} waived")
    if report["run"]["compared_with_previous"]:
        line += f"; {new} new, {len(report['resolved'])} resolved since the previous run"
    if report["stale_waivers"]:
        line += f"; {len(report['stale_waivers'])} stale waiver(s)"
    click.echo(line)
    if report_path:
        click.echo(f"report: {report_path}")
    verdict = f"FAILED: {len(failing)} finding(s) at or above {report['run']['fail_on']}" if failing else "passed"
    click.secho(verdict, fg="red" if failing else "green", bold=True)


def _table(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Seed: findings by rule")
    for column in ("rule", "severity", "checked", "failed", "waived", "undecided"):
        table.add_column(column, justify="left" if column in ("rule", "severity") else "right")
    for rule in report["rules"]:
        if rule["failed"] or rule["undecided"]:
            style = {"error": "red", "warning": "yellow"}.get(rule["severity"], "") if rule["failed"] > rule["waived"] else ""
            table.add_row(rule["rule"], rule["severity"], str(rule["checked"]), str(rule["failed"]), str(rule["waived"]),
                          str(rule["undecided"]), style=style)
    Console().print(table)
