"""Great Expectations suites: release expectations stored as reviewed JSON in
schemas/expectations/, run through an ephemeral context (no files, no network, no analytics).

Each suite is a rule `suites.<name>` run by the engine (one function builds every finding and its
fingerprint; a suite that crashes is a finding like a crashing rule). Seed ships generic suites in
schemas/expectations/; a suite about one dataset (naming its indicators or documents) lives in the
dataset's expectations/ folder. Each suite's meta names the frame it runs on (see FRAMES; an
unknown frame is a configuration finding) and, optionally, one document and a severity; an
expectation's own meta `severity` (or GE's `severity` field, when not its default 'critical')
overrides the suite's. A failed expectation becomes a finding of its suite's rule; an expectation
whose metric raised is reported as a configuration error, never as a data failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

import pandas as pd

from checks.engine import Context, Rule, run
from checks.findings import SEVERITIES, Finding, Outcome, Severity, Violation, plain
from checks.input_files import Unreadable, read_bytes
from checks.number_text import number
from checks.report_model import RuleResult
from checks.settings import Settings
from schemas import SHIPPED_SUITES as SUITES_DIR


def _observations(ctx: Context) -> pd.DataFrame:
    return ctx.dataset.observations.drop(columns=["file", "file_line"])


def _percent_figures(ctx: Context) -> pd.DataFrame:
    """Levels printed in % (a change may exceed 100 or go below 0; a level may not, unless the
    catalogue calls it an index on base 100: a completion rate against a plan, 130.4%)."""
    obs = ctx.obs
    frame = obs[(obs["unit_dimension"] == "share") & ~obs["is_change"] & obs["numeric"] & (obs["quantity"] != "index")]
    return frame[["id", "document", "indicator", "value"]].reset_index(drop=True)


def _document_coverage(ctx: Context) -> pd.DataFrame:
    counts = ctx.obs.groupby("document").size()
    docs = ctx.dataset.documents[["id"]].rename(columns={"id": "document"})
    return docs.assign(observations=docs["document"].map(counts).fillna(0).astype(int))


def _table_cells(ctx: Context) -> pd.DataFrame:
    return ctx.obs.loc[ctx.obs["section"] == "table", ["id", "document", "indicator", "role"]].reset_index(drop=True)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its categorical columns as text: a suite sees the cells as the table holds them (a
    type expectation reads `str`, not the category the parsed frame keeps them as)."""
    return frame.astype({name: "str" for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)})


FRAMES: dict[str, Callable[[Context], pd.DataFrame]] = {
    "observations": _observations,
    "percent_figures": _percent_figures,
    "document_coverage": _document_coverage,
    "table_cells": _table_cells,
}


