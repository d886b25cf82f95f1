"""Great Expectations suites: release expectations stored as reviewed JSON in
schemas/expectations/, run through an ephemeral context (no files, no network, no analytics).

Each suite's meta names the frame it runs on (see FRAMES) and, optionally, one document and a
severity; an expectation's own meta `severity` (or GE's `severity` field, when not its default
'critical') overrides the suite's. A failed expectation becomes a finding of rule `suites.<suite name>`; an expectation
whose metric raised is reported as a configuration error, never as a data failure.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pandas as pd

from checks.engine import Context, RuleSummary
from checks.findings import Finding, Severity, fingerprint

SUITES_DIR = Path(__file__).resolve().parent.parent / "schemas" / "expectations"


def _observations(ctx: Context) -> pd.DataFrame:
    return ctx.dataset.observations.drop(columns=["file", "file_line"])


def _percent_figures(ctx: Context) -> pd.DataFrame:
    """Levels printed in % (a change may exceed 100 or go below 0; a level may not)."""
    obs = ctx.obs
    frame = obs[(obs["unit_dimension"] == "share") & ~obs["is_change"] & obs["numeric"]]
    return frame[["id", "document", "indicator", "value"]].reset_index(drop=True)


def _document_coverage(ctx: Context) -> pd.DataFrame:
    counts = ctx.obs.groupby("document").size()
    docs = ctx.dataset.documents[["id"]].rename(columns={"id": "document"})
    return docs.assign(observations=docs["document"].map(counts).fillna(0).astype(int))


def _table_cells(ctx: Context) -> pd.DataFrame:
    return ctx.obs.loc[ctx.obs["section"] == "table", ["id", "document", "indicator", "role"]].reset_index(drop=True)


FRAMES: dict[str, Callable[[Context], pd.DataFrame]] = {
    "observations": _observations,
    "percent_figures": _percent_figures,
    "document_coverage": _document_coverage,
    "table_cells": _table_cells,
}


def load_suites(directory: Path = SUITES_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def suite_names(directory: Path = SUITES_DIR) -> list[str]:
    """The suites' names (rule ids are `suites.<name>`), read without importing GE."""
    return [data["name"] for data in load_suites(directory)]


