"""The rule registry and runner: rules return data; this module turns it into findings.

Rules are registered with @rule in their family module; checks/rules/__init__.py imports the
families in an explicit list. A duplicate id fails at import. A rule that raises becomes an
error finding of its own (`engine.rule-crashed`), so `check all` always finishes.
"""

from __future__ import annotations

import gc
import inspect
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, wraps
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import pandas as pd

from checks.dataset import Dataset
from checks.findings import Finding, Outcome, Severity, Violation, fingerprint
from checks.report_model import RuleResult
from schemas import parsed

if TYPE_CHECKING:
    from checks.pairs import OversizedGroup  # pairs.py reads the engine (per_run); the engine only its type


@dataclass(frozen=True)
class Rule:
    id: str  # family.name, stable forever: used in reports, waivers and JUnit
    severity: Severity
    check: Callable[[Context], Outcome]
    doc: str = ""  # a rule written as data (a GE suite) says what it checks here; a function, in its docstring
    written_in: Path | None = None  # a rule written as data: its file
    marks_chart: bool = False  # its findings mark a figure worse than what came before it in the report's series charts
    opt_in: bool = False  # runs only when `--select` names it or its family (checks/selection.py)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def summary(self) -> str:
        return self.description.split("\n", 1)[0]

    @property
    def location(self) -> str:
        """Where the rule is written, as file:line relative to the project (for `check rules -v`)."""
        root = Path(__file__).resolve().parent.parent
        if self.written_in is not None:
            path, line = self.written_in.resolve(), 1
        else:
            path, line = Path(inspect.getsourcefile(self.check) or "?").resolve(), inspect.getsourcelines(self.check)[1]
        return f"{path.relative_to(root) if path.is_relative_to(root) else path}:{line}"

    @property
    def description(self) -> str:
        return self.doc or inspect.getdoc(self.check) or ""


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, *, marks_chart: bool = False, opt_in: bool = False):
    """Register a rule; `marks_chart`: the observations its findings name are drawn as worse in the
    HTML report's series charts (the renderer reads this, never a list of rule ids); `opt_in`: left
    out of a run unless `--select` names it or its family, like ruff's rules outside its default set
    (for evidence that is not a problem and grows with the dataset)."""
    def register(function: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        if rule_id in REGISTRY:
            raise RuntimeError(f"duplicate rule id {rule_id}")
        if not inspect.getdoc(function):
            raise RuntimeError(f"rule {rule_id} has no docstring: its first line is what the report says")
        REGISTRY[rule_id] = Rule(rule_id, severity, function, marks_chart=marks_chart, opt_in=opt_in)
        return function
    return register


T = TypeVar("T")


def per_run(build: Callable[[Context], T]) -> Callable[[Context], T]:
    """Decorator: `build(ctx)` is computed once per run and shared by every rule that calls it
    (the cache is the context's, keyed by the function itself). Key groups its pairings left out
    (checks/pairs.py) are recorded again for every rule that reads the shared result, so each of
    them reports what it could not compare."""
    @wraps(build)
    def shared(ctx: Context) -> T:
        if build in ctx.per_run:
            result, oversized = ctx.per_run[build]
            ctx.oversized.extend(oversized)
        else:
            before = len(ctx.oversized)
            result = build(ctx)
            ctx.per_run[build] = (result, ctx.oversized[before:])
        return cast(T, result)
    return shared


class Context:
    """What every rule reads: the dataset, the parsed observations and where they stand."""

    def __init__(self, dataset: Dataset):
        from checks import locator, observations  # local: the parse step needs a loaded dataset
        self.dataset = dataset
        self.settings = dataset.settings
        self.obs = observations.build(dataset)
        self.located = locator.locate(dataset.observations, dataset.sources, dataset.settings.line_window, dataset.units)
        if parsed.debug_enabled():  # `check --debug`, and every test: the frames are of the shape the rules read
            parsed.validate(self.obs, self.located)
        self.per_run: dict[Callable, tuple[object, list[OversizedGroup]]] = {}  # results several rules share, keyed by the function (see per_run)
        self.oversized: list[OversizedGroup] = []  # key groups too large to pair (checks/pairs.py)

    def observation_counts(self) -> pd.Series:
        """Observations per document (the report's counts)."""
        return self.obs["document"].astype("str").value_counts()  # as text: a categorical would count every category, ties in its order

    def series(self) -> list[dict]:
        """The report's chart series (checks/pipeline.series)."""
        from checks.pipeline import series
        return series(self)

    @cached_property
    def by_id(self) -> pd.DataFrame:
        return self.obs.set_index("id")

    @cached_property
    def located_by_id(self) -> pd.DataFrame:
        return self.located.set_index("id")


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while the rules run and the report is built.
    Its full collections walk every live container object, and a run allocates more of them the
    larger the dataset, so with it on the work grows faster than the data: the report took 0.037 s
    at 100 k observations and 0.62 s at 1 M (exponent 1.22), 0.37 s with the collector held off
    (1.00); the rules 6.8 -> 6.5 CPU s at 1 M. What runs here makes frames, arrays and dicts, hardly
    any cycles; objects are still freed as their last reference goes, and the cycles are collected
    when the block ends (peak memory at 1 M unchanged)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(context: Context, rules: list[Rule]) -> tuple[list[Finding], list[RuleResult]]:
    """Every rule on the context: the findings, and one result per rule (its counts; nothing waived yet)."""
    with cyclic_gc_paused():
        return _run(context, rules)


def _run(context: Context, rules: list[Rule]) -> tuple[list[Finding], list[RuleResult]]:
    outcomes, summaries = [], []
    for current in rules:
        clock, cpu = time.perf_counter(), time.process_time()
        paired_before = len(context.oversized)
        try:
            outcome = _with_oversized(context, current.check(context), list(dict.fromkeys(context.oversized[paired_before:])))
            crashed = False
        except Exception:  # noqa: BLE001 -- a broken rule is a finding, never a crash of the whole run
            outcome = Outcome(0, [Violation(f"rule {current.id} crashed: {traceback.format_exc(limit=3)}", key="crash")])
            crashed = True
        severity = "error" if crashed else current.severity
        outcomes.append((current, severity, outcome))
        summaries.append(RuleResult.count(current.id, current.family, current.severity, current.summary,
                                          outcome.checked, len(outcome.violations), outcome.undecided,
                                          dict(outcome.undecided_reasons), crashed, time.perf_counter() - clock,
                                          cpu_seconds=time.process_time() - cpu))
    findings = _findings(context, outcomes)
    return findings, summaries


def _with_oversized(context: Context, outcome: Outcome, groups: list[OversizedGroup]) -> Outcome:
    """Key groups a rule's pairing left out (too many pairs): one violation and one undecided
    comparison each, so a hostile dataset costs a finding, never a silent pass."""
    if not groups:
        return outcome
    from checks.pairs import pairing_budget

    per_key, budget = context.settings.max_pairs_per_key, pairing_budget(context)
    why = {"max_pairs_per_key": (f"a key group with more than {per_key} pairs ([limits] max_pairs_per_key)",
                                 f"more than [limits] max_pairs_per_key ({per_key}) pairs"),
           "max_pairs_per_observation": (f"a key group left out to keep one pairing within {budget} pairs ([limits] max_pairs_per_observation)",
                                         f"left out to keep the pairing within {budget} pairs ([limits] max_pairs_per_observation)")}
    violations = [Violation(f"{g.left} × {g.right} figures share {', '.join(f'{c}={v}' for c, v in zip(g.columns, g.key, strict=True))}: "
                            f"{why[g.limit][1]}, not compared",
                            evidence={"key": dict(zip(g.columns, g.key, strict=True)), "left": g.left, "right": g.right, "limit": g.limit},
                            key="oversized:" + "|".join(g.key)) for g in groups]
    reasons = dict(outcome.undecided_reasons)
    for g in groups:
        reasons[why[g.limit][0]] = reasons.get(why[g.limit][0], 0) + 1
    return Outcome(outcome.checked, [*outcome.violations, *violations], outcome.undecided + len(groups), reasons)


INVOLVED = ["document", "line", "section", "indicator", "indicator_name", "region", "scope", "period_key", "role",
            "value_printed", "unit_printed", "quote", "file", "file_line"]


def _findings(context: Context, outcomes: list[tuple[Rule, Severity, Outcome]]) -> list[Finding]:
    """Every violation as a finding: one lookup of all the observations they name, then per
    finding only what differs (its message, evidence and fingerprint)."""
    records = _involved_records(context, {i for _, _, outcome in outcomes for v in outcome.violations for i in v.observations})
    return [_finding(records, current, severity, violation)
            for current, severity, outcome in outcomes for violation in outcome.violations]


def _involved_records(context: Context, ids: set[str]) -> dict[str, dict]:
    """What a finding shows of each observation it names, for every named observation at once:
    one lookup of the parsed frame and one of where the figures stand, never one per finding.
    Each record holds the FINDING_OBSERVATION fields in their order, as Python values."""
    if not ids:
        return {}
    wanted = pd.Index(sorted(ids))
    rows = context.by_id.loc[wanted, INVOLVED]
    columns = {("period" if c == "period_key" else c): rows[c].tolist() for c in INVOLVED}
    columns["line"] = [int(v) for v in columns["line"]]
    columns["file_line"] = [int(v) for v in columns["file_line"]]
    columns["figure_in_quote"] = context.located_by_id.loc[wanted, "figure_in_quote"].tolist()
    columns["id"] = wanted.tolist()
    ordered = [columns[key] for key in FINDING_OBSERVATION]
    return {values[0]: dict(zip(FINDING_OBSERVATION, values, strict=True)) for values in zip(*ordered, strict=True)}


def _finding(records: dict[str, dict], current: Rule, severity: Severity, violation: Violation) -> Finding:
    involved = [dict(records[obs_id]) for obs_id in violation.observations]  # a copy each: a finding owns its observations
    document = violation.document or (involved[0]["document"] if involved else None)
    line = violation.line or (involved[0]["line"] if involved else None)
    return Finding(current.id, current.family, violation.severity or severity, violation.message, involved, violation.evidence,
                   document, line, fingerprint(current.id, violation.observations, violation.document, violation.line, violation.key))


# the fields of an observation in a finding, in the order the outputs show them
FINDING_OBSERVATION = ("id", "document", "line", "section", "indicator", "indicator_name", "region", "scope", "period", "role",
                       "value_printed", "unit_printed", "quote", "figure_in_quote", "file", "file_line")
