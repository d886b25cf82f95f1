"""The distributed engine: the same loader and rules, unchanged, run partition by partition on Dask or Spark.

Three stages, each a map of tasks over the engine; what passes between them are files in the run's
temporary folder (pickled frames, written and read by this run only), so the driver never holds
every observation's text:

1. **load** (`Partitions.read`, called by checks/dataset.load): batches of observation files are read
   and validated (pandera's tables.OBSERVATIONS, the references, scopes and units: the loader's own
   per-file functions) and batches of sources read and hashed. The driver keeps the small tables,
   the problems (listed where the in-process load lists them: same lines), the counts per document
   and per indicator, and a 64-bit hash of every id (duplicates across files).
2. **documents** (families in DOCUMENT_FAMILIES: provenance, coverage, metadata, source text,
   periods): a batch of documents, their sources, exclusions and the observations printed in
   them (from whichever stage-1 files hold them: a file may hold several documents). The parse
   step and locating the quotes run here too. The parsed rows are then written out by indicator
   group: the shuffle.
3. **indicator groups** (every other family): the connected components of the catalogue, i.e. the
   indicators one relation can reach (the same series, parent and children, a share's part and
   whole, a margin's minuend and subtrahend). A rule never pairs figures of two indicators the
   catalogue does not relate, so each group can be checked alone; groups are packed into buckets
   of about TASK_ROWS observations.

The findings and summaries come back to the driver, whose fingerprints are those of the
in-process run. The report's per-document counts come from stage 1, its chart series are computed
in the group buckets (a series is one indicator's); only the Great Expectations suites, which run
in-process on whole frames, make the driver read every parsed row back (`PartitionedContext.whole`).

    check all --engine dask      # dask's process pool on this machine
    check all --engine spark     # pyspark in local mode (the `spark` extra, and Java 17)

Dask is the engine chosen, by measuring both on this 2-core machine (bench/results/2026-12-06.json,
session 5): at 100 k Spark took twice the wall time and CPU of Dask and twice its memory (the JVM),
at 1 M about the same wall time with more CPU and 0.9 GB more memory. Dask is in the locks and
tested in CI; Spark is an optional extra whose test runs where pyspark and Java are installed.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
import weakref
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from checks import dataset as loading
from checks import observations
from checks.dataset import Dataset, Reader
from checks.engine import FINDING_OBSERVATION, Context, Rule, run
from checks.errors import InputProblem, Problems
from checks.findings import Finding
from checks.report_model import RuleResult
from checks.unit_table import UnitTable

ENGINES = ("pandas", "dask", "spark")
# periods: each comparison within one document, and text-year-slip reads the source
DOCUMENT_FAMILIES = {"provenance", "coverage", "metadata", "source-text", "periods"}
RELATIONS = ["parent", "share_part", "share_whole", "minuend", "subtrahend"]  # catalogue columns naming another indicator
TASK_ROWS = 50_000  # observations per task (about: a document or a group is never split)
SCHEDULER = "processes"  # dask's; tests of the partitioning logic alone use "synchronous"
TASK_BYTES = 8_000_000  # CSV and source bytes read per loading task
ROW_SPAN = 1 << 32  # an observation's order: file number × ROW_SPAN + its row in the file (the in-process load's order)


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


def _dump(value, path: Path) -> None:
    with path.open("wb") as out:
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)


def _read(path: Path):
    with path.open("rb") as source:
        return pickle.load(source)  # a file this run wrote into its own temporary folder


# ---- stage 1: the load ------------------------------------------------------------------------

@dataclass
class _Loaded:
    """What one loading task gives back: problems by kind (each file's in one task), files read."""
    read: Problems
    references: tuple[list[InputProblem], int]  # the first problems (as many as one file lists), how many in all
    scopes: list[tuple[str, list[InputProblem], int]]  # per file: its first problems, how many
    units: list[tuple[str, list[InputProblem], int]]
    sources: Problems
    files: dict[str, str]
    hashes: np.ndarray  # of every id, in row order
    order: np.ndarray  # every row's order key
    documents: pd.Series  # rows per document
    indicators: pd.Series  # rows per indicator


def _per_file(found: list[InputProblem], limit: int) -> list[tuple[str, list[InputProblem], int]]:
    """Problems by file, in order: the first `limit` of each and how many."""
    files: dict[str, list[InputProblem]] = {}
    for problem in found:
        files.setdefault(problem.file, []).append(problem)
    return [(file, listed[:limit], len(listed)) for file, listed in files.items()]


def _load_task(task: tuple) -> _Loaded:
    """Read and validate some observation files (writing the valid rows to `out`), and read some sources."""
    root, settings, files, documents, references, scope_table, unit_table, out = task
    limit = settings.max_problems_per_file
    reader = Reader(root, settings, Problems(limit))
    rows = loading.observation_tables(reader, [path for _, path in files]) if files else None
    referenced: tuple[list[InputProblem], int] = ([], 0)
    scoped, united = [], []
    if rows is not None and len(rows):
        found = Problems(limit)  # as load() validates the whole table: the first file's room, the rest counted
        loading.validate(references, rows[list(references.columns)], rows, found)
        referenced = (list(found), len(found) + sum(found.hidden.values()))
        scope_problems, unit_problems = loading.resolve_observations(rows, scope_table, unit_table)
        scoped, united = _per_file(scope_problems, limit), _per_file(unit_problems, limit)
        number = rows[loading.FILE_NAME].map({str(path): n for n, path in files}).to_numpy()
        rows = rows.set_axis(number * ROW_SPAN + rows.groupby(loading.FILE_NAME, sort=False).cumcount().to_numpy())
        _dump(rows, out)
    else:
        rows = None
    sources = Reader(root, settings, Problems(limit))
    if len(documents):
        loading._sources(sources, documents)  # the texts are dropped: read again by the document tasks
    return _Loaded(reader.problems, referenced, scoped, united, sources.problems, {**reader.files, **sources.files},
                   pd.util.hash_array(rows["id"].to_numpy()) if rows is not None else np.zeros(0, "uint64"),
                   rows.index.to_numpy() if rows is not None else np.zeros(0, "int64"),
                   rows["document"].value_counts(sort=False) if rows is not None else pd.Series(dtype="int64"),
                   rows["indicator"].value_counts(sort=False) if rows is not None else pd.Series(dtype="int64"))


def _merge(problems: Problems, found: Problems) -> None:
    """Problems a task collected, added as if found here (each file's problems are in one task)."""
    problems.extend(found)
    for file, count in found.hidden.items():
        problems.count_more(file, count)
    problems.stopped.update(found.stopped)


def _rows_with(task: tuple[Path, np.ndarray]) -> pd.DataFrame:
    path, order = task
    rows = _read(path)
    return rows[rows.index.isin(order)]


@dataclass
class Partitions:
    """The observations and sources of a dataset, read in the engine's partitions (checks/dataset.Partitions)."""
    engine: str
    workers: int
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="seed-engine-")))
    loaded: list[_Loaded] = field(default_factory=list)
    parts: list[Path] = field(default_factory=list)  # stage 1's frames, one per loading task that kept rows
    documents: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))  # rows per document
    indicators: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    where: dict[str, list[int]] = field(default_factory=dict)  # document → the parts holding its rows
    sources: dict | None = None  # the texts, when the dataset was loaded in-process (spill)
    columns: list[str] = field(default_factory=list)
    first_file: str = ""  # the first file with valid rows (load() counts the observations' reference problems beyond the listed there)

    def __post_init__(self):
        weakref.finalize(self, shutil.rmtree, str(self.folder), True)

    # -- the hooks of checks/dataset.load, in the order it calls them
    def read(self, reader: Reader, files: list[Path], documents: pd.DataFrame, references: pa.DataFrameSchema,
             scope_table: pd.DataFrame | None, unit_table: UnitTable) -> pd.DataFrame:
        settings = reader.settings
        numbered = list(enumerate(files))
        file_batches = _batches(pd.Series([_size(p) for p in files], index=range(len(files)), dtype="int64"), TASK_BYTES)
        folder = reader.root / "sources"
        source_sizes = pd.Series([_size(folder / f) for f in documents["source_file"]], index=range(len(documents)), dtype="int64")
        source_batches = _batches(source_sizes, TASK_BYTES) if loading.within(folder, reader.root) else []
        tasks = []
        for t in range(max(len(file_batches), len(source_batches))):
            chosen = [numbered[i] for i in file_batches[t]] if t < len(file_batches) else []
            docs = documents.iloc[source_batches[t]] if t < len(source_batches) else documents.iloc[:0]
            tasks.append((reader.root, settings, chosen, docs, references, scope_table, unit_table, self.folder / f"load-{t}.pkl"))
        self.loaded = _map(self.engine, _load_task, tasks, self.workers)
        for got in self.loaded:
            _merge(reader.problems, got.read)
        for got in self.loaded:  # the files' hashes in the order the load reads them (sources after tables: the fingerprint sorts)
            reader.files.update(got.files)
        kept = [t for t, got in enumerate(self.loaded) if len(got.order)]
        self.first_file = str(_read(self.folder / f"load-{kept[0]}.pkl")[loading.FILE_NAME].iloc[0]) if kept else ""
        self.parts = [self.folder / f"load-{t}.pkl" for t in kept]
        self._duplicates(reader, kept)
        self.documents = _sum([self.loaded[t].documents for t in kept])
        self.indicators = _sum([self.loaded[t].indicators for t in kept])
        for part, t in enumerate(kept):
            for document in self.loaded[t].documents.index:
                self.where.setdefault(document, []).append(part)
        empty = loading.no_observations(reader)
        if scope_table is not None:
            empty["scope_printed"] = empty["scope"]
        self.columns = list(empty.columns)
        return empty

    def _duplicates(self, reader: Reader, kept: list[int]) -> None:
        """Ids printed twice, across files: hashes first, then the rows behind a hash seen twice."""
        if not kept:
            return
        hashes = np.concatenate([self.loaded[t].hashes for t in kept])
        order = np.concatenate([self.loaded[t].order for t in kept])
        twice = pd.Series(hashes).duplicated(keep=False).to_numpy()
        if not twice.any():
            return
        suspects = order[twice]
        tasks = [(self.folder / f"load-{t}.pkl", np.intersect1d(self.loaded[t].order, suspects)) for t in kept]
        rows = pd.concat(_map(self.engine, _rows_with, [t for t in tasks if len(t[1])], self.workers)).sort_index()
        reader.problems.extend(loading.duplicate_ids(rows))

    def reference_problems(self, problems: Problems) -> None:
        """As load() validates the whole table at once: at most the first file's room listed, the rest counted there."""
        total = sum(count for _, count in (got.references for got in self.loaded))
        if not total:
            return
        first = self.first_file
        room = problems.room(first)
        problems.count_more(first, max(total - room, 0))
        problems.extend([p for got in self.loaded for p in got.references[0]][:room])

    def resolve_problems(self, problems: Problems) -> None:
        for kind in ("scopes", "units"):
            for got in self.loaded:
                for file, found, count in getattr(got, kind):
                    problems.extend(found)
                    problems.count_more(file, count - len(found))

    def source_problems(self, problems: Problems) -> None:
        for got in self.loaded:
            _merge(problems, got.sources)
        self.loaded = []  # what the driver keeps of stage 1 from now on: counts and parts

    # -- the dataset's rows, read back
    def holding(self, documents: list[str]) -> list[Path]:
        """The parts that hold rows of `documents`."""
        return [self.parts[p] for p in sorted({p for d in documents for p in self.where.get(d, [])})]

    def every_observation(self) -> pd.DataFrame:
        return loading.categorical(_rows(self.parts, None, self.columns).reset_index(drop=True), loading.REPEATED)  # typed as load() types it