def load_suites(directory: Path = SUITES_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def suite_names(dataset_dir: Path | None = None) -> list[str]:
    """The suites' names (rule ids are `suites.<name>`), read without importing GE: those Seed
    ships and, given a dataset folder, its own (expectations/<name>.json)."""
    own = sorted(p.stem for p in (Path(dataset_dir) / "expectations").glob("*.json")) if dataset_dir else []
    return [data["name"] for data in load_suites()] + own


class Session:
    """One ephemeral GE context for every suite of a run, and what each expectation gave (the
    report's suite table). Built on the first suite that runs (GE costs ~3 s to import)."""

    def __init__(self, data_docs: Path | None = None):
        self.data_docs = data_docs
        self.results: list[dict] = []
        self._context: Any = None  # GE's EphemeralDataContext and its pandas data source, once started
        self._source: Any = None
        self._actions: list = []  # GE's ValidationAction subclasses

    def start(self):
        if self._context is None:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            if self.data_docs is not None:
                from great_expectations.checkpoint import UpdateDataDocsAction
                context.add_data_docs_site(site_name="seed", site_config={
                    "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(self.data_docs).resolve())}})
                self._actions = [UpdateDataDocsAction(name="data-docs", site_names=["seed"])]
            self._context, self._source = context, context.data_sources.add_pandas("seed")
        return self._context, self._source, self._actions


def suite_rules(suites: list[tuple[dict, Path]], session: Session) -> list[Rule]:
    """Each suite as a rule `suites.<name>` of the engine: its findings and fingerprints are built
    by the engine like every rule's, and a suite that cannot run is a finding, never a crash."""
    return [Rule(f"suites.{data['name']}", _suite_severity(data),
                 partial(_run_suite, data, session), doc=str(data.get("notes") or data["name"]), written_in=path)
            for data, path in suites]


def _suite_severity(data: dict) -> Severity:
    severity = _meta(data).get("severity", "error")
    return cast(Severity, severity) if severity in SEVERITIES else "error"  # another word: a configuration finding when it runs


def _meta(data: dict) -> dict:
    meta = data.get("meta")
    return meta if isinstance(meta, dict) else {}


def listed_suites(dataset_dir: Path | None = None) -> list[Rule]:
    """The suites as rules, for `check rules`: Seed's, and the dataset folder's own that read as
    suites (the loader judges the others when the dataset is checked)."""
    found = [(data, SUITES_DIR / f"{data['name']}.json") for data in load_suites()]
    folder = Path(dataset_dir) / "expectations" if dataset_dir else None
    for path in sorted(folder.glob("*.json")) if folder is not None and folder.is_dir() else []:
        try:
            data = json.loads(read_bytes(path, Settings().max_table_bytes, inside=folder, what="suite file"))
        except (Unreadable, ValueError):
            continue
        if isinstance(data, dict) and data.get("name") == path.stem and not (SUITES_DIR / path.name).exists():
            found.append((data, path))
    return suite_rules(found, Session())


def run_all(ctx: Context, directory: Path | None = None, names: set[str] | None = None,
            data_docs: Path | None = None) -> tuple[list[Finding], list[RuleResult], list[dict]]:
    """Run every suite (or only those `names`): Seed's and the dataset's own, or those of
    `directory` alone; each suite through a validation definition and a checkpoint, as GE users
    do. With `data_docs`, the checkpoint also builds GE's own Data Docs there (they load scripts
    and fonts from CDNs: beside the report, never instead of it)."""
    if directory is None:
        found = [(data, SUITES_DIR / f"{data['name']}.json") for data in load_suites()]
        found += [(data, ctx.dataset.root / "expectations" / f"{name}.json") for name, data in ctx.dataset.expectations.items()]
    else:
        found = [(json.loads(p.read_text(encoding="utf-8")), p) for p in sorted(directory.glob("*.json"))]
    session = Session(data_docs)
    findings, summaries = run(ctx, suite_rules([(d, p) for d, p in found if names is None or d["name"] in names], session))
    return findings, summaries, session.results


def _run_suite(data: dict, session: Session, ctx: Context) -> Outcome:
    meta = _meta(data)
    name = data["name"]
    if meta.get("frame") not in FRAMES:
        return Outcome(0, [Violation(f"configuration error in suite {name}: frame {meta.get('frame')!r} is not one of {', '.join(FRAMES)}",
                                     document=meta.get("document"), key="frame", severity="error")])
    if meta.get("severity", "error") not in SEVERITIES:
        return Outcome(0, [Violation(f"configuration error in suite {name}: severity {meta.get('severity')!r} is not one of {', '.join(SEVERITIES)}",
                                     document=meta.get("document"), key="severity", severity="error")])
    import great_expectations as gx

    context, source, actions = session.start()
    frame = _as_text(FRAMES[meta["frame"]](ctx))
    if meta.get("document"):
        frame = frame[frame["document"] == meta["document"]]
    batch_definition = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("all")
    suite = context.suites.add(gx.ExpectationSuite(**{k: v for k, v in data.items() if k != "id"}))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(name=f"seed-{name}", validation_definitions=[definition],
                                                       actions=actions, result_format="SUMMARY"))
    run_result = checkpoint.run(batch_parameters={"dataframe": frame})
    suite_severity = meta.get("severity", "error")
    violations = []
    built = {e.expectation_type for e in suite.expectations}
    dropped = [str(e.get("type")) for e in data["expectations"] if isinstance(e, dict) and e.get("type") not in built]
    if dropped:  # GE logs an expectation it cannot build and leaves it out: a silent pass unless said
        violations.append(Violation(f"configuration error in suite {name}: {', '.join(dropped)}: not an expectation GE can build",
                                    document=meta.get("document"), key="unbuilt:" + "|".join(dropped), severity="error"))
    for outcome in (r for validation in run_result.run_results.values() for r in validation.results):
        config = outcome.expectation_config
        assert config is not None  # a result of a suite's expectation carries its configuration
        column = config.kwargs.get("column", "")
        error = _configuration_error(outcome)
        details = error or _details(outcome.result)
        severity = expectation_severity(config, suite_severity)
        words = describe_expectation(config.type, config.kwargs)
        session.results.append({"suite": name, "expectation": config.type, "column": column,
                                "success": bool(outcome.success), "details": details, "description": words, "severity": severity})
        if outcome.success:
            continue
        what = f"{config.type}({column})" if column else config.type
        message = (f"configuration error in suite {name}: {what}: {error}" if error
                   else f"expected {words} on {meta['frame']}: {details}")
        violations.append(Violation(message, (), {"expectation": config.type, "expected": words, "kwargs": plain(config.kwargs),
                                                  "result": plain(outcome.result)},
                                    document=meta.get("document"), key=what, severity="error" if error else severity))
    return Outcome(len(data["expectations"]), violations)


SEVERITY_WORDS = {"error": "error", "warning": "warning", "info": "info"}


def expectation_severity(config, suite_severity: str) -> Severity:
    """An expectation's own severity: its meta `severity` (error / warning / info), else GE's own
    `severity` field when not its default 'critical' (warning / info), else the suite's."""
    own = (config.meta or {}).get("severity")
    if own in SEVERITY_WORDS:
        return cast(Severity, own)
    ge = getattr(config, "severity", None)
    ge = getattr(ge, "value", ge)
    if ge in ("warning", "info"):
        return cast(Severity, ge)
    return cast(Severity, suite_severity)


def _listed(values, limit: int = 8) -> str:
    values = list(values or [])
    return ", ".join(map(str, values[:limit])) + (f" … ({len(values)} values)" if len(values) > limit else "")


# An expectation's arguments in words, by its type: (name of the column or "the table", kwargs) -> words.
DESCRIPTIONS: dict[str, Callable[[str, dict], str]] = {
    "expect_column_values_to_not_be_null": lambda name, kw: f"every {name} filled in",
    "expect_column_values_to_be_between": lambda name, kw: f"{name} {_range(kw)}",
    "expect_column_values_to_be_in_set": lambda name, kw: f"{name} one of {_listed(kw.get('value_set'))}",
    "expect_column_distinct_values_to_contain_set": lambda name, kw: f"{name} taking every one of {_listed(kw.get('value_set'))}",
    "expect_column_distinct_values_to_equal_set": lambda name, kw: f"{name} taking exactly the values {_listed(kw.get('value_set'))}",
    "expect_column_value_lengths_to_be_between": lambda name, kw: f"{name} of length {_range(kw)}",
    "expect_column_values_to_be_unique": lambda name, kw: f"{name} unique",
    "expect_compound_columns_to_be_unique": lambda name, kw: "each combination of " + ", ".join(f"'{c}'" for c in kw.get("column_list") or []) + " unique",
    "expect_column_values_to_match_regex": lambda name, kw: f"{name} matching {kw.get('regex')!r}",
    "expect_table_row_count_to_be_between": lambda name, kw: f"{_range(kw)} rows",
    "expect_column_values_to_be_of_type": lambda name, kw: f"{name} of type {kw.get('type_')}",
}


def describe_expectation(kind: str, kwargs: dict) -> str:
    """An expectation's arguments in words, e.g. "'value' between 0 and 100"."""
    column = kwargs.get("column")
    name = f"'{column}'" if column else "the table"
    if kind in DESCRIPTIONS:
        return DESCRIPTIONS[kind](name, kwargs)
    words = kind.removeprefix("expect_").replace("_", " ")
    rest = ", ".join(f"{k} {v}" for k, v in kwargs.items() if k not in ("column", "batch_id"))
    return f"{name}: {words}" + (f" ({rest})" if rest else "")


def _range(kwargs: dict) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None and high is not None:
        return f"between {number(low)} and {number(high)}"
    return f"at least {number(low)}" if low is not None else f"at most {number(high)}" if high is not None else "of any size"


def _configuration_error(outcome) -> str | None:
    """GE does not raise when a metric fails (a missing column, a bad argument): it reports
    success=False with an empty result and hides the error in exception_info."""
    info = outcome.exception_info or {}
    candidates = [info] + [v for v in info.values() if isinstance(v, dict)]
    for entry in candidates:
        if entry.get("raised_exception"):
            return str(entry.get("exception_message") or "the expectation raised")
    if not outcome.success and not outcome.result:
        return "the expectation produced no result"
    return None


def _details(result: dict) -> str:
    if "unexpected_count" in result:
        sample = ", ".join(map(str, plain(result.get("partial_unexpected_list") or [])[:5]))
        text = f"{result['unexpected_count']} unexpected of {result.get('element_count')}"
        return f"{text} (e.g. {sample})" if sample else text
    if "observed_value" in result:
        return f"observed {plain(result['observed_value'])}"
    return ""
