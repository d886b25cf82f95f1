"""The rule registry and runner: rules return data; this module turns it into findings.

Rules are registered with @rule in their family module; checks/rules/__init__.py imports the
families in an explicit list. A duplicate id fails at import. A rule that raises becomes an
error finding of its own (`engine.rule-crashed`), so `check all` always finishes.
"""

from __future__ import annotations

import inspect
import traceback
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pandas as pd

from checks.dataset import Dataset
from checks.findings import Finding, Outcome, Violation, fingerprint


@dataclass(frozen=True)
class Rule:
    id: str  # family.name, stable forever: used in reports, waivers and JUnit
    severity: str
    check: Callable[["Context"], Outcome]

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def summary(self) -> str:
        return (inspect.getdoc(self.check) or "").split("\n", 1)[0]

    @property
    def description(self) -> str:
        return inspect.getdoc(self.check) or ""


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: str):
    def register(function: Callable[["Context"], Outcome]) -> Callable[["Context"], Outcome]:
        if rule_id in REGISTRY:
            raise RuntimeError(f"duplicate rule id {rule_id}")
        if not inspect.getdoc(function):
            raise RuntimeError(f"rule {rule_id} has no docstring: its first line is what the report says")
        REGISTRY[rule_id] = Rule(rule_id, severity, function)
        return function
    return register


@dataclass
class RuleSummary:
    rule: str
    family: str
    severity: str
    summary: str
    checked: int
    failed: int
    undecided: int
    undecided_reasons: dict
    crashed: bool = False

    @property
    def passed(self) -> int:
        return max(self.checked - self.failed, 0)


class Context:
    """What every rule reads: the dataset, the parsed observations and where they stand."""

    def __init__(self, dataset: Dataset):
        from checks import locator, observations  # local: the parse step needs a loaded dataset
        self.dataset = dataset
        self.settings = dataset.settings
        self.obs = observations.build(dataset)
        self.located = locator.locate(dataset.observations, dataset.sources, dataset.settings.line_window)
        self.cache: dict = {}  # results two rules of one family share (e.g. the coverage scan)

    @cached_property
    def by_id(self) -> pd.DataFrame:
        return self.obs.set_index("id")

    @cached_property
    def located_by_id(self) -> pd.DataFrame:
        return self.located.set_index("id")


def run(context: Context, rules: list[Rule]) -> tuple[list[Finding], list[RuleSummary]]:
    findings, summaries = [], []
    for current in rules:
        try:
            outcome = current.check(context)
            crashed = False
        except Exception:  # a broken rule is a finding, never a crash of the whole run
            outcome = Outcome(0, [Violation(f"rule {current.id} crashed: {traceback.format_exc(limit=3)}", key="crash")])
            crashed = True
        severity = "error" if crashed else current.severity
        for violation in outcome.violations:
            findings.append(_finding(context, current, severity, violation))
        summaries.append(RuleSummary(current.id, current.family, current.severity, current.summary,
                                     outcome.checked, len(outcome.violations), outcome.undecided,
                                     dict(outcome.undecided_reasons), crashed))
    return findings, summaries


def _finding(context: Context, current: Rule, severity: str, violation: Violation) -> Finding:
    located = context.located_by_id
    involved = []
    for obs_id in violation.observations:
        row = context.by_id.loc[obs_id]
        where = located.loc[obs_id]
        involved.append({
            "id": obs_id, "document": row["document"], "line": int(row["line"]), "section": row["section"],
            "indicator": row["indicator"], "indicator_name": row["indicator_name"], "region": row["region"],
            "scope": row["scope"], "period": row["period_key"], "role": row["role"],
            "value_printed": row["value_printed"], "unit_printed": row["unit_printed"], "quote": row["quote"],
            "figure_in_quote": where["figure_in_quote"], "file": row["file"], "file_line": int(row["file_line"]),
        })
    document = violation.document or (involved[0]["document"] if involved else None)
    line = violation.line or (involved[0]["line"] if involved else None)
    return Finding(current.id, current.family, severity, violation.message, involved, violation.evidence,
                   document, line, fingerprint(current.id, violation.observations, violation.document, violation.line, violation.key))