def _rows(parts: list[Path], documents: set[str] | None, columns: list[str]) -> pd.DataFrame:
    """The raw (validated) rows of `documents` (None: all) in `parts`, in the load's order."""
    frames = [rows if documents is None else rows[rows["document"].isin(documents)] for rows in (_read(p) for p in parts)]
    return pd.concat(frames).sort_index() if frames else pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


def _size(path: Path) -> int:
    try:
        return max(path.stat().st_size, 1)
    except OSError:
        return 1


def _sum(counts: list[pd.Series]) -> pd.Series:
    return pd.concat(counts).groupby(level=0, sort=False).sum() if counts else pd.Series(dtype="int64")


def load(root: Path, engine: str, workers: int | None = None) -> Dataset:
    """The dataset at `root`, its observation files and sources read in the engine's partitions."""
    partitions = Partitions(engine, workers or os.cpu_count() or 1)
    dataset = loading.load(Path(root), partitions)
    dataset.partitions = partitions
    return dataset


def spill(dataset: Dataset, engine: str, workers: int | None = None) -> Partitions:
    """Partitions for a dataset loaded in-process (a workbook, a test): its rows written out by document batch."""
    partitions = Partitions(engine, workers or os.cpu_count() or 1, sources=dataset.sources)
    observations = dataset.observations
    partitions.columns = list(observations.columns)
    counts = observations["document"].value_counts(sort=False)
    for part, documents in enumerate(_batches(counts, TASK_ROWS)):
        path = partitions.folder / f"load-{part}.pkl"
        _dump(observations[observations["document"].isin(set(documents))], path)
        partitions.parts.append(path)
        for document in documents:
            partitions.where[document] = [part]
    partitions.documents = counts
    partitions.indicators = observations["indicator"].value_counts(sort=False)
    return partitions


