"""One run of every layer, left to right: load → schemas → parse → rules → suites → waivers.

The result is one plain dict (`RunResult.to_json`) that every output renders: terminal, JSON,
JUnit XML and the HTML report; the HTML can also be rebuilt from a saved JSON.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from checks import __version__
from checks.dataset import Dataset
from checks.engine import Context, Rule, RuleSummary, run
from checks.findings import Finding, severity_rank
from checks.waivers import apply_waivers, compare_with_previous


@dataclass
class RunResult:
    dataset: Dataset
    context: Context
    findings: list[Finding]
    summaries: list[RuleSummary]
    suites: list[dict] = field(default_factory=list)
    stale_waivers: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    compared_with_previous: bool = False
    started: str = ""
    seconds: float = 0.0

    def failing(self, fail_on: str, new_only: bool = False) -> list[Finding]:
        """Unwaived findings at or above the failing severity (only new ones in PR mode)."""
        threshold = severity_rank(fail_on)
        return [f for f in self.findings if f.status != "waived" and severity_rank(f.severity) >= threshold
                and (not new_only or f.status == "new")]

    def to_json(self, fail_on: str = "error", new_only: bool = False, charts: bool = True) -> dict:
        """The run as one plain dict. `charts=False` leaves out the report's chart data (`series`),
        for a run that draws no chart (`--no-report` without `--json`)."""
        obs = self.context.obs
        per_document = Counter((f.document, f.severity) for f in self.findings)
        observations = obs["document"].value_counts()
        documents = [{"id": doc.id, "title": doc.title, "region": doc.region, "kind": doc.kind, "as_of": doc.as_of,
                      "source_file": doc.source_file, "observations": int(observations.get(doc.id, 0)),
                      "findings": {s: per_document[(doc.id, s)] for s in ("error", "warning", "info")}}
                     for doc in self.dataset.documents.itertuples(index=False)]
        waived = Counter(f.rule for f in self.findings if f.status == "waived")
        return _clean({
            "tool": {"name": "seed", "version": __version__},
            "run": {"started": self.started, "seconds": round(self.seconds, 2), "fail_on": fail_on, "new_only": new_only,
                    "compared_with_previous": self.compared_with_previous,
                    "failing": len(self.failing(fail_on, new_only))},
            "dataset": {"path": str(self.dataset.root), "fingerprint": self.dataset.fingerprint(),
                        "observations": len(obs), "indicators": len(self.dataset.indicators), "documents": len(documents)},
            "documents": documents,
            "rules": [{"rule": s.rule, "family": s.family, "severity": s.severity, "summary": s.summary, "checked": s.checked,
                       "passed": s.passed, "failed": s.failed, "undecided": s.undecided, "undecided_reasons": s.undecided_reasons,
                       "waived": waived[s.rule], "crashed": s.crashed}
                      for s in self.summaries],
            "findings": [f.to_json() for f in sorted(self.findings, key=lambda f: (-severity_rank(f.severity), f.rule, f.document or "", f.line or 0))],
            "resolved": self.resolved,
            "stale_waivers": self.stale_waivers,
            "suites": self.suites,
            "schemas": [{"table": name, "rows": rows, "status": "passed"} for name, rows in self._schema_rows()],
            "series": series(self.context) if charts else [],
        })

    def _schema_rows(self):
        d = self.dataset
        return [("documents.csv", len(d.documents)), ("regions.csv", len(d.regions)), ("units.csv", len(d.units)),
                ("indicators.csv", len(d.indicators)), ("observations/*.csv", len(d.observations)),
                ("exclusions.csv", len(d.exclusions)), ("waivers.csv", len(d.waivers))]


def series(ctx: Context) -> list[dict]:
    """Per indicator, region, scope and document: baseline and targets, for the report's charts.
    Built from one sort of the figures that can be drawn; a series needs both roles."""
    obs = ctx.obs
    obs = obs.loc[obs["role"].isin(["baseline", "target"]) & obs["numeric"] & ~obs["cumulative"],
                  SERIES_KEY + ["year", "role", "id", "value", "lower", "upper", "value_printed", "indicator_name", "direction", "catalogue_unit"]]
    obs = obs.sort_values(SERIES_KEY + ["year"], kind="stable")
    obs = obs[obs.groupby(SERIES_KEY, sort=False)["role"].transform("nunique") >= 2]
    if obs.empty:
        return []
    keys = obs[SERIES_KEY].to_numpy()
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)])
    points = [{"id": i, "year": int(y), "role": r, "value": v, "lower": lo, "upper": hi, "printed": p}
              for i, y, r, v, lo, hi, p in zip(obs["id"], obs["year"], obs["role"], obs["value"], obs["lower"], obs["upper"], obs["value_printed"])]
    heads = obs.iloc[starts]
    ends = list(starts[1:]) + [len(obs)]
    return [{"document": h.document, "indicator": h.indicator, "name": h.indicator_name, "region": h.region, "scope": h.scope,
             "direction": h.direction, "unit": h.catalogue_unit, "points": points[start:end]}
            for h, start, end in zip(heads.itertuples(index=False), starts, ends)]


SERIES_KEY = ["document", "indicator", "region", "scope"]


def execute(dataset: Dataset, rules: list[Rule], *, with_suites: bool = True, previous: dict | None = None) -> RunResult:
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    clock = time.perf_counter()
    context = Context(dataset)
    findings, summaries = run(context, rules)
    suites = []
    if with_suites:
        from checks import suites as ge_suites  # GE costs ~3 s to import: only when suites run
        suite_findings, suite_summaries, suites = ge_suites.run_all(context)
        findings += suite_findings
        summaries += suite_summaries
    stale = apply_waivers(findings, dataset.waivers)
    resolved = compare_with_previous(findings, previous) if previous is not None else []
    return RunResult(dataset, context, findings, summaries, suites, stale, resolved, previous is not None,
                     started, time.perf_counter() - clock)


def _clean(value):
    """JSON has no infinity: unbounded interval ends become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value

