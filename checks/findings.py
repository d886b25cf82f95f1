"""Findings are data: what a rule found, which observations, the values compared.

A rule returns Violations; `engine` turns them into Findings (rule id, severity, fingerprint).
Renderers (terminal, JSON, JUnit, HTML) only read Findings.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar, get_args

Severity = Literal["error", "warning", "info"]  # the one list of severities, worst first
FailOn = Literal["error", "warning", "info", "never"]
Status = Literal["open", "new", "waived"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
STATUSES: tuple[Status, ...] = get_args(Status)


def severity_rank(severity: str) -> int:
    """error 3, warning 2, info 1: higher is worse."""
    return len(SEVERITIES) - SEVERITIES.index(severity)


def fails_run(severity: str, status: str, fail_on: str, new_only: bool = False) -> bool:
    """The one decision of which findings fail a run: unwaived, at or above `fail_on` ('never':
    none), and with `new_only` (pull-request mode) only the ones the previous run did not have."""
    if fail_on == "never" or status == "waived":
        return False
    return severity_rank(severity) >= severity_rank(fail_on) and (not new_only or status == "new")


@dataclass(frozen=True)
class Violation:
    """What a rule returns: one failing comparison."""

    message: str
    observations: tuple[str, ...] = ()
    evidence: dict = field(default_factory=dict)  # the values compared, intervals, derived figures
    document: str | None = None  # for findings about a source rather than observations
    line: int | None = None
    key: str = ""  # distinguishes two findings of one rule on the same observations
    severity: Severity | None = None  # when not the rule's own (a GE suite's expectation may set its own)


@dataclass(frozen=True)
class Outcome:
    """A rule's result: how many comparisons it made, how many it could not decide, what failed."""

    checked: int
    violations: list[Violation]
    undecided: int = 0
    undecided_reasons: dict[str, int] = field(default_factory=dict)


ObservationT = TypeVar("ObservationT")
WaiverT = TypeVar("WaiverT")


@dataclass
class FindingFields(Generic[ObservationT, WaiverT]):
    """The one declaration of what a finding says, in the order every output shows it. The run
    holds `Finding` (below: observations and waiver as dicts, a plain dataclass, cheap to make by
    the ten thousand); the published report's `report_model.Finding` is built on the same fields,
    with the observations and the waiver typed, where the finding is shown and whether it fails."""

    rule: str
    family: str
    severity: Severity
    message: str
    observations: list[ObservationT]  # id, document, line, quote, value_printed, figure span in quote
    evidence: dict
    document: str | None
    line: int | None
    fingerprint: str
    status: Status = "open"  # open / new / waived (with a previous run: new / open; resolved ones listed apart)
    waiver: WaiverT | None = None


@dataclass
class Finding(FindingFields[dict, dict]):
    """A finding as the run holds it: the engine makes it, waivers and --previous set its status."""

    def json_dict(self) -> dict:
        return plain(vars(self))


def fingerprint(rule: str, observation_ids: tuple[str, ...], document: str | None, line: int | None, key: str) -> str:
    """Stable across runs and row order: the rule, the sorted observation ids, and where."""
    parts = [rule, *sorted(observation_ids), document or "", str(line or ""), key]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def plain(value):
    """A value as JSON holds it (the one place Seed cleans values for JSON): numpy and pandas
    scalars as Python ones, tuples and sets as lists, keys as text, a float that is not finite (NaN,
    or ±inf: the open end of an interval) as null, anything else as its text."""
    kind = type(value)  # the common exact types first: a report cleans millions of values
    if kind in _PLAIN_SCALARS:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:  # text and integers kept without a call: most values of a finding are
        return {k if type(k) is str else str(k): v if type(v) in _PLAIN_SCALARS else plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN_SCALARS else plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})