def run_all(ctx: Context, directory: Path = SUITES_DIR, names: set[str] | None = None,
            data_docs: Path | None = None) -> tuple[list[Finding], list[RuleSummary], list[dict]]:
    """Run every suite (or only those `names`) as GE users do: each suite through a validation
    definition and a checkpoint. With `data_docs`, the checkpoint also builds GE's own Data Docs
    there (they load scripts and fonts from CDNs: beside the report, never instead of it)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    actions: list = []  # GE's ValidationAction subclasses
    if data_docs is not None:
        from great_expectations.checkpoint import UpdateDataDocsAction
        context.add_data_docs_site(site_name="seed", site_config={
            "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(data_docs).resolve())}})
        actions = [UpdateDataDocsAction(name="data-docs", site_names=["seed"])]
    source = context.data_sources.add_pandas("seed")
    findings, summaries, results = [], [], []
    for data in load_suites(directory):
        if names is not None and data["name"] not in names:
            continue
        clock = time.perf_counter()
        meta = data.get("meta") or {}
        rule_id = f"suites.{data['name']}"
        suite_severity = meta.get("severity", "error")
        frame = FRAMES[meta["frame"]](ctx)
        if meta.get("document"):
            frame = frame[frame["document"] == meta["document"]]
        batch_definition = source.add_dataframe_asset(name=data["name"]).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(gx.ExpectationSuite(**{k: v for k, v in data.items() if k != "id"}))
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=data["name"], data=batch_definition, suite=suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(name=f"seed-{data['name']}", validation_definitions=[definition],
                                                           actions=actions, result_format="SUMMARY"))
        run = checkpoint.run(batch_parameters={"dataframe": frame})
        failed = 0
        for outcome in (r for validation in run.run_results.values() for r in validation.results):
            config = outcome.expectation_config
            assert config is not None  # a result of a suite's expectation carries its configuration
            column = config.kwargs.get("column", "")
            error = _configuration_error(outcome)
            details = error or _details(outcome.result)
            severity = expectation_severity(config, suite_severity)
            words = describe_expectation(config.type, config.kwargs)
            results.append({"suite": data["name"], "expectation": config.type, "column": column,
                            "success": bool(outcome.success), "details": details, "description": words, "severity": severity})
            if outcome.success:
                continue
            failed += 1
            what = f"{config.type}({column})" if column else config.type
            message = (f"configuration error in suite {data['name']}: {what}: {error}" if error
                       else f"expected {words} on {meta['frame']}: {details}")
            findings.append(Finding(rule_id, "suites", "error" if error else severity, message, [],
                                    {"expectation": config.type, "expected": words, "kwargs": _plain(config.kwargs),
                                     "result": _plain(outcome.result)},
                                    meta.get("document"), None, fingerprint(rule_id, (), meta.get("document"), None, what)))
        summaries.append(RuleSummary(rule_id, "suites", suite_severity, data.get("notes") or data["name"],
                                     len(suite.expectations), failed, 0, {}, seconds=time.perf_counter() - clock))
    return findings, summaries, results


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


def describe_expectation(kind: str, kwargs: dict) -> str:
    """An expectation's arguments in words, e.g. "'value' between 0 and 100"."""
    column = kwargs.get("column")
    name = f"'{column}'" if column else "the table"
    if kind == "expect_column_values_to_not_be_null":
        return f"every {name} filled in"
    if kind == "expect_column_values_to_be_between":
        return f"{name} {_range(kwargs)}"
    if kind == "expect_column_values_to_be_in_set":
        values = list(kwargs.get("value_set") or [])
        shown = ", ".join(map(str, values[:8])) + (f" … ({len(values)} values)" if len(values) > 8 else "")
        return f"{name} one of {shown}"
    if kind in ("expect_column_distinct_values_to_contain_set", "expect_column_distinct_values_to_equal_set"):
        listed = ", ".join(map(str, list(kwargs.get("value_set") or [])[:8]))
        return f"{name} taking {'every one of' if kind.endswith('contain_set') else 'exactly the values'} {listed}"
    if kind == "expect_column_value_lengths_to_be_between":
        return f"{name} of length {_range(kwargs)}"
    if kind == "expect_column_values_to_be_unique":
        return f"{name} unique"
    if kind == "expect_compound_columns_to_be_unique":
        return "each combination of " + ", ".join(f"'{c}'" for c in kwargs.get("column_list") or []) + " unique"
    if kind == "expect_column_values_to_match_regex":
        return f"{name} matching {kwargs.get('regex')!r}"
    if kind == "expect_table_row_count_to_be_between":
        return f"{_range(kwargs)} rows"
    if kind == "expect_column_values_to_be_of_type":
        return f"{name} of type {kwargs.get('type_')}"
    words = kind.removeprefix("expect_").replace("_", " ")
    rest = ", ".join(f"{k} {v}" for k, v in kwargs.items() if k not in ("column", "batch_id"))
    return f"{name}: {words}" + (f" ({rest})" if rest else "")


def _range(kwargs: dict) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None and high is not None:
        return f"between {_number(low)} and {_number(high)}"
    return f"at least {_number(low)}" if low is not None else f"at most {_number(high)}" if high is not None else "of any size"


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


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
        sample = ", ".join(map(str, _plain(result.get("partial_unexpected_list") or [])[:5]))
        text = f"{result['unexpected_count']} unexpected of {result.get('element_count')}"
        return f"{text} (e.g. {sample})" if sample else text
    if "observed_value" in result:
        return f"observed {_plain(result['observed_value'])}"
    return ""


def _plain(value):
    """numpy / pandas scalars (np.int64, nan) → JSON-friendly values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
