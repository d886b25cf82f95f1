"""One run of every layer, left to right: load → schemas → parse → rules → suites → waivers.

The result is one typed report (`RunResult.report`, checks/report_model.py) that every output
renders: terminal, JSON, JUnit XML, SARIF, Markdown, GitHub annotations and the HTML report.
"""

from __future__ import annotations

import json
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from checks import __version__
from checks.dataset import Dataset
from checks.engine import Context, Rule, cyclic_gc_paused, run
from checks.findings import SEVERITIES, Finding, fails_run, plain, severity_rank
from checks.report_model import FINDING, SCHEMA_VERSION, Report, RuleResult, Scope, Waiver
from checks.settings import in_use
from checks.waivers import apply_waivers, compare_with_previous
from schemas import parsed


@dataclass
class RunResult:
    dataset: Dataset
    context: Context
    findings: list[Finding]
    summaries: list[RuleResult]
    suites: list[dict] = field(default_factory=list)
    stale_waivers: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    compared_with_previous: bool = False
    started: str = ""
    seconds: float = 0.0

    def failing(self, fail_on: str, new_only: bool = False) -> list[Finding]:
        """The findings that fail the run (see findings.fails_run)."""
        return [f for f in self.findings if fails_run(f.severity, f.status, fail_on, new_only)]

    def report(self, fail_on: str = "error", new_only: bool = False, scope: Scope | None = None, charts: bool = True) -> Report:
        """The typed report every output renders. `charts=False` leaves out the report's chart data
        (`series`), for a run that draws no chart (no HTML report and no JSON)."""
        with cyclic_gc_paused():  # (dicts and lists only: see engine.cyclic_gc_paused)
            return self._report(fail_on, new_only, scope, charts)

    def _report(self, fail_on: str, new_only: bool, scope: Scope | None, charts: bool) -> Report:
        ordered = sorted(self.findings, key=lambda f: (-severity_rank(f.severity), f.rule, f.document or "", f.line or 0))
        fails = [fails_run(f.severity, f.status, fail_on, new_only) for f in ordered]
        failing = sum(fails)
        per_document = Counter((f.document, f.severity, f.status == "waived") for f in self.findings)
        observations = self.context.observation_counts()
        documents = [{"id": doc.id, "title": doc.title, "region": doc.region, "kind": doc.kind, "as_of": doc.as_of,
                      "source_file": doc.source_file, "observations": int(observations.get(doc.id, 0)),
                      "findings": {s: per_document[(doc.id, s, False)] for s in SEVERITIES},
                      "waived": sum(per_document[(doc.id, s, True)] for s in SEVERITIES)}
                     for doc in self.dataset.documents.itertuples(index=False)]
        waived = Counter(f.rule for f in self.findings if f.status == "waived")
        source_files = dict(zip(self.dataset.documents["id"], self.dataset.documents["source_file"], strict=False))
        if scope is None:
            scope = Scope(complete=False, families=sorted({s.family for s in self.summaries}), rules=len(self.summaries))
        by_severity = Counter((f.severity, f.status == "waived") for f in self.findings)
        counts = {s: {"unwaived": by_severity[(s, False)], "waived": by_severity[(s, True)]} for s in SEVERITIES}
        paths: dict[str, str] = {}  # display_path of each file once, not once per finding
        data = plain({
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "seed", "version": __version__},
            "run": {"started": self.started, "seconds": round(self.seconds, 2), "hostname": socket.gethostname() or "localhost",
                    "fail_on": fail_on, "new_only": new_only, "compared_with_previous": self.compared_with_previous,
                    "failing": failing, "scope": scope.model_dump()},
            "dataset": {"path": str(self.dataset.root), "fingerprint": self.dataset.fingerprint(),
                        "observations": int(observations.sum()), "indicators": len(self.dataset.indicators), "documents": len(documents)},
            "counts": {**counts, "new": sum(1 for f in self.findings if f.status == "new"), "resolved": len(self.resolved),
                       "stale_waivers": len(self.stale_waivers), "failing": failing},
            "documents": documents,
            "rules": [s.model_copy(update={"waived": waived[s.rule], "unwaived": max(s.failed - waived[s.rule], 0),
                                           "seconds": round(s.seconds, 3), "cpu_seconds": round(s.cpu_seconds, 3)}).model_dump()
                      for s in self.summaries],
            "findings": [],
            "resolved": self.resolved,
            "stale_waivers": self.stale_waivers,
            "suites": self.suites,
            "schemas": [{"table": name, "rows": rows, "status": "passed"} for name, rows in self._schema_rows()],
            "series": self.context.series() if charts else [],
            "settings": in_use(self.dataset.settings),
        })
        # Each finding cleaned once (the envelope above apart), in the report's JSON form: the engine
        # builds its observations in the model's field order, so only a waiver (read from a CSV) is
        # put in the model's order. The findings are not validated here (see Report.of_run).
        findings = [plain({**vars(f), "waiver": Waiver.model_validate(plain(f.waiver)).model_dump(mode="json") if f.waiver else None,
                           "location": self._location(f, source_files, paths), "fails": fail})
                    for f, fail in zip(ordered, fails, strict=True)]
        if parsed.debug_enabled():
            _check_json_form(findings)
        return Report.of_run(data, findings)

    def json_dict(self, fail_on: str = "error", new_only: bool = False, charts: bool = True) -> dict:
        return self.report(fail_on, new_only, charts=charts).json_dict()

    def _location(self, finding: Finding, source_files: dict[str, str], paths: dict[str, str]) -> dict | None:
        """The CSV row of the observation the finding is about (rules list the reference first and
        the figure judged last: baseline then target, earlier then later); else the source line;
        else a suite's JSON file."""
        if finding.observations:
            judged = finding.observations[-1]
            file = judged["file"]
            if file not in paths:
                paths[file] = display_path(file)
            return {"file": paths[file], "line": int(judged["file_line"])}
        if finding.family == "suites":
            from checks.suites import SUITES_DIR
            name = finding.rule.split(".", 1)[1]
            path = self.dataset.root / "expectations" / f"{name}.json" if name in self.dataset.expectations else SUITES_DIR / f"{name}.json"
            return {"file": display_path(path), "line": None}
        if finding.document in source_files:
            return {"file": display_path(self.dataset.root / "sources" / source_files[finding.document]), "line": finding.line}
        return None

    def _schema_rows(self):
        d = self.dataset
        return [("documents.csv", len(d.documents)), ("regions.csv", len(d.regions)), ("units.csv", len(d.units)),
                ("indicators.csv", len(d.indicators)), ("observations/*.csv", int(self.context.observation_counts().sum())),
                ("exclusions.csv", len(d.exclusions)), ("waivers.csv", len(d.waivers))]