# ---- stages 2 and 3: the rules ----------------------------------------------------------------

def _document_task(task: tuple):
    """Parse, locate and run the document rules on some documents; the parsed rows written out by bucket."""
    shared, parts, columns, documents, sources, rule_ids, buckets, out = task
    from checks.rules import RULES
    dataset = _read(shared)
    chosen = set(documents)
    own = dataset.documents[dataset.documents["id"].isin(chosen)]
    if sources is None:  # read here (the load read them only to hash them)
        sources = loading._sources(Reader(dataset.root, dataset.settings, Problems(1)), own)
    context = Context(replace(dataset, documents=own, observations=_rows(parts, chosen, columns),
                              exclusions=dataset.exclusions[dataset.exclusions["document"].isin(chosen)], sources=sources))
    located = context.located.set_axis(context.obs.index)
    findings, summaries = run(context, [r for r in RULES if r.id in rule_ids])
    bucket = context.obs["indicator"].map(buckets).to_numpy()
    for b in np.unique(bucket):
        rows = bucket == b
        _dump((context.obs[rows], located[rows]), out / f"{b}-{out.name}.pkl")
    return _written(findings, out / "findings.pkl"), summaries


def _bucket(folder: Path, bucket: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A bucket's parsed rows and where they stand, from every document task, in the load's order."""
    pieces = [_read(p) for p in sorted(folder.glob(f"*/{bucket}-*.pkl"))]
    if not pieces:
        return pd.DataFrame(), pd.DataFrame()
    obs = observations.typed(pd.concat([o for o, _ in pieces]).sort_index())  # the parsed frame's dtypes (concat made text of its categoricals)
    located = pd.concat([lo for _, lo in pieces]).sort_index()
    return obs, located


def _group_task(task: tuple):
    """Run the indicator-group rules on the parsed observations of a bucket of groups."""
    shared, folder, bucket, rule_ids = task
    from checks.rules import RULES
    dataset = _read(shared)
    obs, located = _bucket(folder, bucket)
    if obs.empty:
        return None, []
    context = parsed_context(dataset, obs.reset_index(drop=True), located.reset_index(drop=True))
    findings, summaries = run(context, [r for r in RULES if r.id in rule_ids])
    return _written(findings, folder / f"findings-g{bucket}.pkl"), summaries


def _written(findings: list[Finding], path: Path) -> Path | None:
    """A task's findings written to the run's folder as plain tuples (an observation as its values when
    its fields are FINDING_OBSERVATION, in that order, as the engine makes them): what goes back to
    the driver is the file's path, never the findings themselves (at 10 M the driver
    held 17.8 GB of findings returned as objects through the engine)."""
    if not findings:
        return None
    _dump([(f.rule, f.family, f.severity, f.message, [_compact(o) for o in f.observations], f.evidence, f.document, f.line,
            f.fingerprint, f.status, f.waiver) for f in findings], path)
    return path


def _compact(observation: dict) -> tuple | dict:
    return tuple(observation.values()) if tuple(observation) == FINDING_OBSERVATION else observation


def _findings_from(path: Path | None) -> list[Finding]:
    """The findings a task wrote, read once (and the file removed)."""
    if path is None:
        return []
    rows = _read(path)
    path.unlink()
    fields = FINDING_OBSERVATION
    return [Finding(rule, family, severity, message, [o if type(o) is dict else dict(zip(fields, o, strict=True)) for o in observations],
                    evidence, document, line, fingerprint, status, waiver)
            for rule, family, severity, message, observations, evidence, document, line, fingerprint, status, waiver in rows]


def _series_task(task: tuple) -> list[dict]:
    shared, folder, bucket = task
    from checks.pipeline import series
    dataset = _read(shared)
    obs, located = _bucket(folder, bucket)
    return series(parsed_context(dataset, obs.reset_index(drop=True), located.reset_index(drop=True))) if len(obs) else []


def parsed_context(dataset: Dataset, obs: pd.DataFrame, located: pd.DataFrame) -> Context:
    """A Context over frames parsed and located elsewhere (no second parse)."""
    context = Context.__new__(Context)
    context.dataset, context.settings, context.obs, context.located = dataset, dataset.settings, obs, located
    context.per_run, context.oversized = {}, []
    return context


class PartitionedContext(Context):
    """The driver's context after a partitioned run: counts per document from the load, chart series
    from the buckets, and the whole parsed frames only when asked for (`whole`, for the suites)."""

    def __init__(self, dataset: Dataset, partitions: Partitions, shared: Path, shuffled: Path, buckets: int):
        self.dataset, self.settings = dataset, dataset.settings
        self.partitions, self.shared, self.shuffled, self.buckets = partitions, shared, shuffled, buckets
        self.per_run, self.oversized = {}, []

    def observation_counts(self) -> pd.Series:
        return self.partitions.documents

    def series(self) -> list[dict]:
        from checks.pipeline import SERIES_KEY
        found = [s for got in _map(self.partitions.engine, _series_task, [(self.shared, self.shuffled, b) for b in range(self.buckets)],
                                   self.partitions.workers) for s in got]
        names = {"document": "document", "indicator": "indicator", "region": "region", "scope": "scope"}
        return sorted(found, key=lambda s: tuple(s[names[k]] for k in SERIES_KEY))

    def whole(self) -> Context:
        """A Context over every parsed row and the raw rows (read back from the partitions)."""
        pieces = [_bucket(self.shuffled, b) for b in range(self.buckets)]
        pieces = [p for p in pieces if len(p[0])]
        obs = observations.typed(pd.concat([o for o, _ in pieces]).sort_index().reset_index(drop=True)) if pieces else pd.DataFrame()
        located = pd.concat([lo for _, lo in pieces]).sort_index().reset_index(drop=True) if pieces else pd.DataFrame()
        return parsed_context(replace(self.dataset, observations=self.partitions.every_observation()), obs, located)


def execute_rules(dataset: Dataset, rules: list[Rule], engine: str, workers: int | None = None) -> tuple[PartitionedContext, list[Finding], list[RuleResult]]:
    """The parse step and `rules` on `engine`: (the driver's context, findings, summaries)."""
    workers = workers or os.cpu_count() or 1
    partitions = dataset.partitions if isinstance(dataset.partitions, Partitions) else spill(dataset, engine, workers)
    partitions.engine, partitions.workers = engine, workers
    document_rules = [r.id for r in rules if r.family in DOCUMENT_FAMILIES]
    group_rules = [r.id for r in rules if r.family not in DOCUMENT_FAMILIES]
    shared = partitions.folder / "dataset.pkl"  # the small tables, pickled once: a task reads them, not its arguments
    _dump(replace(dataset, observations=dataset.observations.iloc[:0], sources={}, partitions=None), shared)

    # the buckets of indicator groups, from the load's counts per indicator
    group = indicator_groups(dataset.indicators)
    sizes = partitions.indicators.groupby(partitions.indicators.index.map(group)).sum().sort_index()
    buckets = {g: b for b, groups in enumerate(_batches(sizes, TASK_ROWS)) for g in groups}
    bucket_of = {i: buckets[g] for i, g in group.items() if g in buckets}
    shuffled = partitions.folder / "shuffle"

    # stage 2, by documents: parse, locate, document rules, the shuffle
    sizes = partitions.documents.reindex(dataset.documents["id"], fill_value=0)
    first_part = pd.Series([min(partitions.where.get(d, [len(partitions.parts)])) for d in sizes.index], index=sizes.index)
    sizes = sizes.iloc[np.argsort(first_part.to_numpy(), kind="stable")]  # batched as the load's parts hold them: each part read by few tasks
    tasks = []
    for t, documents in enumerate(_batches(sizes, TASK_ROWS)):
        out = shuffled / f"d{t}"
        out.mkdir(parents=True)
        sources = None if partitions.sources is None else {d: partitions.sources[d] for d in documents if d in partitions.sources}
        tasks.append((shared, partitions.holding(documents), partitions.columns, documents, sources, document_rules, bucket_of, out))
    findings: list[Finding] = []
    summaries: list[RuleResult] = []
    for written, summary in _map(engine, _document_task, tasks, workers):
        findings += _findings_from(written)
        summaries += summary

    # stage 3, by buckets of indicator groups: every other rule
    if group_rules:
        for written, summary in _map(engine, _group_task, [(shared, shuffled, b, group_rules) for b in range(len(set(buckets.values())))], workers):
            findings += _findings_from(written)
            summaries += summary

    order = {r.id: i for i, r in enumerate(rules)}
    findings.sort(key=lambda f: (order.get(f.rule, len(order)), f.fingerprint))
    context = PartitionedContext(dataset, partitions, shared, shuffled, len(set(buckets.values())))
    return context, findings, _merge_summaries(summaries, rules)


def _merge_summaries(summaries: list[RuleResult], rules: list[Rule]) -> list[RuleResult]:
    """One result per rule: checked, failed, undecided and seconds added up over the partitions (each
    partition's time in the rule: with workers in parallel, the sum can exceed the run's wall time)."""
    parts: dict[str, list[RuleResult]] = {}
    for s in summaries:
        parts.setdefault(s.rule, []).append(s)
    merged = []
    for group in (parts[r.id] for r in rules if r.id in parts):
        reasons: Counter[str] = Counter()
        for s in group:
            reasons.update(s.undecided_reasons)
        first = group[0]
        merged.append(RuleResult.count(first.rule, first.family, first.severity, first.summary, sum(s.checked for s in group),
                                       sum(s.failed for s in group), sum(s.undecided for s in group), dict(reasons),
                                       any(s.crashed for s in group), sum(s.seconds for s in group),
                                       cpu_seconds=sum(s.cpu_seconds for s in group)))
    return merged


def _map(engine: str, function, tasks: list, workers: int) -> list:
    """function(task) for every task, on the engine; results in task order."""
    if not tasks:
        return []
    if engine == "dask":
        import dask
        with dask.config.set({"multiprocessing.context": "fork" if hasattr(os, "fork") else "spawn"}):  # fork: no re-import per worker
            return list(dask.compute(*[dask.delayed(function)(t) for t in tasks], scheduler=SCHEDULER, num_workers=workers))
    if engine == "spark":
        return _spark(workers).sparkContext.parallelize(tasks, len(tasks)).map(function).collect()
    raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")


def _spark(workers: int):
    """This process's Spark session, local mode with `workers` cores (the first call's: one session a process).
    The tasks pass files, not data, through it: results are small (what a task found goes to a file)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter, with its packages
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master(f"local[{workers}]").appName("seed-checks")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", "2g").config("spark.python.worker.reuse", "true").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session
