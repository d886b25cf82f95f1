"""What a person at a terminal sees: a progress display while layers run, the findings as
`path:line: rule  message` lines (clickable in editors), the counts and the verdict.

The rule table is drawn when standard output is a terminal (or with -v); CI logs get plain lines.
Colour follows --color auto|always|never; `auto` means a terminal and no NO_COLOR variable.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

import click

from checks.findings import SEVERITIES
from checks.report_model import Finding, Report

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def use_colour(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


class Progress:
    """A spinner with the current step on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool = True):
        self._status = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            self._status = Console(stderr=True).status("starting")

    def __enter__(self) -> Progress:
        if self._status:
            self._status.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._status:
            self._status.__exit__(*exc)

    def step(self, text: str) -> None:
        if self._status:
            self._status.update(text)


def finding_line(finding: Finding, colour: bool = False) -> str:
    """`path:line: rule  message`, the form editors and terminals turn into a link."""
    where = f"{finding.where()}: " if finding.where() else ""
    rule = click.style(finding.rule, fg=COLOURS[finding.severity], bold=finding.fails) if colour else finding.rule
    marks = []
    if finding.status == "waived":
        marks.append("waived")
    elif finding.status == "new":
        marks.append("new")
    suffix = f" [{', '.join(marks)}]" if marks else ""
    message = " ".join(line.strip() for line in finding.message.splitlines())
    return f"{where}{rule}  {message}{suffix}"


def counts_line(report: Report) -> str:
    c = report.counts
    parts = [f"{getattr(c, s).unwaived} {s}{'s' if s != 'info' and getattr(c, s).unwaived != 1 else ''}" for s in SEVERITIES]
    waived = sum(getattr(c, s).waived for s in SEVERITIES)
    waived_detail = ", ".join(f"{getattr(c, s).waived} {s}" for s in SEVERITIES if getattr(c, s).waived)
    line = (f"{report.dataset.observations} observations, {len(report.rules)} rules: " + ", ".join(parts)
            + f"; {waived} waived" + (f" ({waived_detail})" if waived_detail else ""))
    if report.run.compared_with_previous:
        line += f"; {c.new} new, {c.resolved} resolved since the previous run"
    if c.stale_waivers:
        line += f"; {c.stale_waivers} stale waiver(s)"
    return line


def scope_line(report: Report) -> str | None:
    scope = report.run.scope
    if scope.complete:
        return None
    chosen = ""
    if scope.select:
        chosen += f" --select {','.join(scope.select)}"
    if scope.ignore:
        chosen += f" --ignore {','.join(scope.ignore)}"
    return f"partial run{chosen}: families {', '.join(scope.families) or 'none'} ({scope.rules} rules)"


def verdict(report: Report) -> tuple[str, bool]:
    failing = report.counts.failing
    if failing:
        what = "new finding(s)" if report.run.new_only else "finding(s)"
        return f"FAILED: {failing} {what} at or above {report.run.fail_on}", False
    return "passed", True


def print_text(report: Report, *, verbosity: int = 0, colour: bool = False, outputs: Sequence[tuple[str, str]] = (),
               stream: TextIO | None = None, table: bool | None = None) -> None:
    """verbosity -1 (-q): failing findings and the verdict; 0: also the table (on a terminal),
    counts and outputs written; 1 (-v): every finding, waived ones marked, and the table always."""
    stream = stream or sys.stdout
    echo = lambda text="": click.echo(text, file=stream, color=colour)  # noqa: E731
    if verbosity >= 0 and (table if table is not None else (verbosity > 0 or stream.isatty())):
        _table(report, colour, stream)
    shown = report.findings if verbosity > 0 else report.failing()
    for finding in shown:
        echo(finding_line(finding, colour))
    if verbosity >= 0:
        if scope_line(report):
            echo(scope_line(report))
        echo(counts_line(report))
        for what, path in outputs:
            echo(f"{what}: {path}")
    text, ok = verdict(report)
    echo(click.style(text, fg="green" if ok else "red", bold=True) if colour else text)


def _table(report: Report, colour: bool, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Seed: findings by rule")
    for column in ("rule", "severity", "checked", "unwaived", "waived", "undecided"):
        table.add_column(column, justify="left" if column in ("rule", "severity") else "right")
    for rule in report.rules:
        if rule.failed or rule.undecided:
            style = COLOURS.get(rule.severity, "") if rule.unwaived and rule.severity != "info" else ""
            table.add_row(rule.rule, rule.severity, str(rule.checked), str(rule.unwaived), str(rule.waived),
                          str(rule.undecided), style=style)
    Console(file=stream, no_color=not colour, force_terminal=colour, highlight=False, width=None if stream.isatty() else 120).print(table)
