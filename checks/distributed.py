"""The distributed engine: the same rules, unchanged, run partition by partition on Dask or Spark.

Every comparison a rule makes stays inside one of two kinds of partition:
- **documents** (families in DOCUMENT_FAMILIES: provenance, coverage, metadata, source text, periods): a
  source, its exclusions and the observations printed in it. The parse step and locating the
  quotes run here too, since both are per observation and per source.
- **indicator groups** (every other family): the connected components of the catalogue, i.e. the
  indicators one relation can reach (the same series, parent and children, a share's part and
  whole, a margin's minuend and subtrahend). A rule never pairs figures of two indicators the
  catalogue does not relate, so each group can be checked alone.

Partitions are batched into tasks of about TASK_ROWS observations and mapped by the engine; the
driver concatenates the parsed frames (for the outputs and the suites), sums the rule summaries
and gathers the findings, whose fingerprints are those of the in-process run.

    check all --engine dask      # dask's process pool on this machine
    check all --engine spark     # pyspark, local[*] (needs Java 17)
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import pandas as pd

from checks.dataset import Dataset
from checks.engine import Context, Rule, RuleSummary, run
from checks.findings import Finding

ENGINES = ("pandas", "dask", "spark")
# periods: each comparison within one document, and text-year-slip reads the source
DOCUMENT_FAMILIES = {"provenance", "coverage", "metadata", "source-text", "periods"}
RELATIONS = ["parent", "share_part", "share_whole", "minuend", "subtrahend"]  # catalogue columns naming another indicator
TASK_ROWS = 50_000


def indicator_groups(indicators: pd.DataFrame) -> pd.Series:
    """indicator id → the id of its connected component (its smallest member) under RELATIONS."""
    parent = {i: i for i in indicators["id"]}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for column in [c for c in RELATIONS if c in indicators]:
        for a, b in zip(indicators["id"], indicators[column], strict=False):
            if b and b in parent:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return pd.Series({i: root(i) for i in parent}, name="group")


def _batches(sizes: pd.Series, rows: int) -> list[list]:
    """Keys packed into batches of about `rows` observations (a key is never split)."""
    batches: list[list] = []
    current: list = []
    filled = 0
    for key, size in sizes.items():
        if current and filled + size > rows:
            batches.append(current)
            current, filled = [], 0
        current.append(key)
        filled += int(size)
    if current:
        batches.append(current)
    return batches


def _document_task(task: tuple[Dataset, list[str]]):
    """Parse, locate and run the document rules on some documents."""
    dataset, rule_ids = task
    from checks.rules import RULES
    context = Context(dataset)
    located = context.located.set_axis(context.obs.index)
    findings, summaries = run(context, [r for r in RULES if r.id in rule_ids])
    return context.obs, located, findings, summaries


def _group_task(task: tuple[Dataset, pd.DataFrame, pd.DataFrame, list[str]]):
    """Run the indicator-group rules on the parsed observations of some groups."""
    dataset, obs, located, rule_ids = task
    from checks.rules import RULES
    context = parsed_context(dataset, obs.reset_index(drop=True), located.reset_index(drop=True))
    return run(context, [r for r in RULES if r.id in rule_ids])


def parsed_context(dataset: Dataset, obs: pd.DataFrame, located: pd.DataFrame) -> Context:
    """A Context over frames parsed and located elsewhere (no second parse)."""
    context = Context.__new__(Context)
    context.dataset, context.settings, context.obs, context.located = dataset, dataset.settings, obs, located
    context.per_run, context.oversized = {}, []
    return context


def execute_rules(dataset: Dataset, rules: list[Rule], engine: str, workers: int | None = None) -> tuple[Context, list[Finding], list[RuleSummary]]:
    """The parse step and `rules` on `engine`: (context over the whole parsed frame, findings, summaries)."""
    workers = workers or os.cpu_count() or 1
    document_rules = [r.id for r in rules if r.family in DOCUMENT_FAMILIES]
    group_rules = [r.id for r in rules if r.family not in DOCUMENT_FAMILIES]
    observations = dataset.observations

    # stage 1, by documents: parse, locate, document rules
    sizes = observations["document"].value_counts().reindex(dataset.documents["id"], fill_value=0)
    tasks = []
    for documents in _batches(sizes, TASK_ROWS):
        chosen = set(documents)
        tasks.append((replace(dataset, documents=dataset.documents[dataset.documents["id"].isin(chosen)],
                              observations=observations[observations["document"].isin(chosen)],
                              exclusions=dataset.exclusions[dataset.exclusions["document"].isin(chosen)],
                              sources={d: dataset.sources[d] for d in documents if d in dataset.sources}), document_rules))
    results = _map(engine, _document_task, tasks, workers)
    obs = pd.concat([r[0] for r in results]).sort_index()
    located = pd.concat([r[1] for r in results]).sort_index()
    findings = [f for r in results for f in r[2]]
    summaries = [s for r in results for s in r[3]]

    # stage 2, by indicator groups: every other rule
    if group_rules:
        group = obs["indicator"].map(indicator_groups(dataset.indicators))
        sizes = group.value_counts(sort=False).sort_index()
        group_tasks: list[tuple] = []
        lean = replace(dataset, sources={}, observations=observations.iloc[:0])
        for groups in _batches(sizes, TASK_ROWS):
            rows = group.isin(set(groups)).to_numpy()
            group_tasks.append((replace(lean, observations=observations[rows]), obs[rows], located[rows], group_rules))
        for got, summary in _map(engine, _group_task, group_tasks, workers):
            findings += got
            summaries += summary

    order = {r.id: i for i, r in enumerate(rules)}
    findings.sort(key=lambda f: (order.get(f.rule, len(order)), f.fingerprint))
    context = parsed_context(dataset, obs.reset_index(drop=True), located.reset_index(drop=True))
    return context, findings, _merge_summaries(summaries, rules)


def _merge_summaries(summaries: list[RuleSummary], rules: list[Rule]) -> list[RuleSummary]:
    """One summary per rule: checked, failed and undecided added up over the partitions."""
    merged: dict[str, RuleSummary] = {}
    for s in summaries:
        m = merged.get(s.rule)
        if m is None:
            merged[s.rule] = RuleSummary(s.rule, s.family, s.severity, s.summary, s.checked, s.failed, s.undecided,
                                         dict(s.undecided_reasons), s.crashed)
            continue
        m.checked += s.checked
        m.failed += s.failed
        m.undecided += s.undecided
        m.crashed = m.crashed or s.crashed
        for reason, count in s.undecided_reasons.items():
            m.undecided_reasons[reason] = m.undecided_reasons.get(reason, 0) + count
    return [merged[r.id] for r in rules if r.id in merged]


def _map(engine: str, function, tasks: list, workers: int) -> list:
    """function(task) for every task, on the engine; results in task order."""
    if not tasks:
        return []
    if engine == "dask":
        import dask
        with dask.config.set({"multiprocessing.context": "fork" if hasattr(os, "fork") else "spawn"}):  # fork: no re-import per worker
            return list(dask.compute(*[dask.delayed(function)(t) for t in tasks], scheduler="processes", num_workers=workers))
    if engine == "spark":
        return _spark().sparkContext.parallelize(tasks, len(tasks)).map(function).collect()
    raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")


def _spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter, with its packages
    from pyspark.sql import SparkSession
    return (SparkSession.builder.master(f"local[{os.cpu_count() or 1}]").appName("seed-checks")
            .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
            .config("spark.python.worker.reuse", "true").getOrCreate())