def _check_json_form(findings: list[dict]) -> None:
    """`check --debug`: every finding of the run is what the report model makes of it, field for
    field and in its order (the findings Report.of_run keeps untyped)."""
    for finding in findings:
        if json.dumps(finding) != json.dumps(FINDING.dump_python(FINDING.validate_python(finding), mode="json")):
            raise AssertionError(f"finding {finding['fingerprint']} of {finding['rule']} is not in the report model's JSON form: "
                                 f"{json.dumps(finding, ensure_ascii=False)[:300]}")


def display_path(path) -> str:
    """A path as a person or an editor uses it: relative to the working directory when below it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return path.as_posix()


def series(ctx: Context) -> list[dict]:
    """Per indicator, region, scope and document: baseline and targets, for the report's charts.
    Built from one sort of the figures that can be drawn; a series needs both roles."""
    obs = ctx.obs
    obs = obs.loc[obs["role"].isin(["baseline", "target"]) & obs["numeric"] & ~obs["cumulative"],
                  [*SERIES_KEY, "year", "role", "id", "value", "lower", "upper", "value_printed", "indicator_name", "direction", "catalogue_unit"]]
    obs = obs.sort_values([*SERIES_KEY, "year"], kind="stable")
    obs = obs[obs.groupby(SERIES_KEY, sort=False)["role"].transform("nunique") >= 2]
    if obs.empty:
        return []
    keys = obs[SERIES_KEY].to_numpy()
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)])
    points = [{"id": i, "year": int(y), "role": r, "value": v, "lower": lo, "upper": hi, "printed": p}
              for i, y, r, v, lo, hi, p in zip(obs["id"], obs["year"], obs["role"], obs["value"], obs["lower"], obs["upper"],
                                               obs["value_printed"], strict=False)]
    heads = obs.iloc[starts]
    unit_names = dict(zip(ctx.dataset.units["id"], ctx.dataset.units["name"], strict=False))
    ends = [*list(starts[1:]), len(obs)]
    return [{"document": h.document, "indicator": h.indicator, "name": h.indicator_name, "region": h.region, "scope": h.scope,
             "direction": h.direction, "unit": h.catalogue_unit, "unit_name": unit_names.get(h.catalogue_unit, ""), "points": points[start:end]}
            for h, start, end in zip(heads.itertuples(index=False), starts, ends, strict=False)]


SERIES_KEY = ["document", "indicator", "region", "scope"]


def execute(dataset: Dataset, rules: list[Rule], *, with_suites: bool = True, previous: dict | None = None,
            suite_names: set[str] | None = None, data_docs: Path | None = None, engine: str = "pandas") -> RunResult:
    """Run `rules` (and the GE suites, all or those named). Stale waivers and resolved findings are
    judged only for the rules that ran, so a partial run never calls the others' waivers stale.
    `engine` runs the parse step and the rules in-process ("pandas") or partitioned on Dask or
    Spark (checks/distributed.py): the same findings."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.perf_counter()
    if engine == "pandas":
        context = Context(dataset)
        findings, summaries = run(context, rules)
    else:
        from checks.distributed import execute_rules
        partitioned, findings, summaries = execute_rules(dataset, rules, engine)  # the partitions validate what they parse (Context)
        context = partitioned.whole() if with_suites else partitioned  # the suites run in-process, on whole frames
    suites: list[dict] = []
    if with_suites:  # the suites are rules too, run in-process on the parsed frame (GE is imported only when one runs)
        from checks import suites as ge_suites
        suite_findings, suite_summaries, suites = ge_suites.run_all(context, names=suite_names, data_docs=data_docs)
        findings += suite_findings
        summaries += suite_summaries
    ran = {s.rule for s in summaries}
    stale = [w for w in apply_waivers(findings, dataset.waivers) if w.get("rule") in ran]
    resolved = []
    if previous is not None:
        before = {**previous, "findings": [f for f in previous.get("findings", []) if f.get("rule") in ran]}
        resolved = compare_with_previous(findings, before)
    return RunResult(dataset, context, findings, summaries, suites, stale, resolved, previous is not None,
                     started, time.perf_counter() - clock)



