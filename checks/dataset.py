"""Load a dataset folder strictly: encoding, CSV shape, pandera schemas, references, sources.

Anything wrong with the inputs is collected into one InputError naming file, line and
column; nothing downstream ever sees a half-valid table.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from checks import scopes
from checks.errors import InputError, InputProblem, Problems
from checks.input_files import Unreadable, decode, read_bytes, within
from checks.settings import Settings, load_settings
from checks.sources import SourceText
from checks.unit_table import UnitTable
from checks.waivers import waiver_problems
from schemas import SHIPPED_SUITES, tables

EXPECTATIONS = "expectations"  # the folder of the dataset's own GE suites
DRAFT_SUFFIX = ".draft.csv"  # written by `check draft`, ignored until renamed
FILE_LINE = "file_line"  # the CSV line a row came from (header = line 1)
FILE_NAME = "file"
CHECK_FIRST = 10_000  # rows of a table validated alone first (see Reader._fails_early)
# The observation columns that repeat a few values across the rows (keys, codes, labels), held as categoricals once
# the table is valid (`categorical`): a byte or two a row instead of a pointer. id, quote and value_printed stay text.
REPEATED = ["document", "indicator", "region", "scope", "scope_printed", "period", "period_note", "role", "unit_printed", "section",
            "note", "basis", "table", "row_group", "row_label", "column_header", FILE_NAME]


@dataclass
class Dataset:
    root: Path
    documents: pd.DataFrame
    regions: pd.DataFrame
    units: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    exclusions: pd.DataFrame
    waivers: pd.DataFrame
    settings: Settings
    sources: dict[str, SourceText]  # by document id
    unit_table: UnitTable
    files: dict[str, str] = field(default_factory=dict)  # sha256 of every file read, by path relative to root
    expectations: dict[str, dict] = field(default_factory=dict)  # this dataset's own GE suites (expectations/*.json), by name
    scopes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["id", "name", "printed_forms", "definition"]))  # scopes.csv (empty without one)
    partitions: Any = None  # the distributed engine's (checks/distributed.Partitions): the observations and sources are there, not here
    scan_cache: Path | None = None  # where the run keeps its sources' scans (checks/scan_cache.py): set by the command, never by the dataset

    def fingerprint(self) -> str:
        """Hash of every table and source file the load read (and nothing else: no file outside
        the dataset, no pipe), so a report names exactly what it checked."""
        digest = hashlib.sha256()
        for name, sha256 in sorted(self.files.items()):
            digest.update(name.encode())
            digest.update(sha256.encode())
        return digest.hexdigest()


class Partitions(Protocol):
    """How load() reads the observation files and the sources elsewhere (checks/distributed.py): each
    method adds its problems where load() lists them in-process, so both list the same lines."""

    def read(self, reader: Reader, files: list[Path], documents: pd.DataFrame, references: pa.DataFrameSchema,
             scope_table: pd.DataFrame | None, unit_table: UnitTable) -> pd.DataFrame: ...
    def reference_problems(self, problems: Problems) -> None: ...
    def resolve_problems(self, problems: Problems) -> None: ...
    def source_problems(self, problems: Problems) -> None: ...


class Reader:
    """Reads the files of one dataset folder under its settings' limits, recording what it read
    (for the fingerprint) and collecting problems (never raising)."""

    def __init__(self, root: Path, settings: Settings, problems: Problems):
        self.root = root
        self.settings = settings
        self.problems = problems
        self.files: dict[str, str] = {}

    def text(self, path: Path, limit: int, inside: Path, what: str, problems: Problems | None = None) -> str | None:
        data = self.data(path, limit, inside, what, problems)
        return data.decode("utf-8") if data is not None else None

    def data(self, path: Path, limit: int, inside: Path, what: str, problems: Problems | None = None) -> bytes | None:
        """The UTF-8 bytes of a file (its byte-order mark left out), checked to decode."""
        try:
            data = read_bytes(path, limit, inside=inside, what=what)
            decode(data, str(path), what=what)
        except Unreadable as error:
            (self.problems if problems is None else problems).append(error.problem)
            return None
        self.files[str(path.relative_to(self.root))] = hashlib.sha256(data).hexdigest()
        return data[3:] if data.startswith(codecs.BOM_UTF8) else data

    def table(self, path: Path, schema: pa.DataFrameSchema, required: bool = True) -> pd.DataFrame:
        """Read one CSV as text cells and validate it; problems are appended, never raised."""
        frame = self.read(path, schema, required)
        return self.checked(schema, frame) if frame is not None else _empty(schema)

    def tables(self, paths: list[Path], schema: pa.DataFrameSchema) -> pd.DataFrame:
        """Several CSVs of one schema, read, validated and concatenated (only the valid ones),
        exactly as `table` one by one would: same frame, same problems in the same order.
        When every file is a regular table with the same header (`_regular`), their rows are read
        by pandas' C reader in one call and validated in one pandera call (a call costs about as
        much for 200 rows as for 20,000). The column checks are cell by cell (no uniqueness in the
        schemas this is used for), so the whole passes exactly when every file passes. Otherwise,
        or when the whole fails, every file is read and validated alone, in order, its problems
        (kept per file meanwhile) replayed: the messages and per-file limits of a file read alone."""
        assert not schema.unique and not any(column.unique for column in schema.columns.values())
        reads = []
        for path in paths:
            scratch = Problems(self.problems.limit)  # per file, as the file's own limit counts
            reads.append((path, scratch, self._table_data(path, True, scratch)))
        whole = self._read_together([(path, data) for path, _, data in reads], schema) \
            if not any(scratch or scratch.hidden for _, scratch, _ in reads) else None
        if whole is not None and _passes(schema, whole.drop(columns=[FILE_LINE, FILE_NAME])):
            return whole
        del whole
        valid = []
        for path, scratch, data in reads:
            frame = self._frame(data, path, schema, scratch) if data is not None else None
            self.problems.extend(scratch)
            for file, count in scratch.hidden.items():
                self.problems.count_more(file, count)
            if frame is not None:
                valid.append(self.checked(schema, frame))
        valid = [frame for frame in valid if len(frame)]
        return pd.concat(valid, ignore_index=True) if valid else _empty(schema)

    def read(self, path: Path, schema: pa.DataFrameSchema, required: bool = True, problems: Problems | None = None) -> pd.DataFrame | None:
        """One CSV as text cells with its file and lines, not yet validated; None (problems
        appended, to `problems` when given) when it is missing or not a well-formed table."""
        problems = self.problems if problems is None else problems
        data = self._table_data(path, required, problems)
        return self._frame(data, path, schema, problems) if data is not None else None

    def _table_data(self, path: Path, required: bool, problems: Problems) -> bytes | None:
        if not os.path.lexists(path):
            if required:
                problems.append(InputProblem(str(path), "file is missing"))
            return None
        return self.data(path, self.settings.max_table_bytes, self.root, "table", problems)

    def _frame(self, data: bytes, path: Path, schema: pa.DataFrameSchema, problems: Problems) -> pd.DataFrame | None:
        """The rows of one file: by the C reader when it is regular, else by `parse_csv`."""
        regular = _regular(data, self.settings.max_field_chars)
        if regular is not None:
            frame = _read_rows(regular[0], [data[regular[1]:]])
            return _located(frame, schema, [str(path)], [np.arange(2, len(frame) + 2)])
        parsed = parse_csv(data.decode("utf-8"), str(path), problems, self.settings.max_field_chars)
        if parsed is None:
            return None
        header, lines, body = parsed
        frame = pd.DataFrame(body, columns=header, dtype="str") if body else pd.DataFrame({c: pd.Series(dtype="str") for c in header})
        _optional_columns(frame, schema)
        frame[FILE_LINE] = lines
        frame[FILE_NAME] = str(path)
        return frame

    def _read_together(self, files: list[tuple[Path, bytes | None]], schema: pa.DataFrameSchema) -> pd.DataFrame | None:
        """The rows of every file in one read, when every file is regular with the same header."""
        regular = [_regular(data, self.settings.max_field_chars) if data is not None else None for _, data in files]
        if not files or any(r is None for r in regular) or len({tuple(r[0]) for r in regular if r is not None}) != 1:
            return None
        bodies = [data[r[1]:] for (_, data), r in zip(files, regular, strict=True) if data is not None and r is not None]
        frame = _read_rows(regular[0][0] if regular[0] is not None else [], bodies)
        lines = [np.arange(2, body.count(b"\n") + 2 + (not body.endswith(b"\n"))) for body in bodies]
        if sum(len(line) for line in lines) != len(frame):
            return None
        return _located(frame, schema, [str(path) for path, _ in files], lines)

    def checked(self, schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` (of one file, from `read`) when it passes its schema, else an empty frame with
        its problems appended."""
        data = frame.drop(columns=[FILE_LINE, FILE_NAME])
        if len(frame) > CHECK_FIRST and self._fails_early(schema, data, frame):
            return _empty(schema)
        if validate(schema, data, frame, self.problems):
            return frame
        return _empty(schema)

    def _fails_early(self, schema: pa.DataFrameSchema, data: pd.DataFrame, frame: pd.DataFrame) -> bool:
        """Validate the first CHECK_FIRST rows alone; when they already hold more problems than
        will be listed, keep those and stop: 200,000 junk rows cost what 10,000 cost."""
        name = str(frame[FILE_NAME].iloc[0])
        early = Problems(self.problems.room(name))
        if validate(schema, data.iloc[:CHECK_FIRST], frame.iloc[:CHECK_FIRST], early) or not early.hidden[name]:
            return False
        self.problems.extend(early)
        self.problems.count_more(name, early.hidden[name])
        self.problems.stop(name, int(frame[FILE_LINE].iloc[CHECK_FIRST]))
        return True


def _optional_columns(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> None:
    for column in tables.OPTIONAL_COLUMNS.get(str(schema.name), []):
        if column not in frame.columns:
            frame[column] = ""


def _located(frame: pd.DataFrame, schema: pa.DataFrameSchema, files: list[str], lines: list[np.ndarray]) -> pd.DataFrame:
    """`frame` (the rows of `files`, in order) with its absent optional columns (empty) and each
    row's physical line and file (one string per file, shared by its rows)."""
    _optional_columns(frame, schema)
    frame[FILE_LINE] = np.concatenate(lines).astype(np.int64)
    frame[FILE_NAME] = pd.array(np.repeat(np.array(files, dtype=object), [len(line) for line in lines]), dtype="str")
    return frame


# A line of well-formed fields: unquoted (no quote inside) or quoted whole (inner quotes doubled),
# never a line break inside quotes.
_FIELD = rb'(?:"(?:[^"\n]|"")*"|[^,"\n]*)'
_QUOTED_LINE = re.compile(_FIELD + rb"(?:," + _FIELD + rb")*")
_QUOTED_FIELD = re.compile(rb'"(?:[^"\n]|"")*"')
_SOLID = np.zeros(256, dtype=bool)  # bytes that make a row not blank, surely
_SOLID[0x21:0x7F] = True
_SOLID[[ord(","), ord('"')]] = False


def _regular(data: bytes, max_field: int) -> tuple[list[str], int] | None:
    """(header, offset where the rows start) of a CSV's UTF-8 bytes that pandas' C reader reads
    exactly as `parse_csv` does: one record per physical line (so row k stands on line k + 2), no
    blank row (every line holds a printable ASCII character other than a comma or a quote), no
    line longer than the field limit (in bytes, so in characters too), as many fields on every
    line as in the header, quotes only around whole fields, no NUL nor carriage return but before a line feed, at least
    one row, and a header of distinct, non-empty names. None for anything else: `parse_csv` then
    reads it, and says what is wrong with it."""
    if not data or b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    codes = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(codes == ord("\n"))
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    if len(ends) < 2:
        return None
    starts = np.concatenate(([0], ends[:-1] + 1))
    if int((ends - starts).max()) > max_field:
        return None
    solid = np.concatenate(([0], np.cumsum(_SOLID[codes])))
    if ((solid[ends] - solid[starts]) == 0).any():
        return None
    commas = np.concatenate(([0], np.cumsum(codes == ord(","))))
    fields = commas[ends] - commas[starts] + 1
    quotes = np.flatnonzero(codes == ord('"'))
    for line in np.unique(np.searchsorted(ends, quotes)):
        content = data[starts[line]:ends[line]].removesuffix(b"\r")
        if not _QUOTED_LINE.fullmatch(content):
            return None
        fields[line] = _QUOTED_FIELD.sub(b"", content).count(b",") + 1
    if (fields != fields[0]).any():
        return None
    first = data[:ends[0]].removesuffix(b"\r").decode("utf-8")
    header = next(csv.reader([first])) if '"' in first else first.split(",")
    if len(header) != fields[0] or any(not name.strip() for name in header) or len(set(header)) != len(header):
        return None
    return header, int(ends[0]) + 1


def _read_rows(header: list[str], bodies: list[bytes]) -> pd.DataFrame:
    """The rows of regular CSVs (without their header line) as text cells, by pandas' C reader
    (which makes one string object of a value repeated in a column, where the csv module made one
    per cell). The bodies are streamed to it, not joined, and it converts them chunk by chunk
    (low_memory), so reading costs little beyond the files' bytes and the frame."""
    return pd.read_csv(_Stream(bodies), header=None, names=header, dtype=str, na_filter=False, keep_default_na=False, encoding="utf-8",
                       engine="c", index_col=False, quoting=csv.QUOTE_MINIMAL, doublequote=True)


class _Stream(io.RawIOBase):
    """Several byte strings read as one file, each ended by a line break."""

    def __init__(self, parts: list[bytes]):
        self.parts = [part if part.endswith(b"\n") else part + b"\n" for part in parts]
        self.part = self.offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.part < len(self.parts) and self.offset >= len(self.parts[self.part]):
            self.part, self.offset = self.part + 1, 0
        if self.part == len(self.parts):
            return 0
        chunk = memoryview(self.parts[self.part])[self.offset:self.offset + len(buffer)]
        buffer[:len(chunk)] = chunk
        self.offset += len(chunk)
        return len(chunk)


def _empty(schema: pa.DataFrameSchema) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in [*list(schema.columns), FILE_NAME, FILE_LINE]})


def _passes(schema: pa.DataFrameSchema, data: pd.DataFrame) -> bool:
    """Whether `data` passes `schema`, whose checks are cell by cell (a cell passes or fails alone; no
    uniqueness, no check across rows): a column of few distinct values (a value repeated in 4 rows or
    more on average) is validated on its distinct values only, together with the others of few; the
    other columns on every row. A million rows of a few hundred documents, indicators and regions
    cost what their distinct values cost."""
    if set(data.columns) != set(schema.columns):  # a column missing or unknown: validate() says which, file by file
        return False
    # a Python set, not pd.unique: pandas' string hash table caches a UTF-8 copy in every string it hashes (+40 % for quotes)
    distinct = {name: np.array(list(set(data[name].to_numpy())), dtype=object) for name in data.columns}
    few = [name for name, values in distinct.items() if 4 * len(values) <= len(data)]
    many = [name for name in data.columns if name not in few]
    longest = max((len(distinct[name]) for name in few), default=0)
    try:
        if few:  # each column's distinct values, repeated up to the longest
            schema.select_columns(few).validate(pd.DataFrame({name: pd.array(np.resize(distinct[name], longest), dtype="str")
                                                              for name in few}), lazy=True)
        if many:
            schema.select_columns(many).validate(data[many], lazy=True)
        return True
    except pandera.errors.SchemaErrors:
        return False


def parse_csv(text: str, name: str, problems: Problems, max_field: int) -> tuple[list[str], list[int], list[list[str]]] | None:
    """(header, physical line of each row, rows) of a CSV text, blank rows left out; None after
    appending the problems when the file is not a well-formed table. A row's line is the physical
    line it starts on, even after a quoted field that holds a line break."""
    previous = csv.field_size_limit(max_field)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for row in reader:
                if "".join(row).strip():  # not a blank row
                    records.append((start, row))
                start = reader.line_num + 1
        except csv.Error as exc:
            problems.append(InputProblem(name, _csv_message(str(exc), max_field), line=start))
            return None
    finally:
        csv.field_size_limit(previous)
    if not records or records[0][0] != 1:
        problems.append(InputProblem(name, "file is empty: a header row is required" if not records
                                     else "the first line is blank: the header row must be line 1", line=None if not records else 1))
        return None
    header = records[0][1]
    bad_header = False
    for index, column in enumerate(header):
        if not column.strip():
            problems.append(InputProblem(name, f"header field {index + 1} is empty: every column needs a name", line=1))
            bad_header = True
        elif header.index(column) != index:
            problems.append(InputProblem(name, f"column '{column}' appears twice in the header (fields {header.index(column) + 1} and {index + 1})", line=1))
            bad_header = True
    if bad_header:
        return None
    bad_shape = 0
    for line, row in records[1:]:
        if len(row) != len(header):
            bad_shape += 1
            if problems.room(name):
                problems.append(InputProblem(name, f"has {len(row)} fields, the header has {len(header)} (a stray comma or an unquoted field?)", line=line))
            else:
                problems.count_more(name, 1)
    if bad_shape:
        return None
    return header, [line for line, _ in records[1:]], [row for _, row in records[1:]]


def _csv_message(error: str, max_field: int) -> str:
    if "field larger than field limit" in error:
        return f"a field is longer than {max_field:,} characters (setting [limits] max_field_chars): an unbalanced quote?"
    if "unexpected end of data" in error:
        return "a quoted field that starts in the row on this line is never closed (an unbalanced \")"
    if "expected after" in error:
        return f"malformed quoting ({error}): a quote inside a quoted field must be doubled (\"\")"
    return f"not a well-formed CSV row: {error}"


def validate(schema: pa.DataFrameSchema, data: pd.DataFrame, located: pd.DataFrame, problems: Problems) -> bool:
    """Run a pandera schema lazily; turn each failure case into a located problem (only as many
    as will be listed: the rest are counted)."""
    try:
        schema.validate(data, lazy=True)
        return True
    except pandera.errors.SchemaErrors as errors:
        file = str(located[FILE_NAME].iloc[0]) if len(located) else str(schema.name)
        cases = errors.failure_cases
        cases = cases.assign(_row=cases["index"].fillna(-1)).sort_values("_row", kind="stable")
        room = problems.room(file)
        problems.count_more(file, max(len(cases) - room, 0))
        for case in cases.head(room).itertuples(index=False):
            if pd.isna(case.index):
                message = _schema_message(case.check, case.failure_case)
                problems.append(InputProblem(file, message, column=None if case.check.startswith("column_in") else case.column))
                continue
            row = located.iloc[int(case.index)]
            problems.append(InputProblem(row[FILE_NAME], f"{_shown(case.failure_case)} {_check_message(case.check)}",
                                         line=int(row[FILE_LINE]), column=case.column))
        return False


def _shown(value: object, limit: int = 80) -> str:
    """A failing cell as quoted in a message, cut short when long (a 1 MB cell is not echoed)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"…' ({len(str(value)):,} characters)"


def _schema_message(check: str, failure_case: object) -> str:
    if check == "column_in_dataframe":
        return f"missing column '{failure_case}'"
    if check == "column_in_schema":
        return f"unexpected column '{failure_case}'"
    return f"{check}: {failure_case}"


def _check_message(check: str) -> str:
    if check == "field_uniqueness" or check.startswith("multiple_fields_uniqueness"):
        return "is a duplicate: it must be unique"
    return check


def load(root: Path, partitions: Partitions | None = None) -> Dataset:
    """Load and validate the dataset at `root`, or raise InputError listing every problem.
    `partitions` (the distributed engine, checks/distributed.py) reads the observation files and the
    sources in its partitions instead: the Dataset then holds none of their text."""
    root = Path(root)
    if not root.is_dir():
        raise InputError([InputProblem(str(root), "dataset folder does not exist")])
    problems = Problems(Settings().max_problems_per_file)
    settings = _settings(root, problems)
    problems.limit = settings.max_problems_per_file
    reader = Reader(root, settings, problems)
    frames = {name: reader.table(root / name, schema, required=name not in tables.OPTIONAL_TABLES)
              for name, schema in tables.TABLES.items()}
    ids = {"documents": set(frames["documents.csv"]["id"]), "regions": set(frames["regions.csv"]["id"]),
           "units": set(frames["units.csv"]["id"]), "indicators": set(frames["indicators.csv"]["id"])}
    unit_table = UnitTable(frames["units.csv"])
    scope_table = frames["scopes.csv"] if (root / "scopes.csv").exists() else None
    # the distributed engine reads, validates and resolves the observations in its partitions; it lists their problems where load() does
    observations = _observations(reader) if partitions is None else partitions.read(
        reader, observation_files(reader), frames["documents.csv"], tables.references(ids)["observations"], scope_table, unit_table)
    if problems:
        raise InputError(problems.listed())

    located = {"documents": frames["documents.csv"], "regions": frames["regions.csv"],
               "indicators": frames["indicators.csv"], "observations": observations,
               "exclusions": frames["exclusions.csv"]}
    for table, schema in tables.references(ids).items():
        if partitions is not None and table == "observations":
            partitions.reference_problems(problems)
            continue
        frame = located[table]
        if not _passes(schema, frame[list(schema.columns)]):  # the references are checked cell by cell: its rows only when one fails
            validate(schema, frame[list(schema.columns)], frame, problems)
    if problems:
        raise InputError(problems.listed())
    problems.extend(tree_problems(frames["regions.csv"], "region"))
    if not problems:
        problems.extend(depth_problems(frames["regions.csv"], settings.max_region_depth))
    problems.extend(tree_problems(frames["indicators.csv"], "indicator"))
    expectations = _expectations(reader)
    problems.extend(waiver_problems(frames["waivers.csv"], set(expectations)))
    if partitions is None:
        for found in resolve_observations(observations, scope_table, unit_table):
            problems.extend(found)
        sources = _sources(reader, frames["documents.csv"])
    else:
        partitions.resolve_problems(problems)
        sources = _sources(reader, frames["documents.csv"].iloc[:0])  # only whether sources/ stays inside the dataset
        partitions.source_problems(problems)
    if problems:
        raise InputError(problems.listed())
    return Dataset(root, frames["documents.csv"], frames["regions.csv"], frames["units.csv"],
                   frames["indicators.csv"], categorical(observations, REPEATED), frames["exclusions.csv"],
                   frames["waivers.csv"], settings, sources, unit_table, reader.files, expectations, frames["scopes.csv"])


def categorical(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame` with its `columns` (those it has) as categoricals of their distinct values, sorted, so they
    sort and group as the text does. A column already categorical stays as it is; text put together from
    parts (pd.concat of categoricals of different categories makes text again) is typed again."""
    return frame.assign(**{name: frame[name].astype(pd.CategoricalDtype(sorted(pd.unique(frame[name].to_numpy()))))
                           for name in columns if name in frame.columns and not isinstance(frame[name].dtype, pd.CategoricalDtype)})


def resolve_observations(observations: pd.DataFrame, scope_table: pd.DataFrame | None,
                         unit_table: UnitTable) -> tuple[list[InputProblem], list[InputProblem]]:
    """Printed scopes resolved to scopes.csv's canonical names (in place: `scope_printed` keeps the
    printed one), and the problems in row order: unknown scopes, then unknown units. Each row is
    judged alone, so some files at a time give what the whole table gives."""
    scope_problems: list[InputProblem] = []
    if scope_table is not None:  # printed scopes resolve to the table's canonical names
        canonical, scope_problems = scopes.resolve(observations, scope_table)
        observations["scope_printed"] = observations["scope"]
        observations["scope"] = canonical
    printed = pd.unique(observations["unit_printed"].to_numpy())  # resolved once per distinct printed unit
    unknown = [text for text in printed if text and unit_table.resolve(text) is None]
    unit_problems = [InputProblem(row.file, f"unknown unit {row.unit_printed!r}: add it to the aliases in units.csv",
                                  line=row.file_line, column="unit_printed")
                     for row in observations[observations["unit_printed"].isin(unknown)].itertuples(index=False)]
    return scope_problems, unit_problems


def tree_problems(frame: pd.DataFrame, what: str) -> list[InputProblem]:
    """A parent chain that comes back to where it started (a region that is its own parent, an
    indicator whose category is its own sub-category) is an input error naming the chain, once per
    cycle, at the line of its first member. A parent must name an existing id (checked before)."""
    parent = dict(zip(frame["id"], frame["parent"], strict=False))
    where = dict(zip(frame["id"], zip(frame[FILE_NAME], frame[FILE_LINE], strict=False), strict=False))
    problems, done = [], set()
    for start in frame["id"]:
        path, on_path = [], set()
        node = start
        while node and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parent.get(node, "")
        if node in on_path:  # a cycle: the part of the path from `node` on
            cycle = path[path.index(node):]
            first = min(cycle, key=lambda n: where[n][1])
            chain = cycle[cycle.index(first):] + cycle[:cycle.index(first)] + [first]
            file, line = where[first]
            message = (f"{what} {first!r} is its own parent" if len(cycle) == 1
                       else f"{what} {first!r} is its own ancestor: the parents form a cycle {' → '.join(chain)}")
            problems.append(InputProblem(file, message, line=int(line), column="parent"))
        done.update(path)
    return problems


def depth_problems(regions: pd.DataFrame, limit: int) -> list[InputProblem]:
    """A region more than `limit` levels below its top: every region is compared with every region
    above it (part-whole), so a chain 100,000 deep would be 5·10⁹ comparisons. Reported once, at
    the deepest region. Needs a tree without cycles."""
    parent = dict(zip(regions["id"], regions["parent"], strict=False))
    depth: dict[str, int] = {}
    for start in parent:
        chain = []
        node = start
        while node and node not in depth:
            chain.append(node)
            node = parent.get(node, "")
        base = depth.get(node, 0)
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    deepest = max(depth, key=lambda member: depth[member], default=None)
    if deepest is None or depth[deepest] <= limit:
        return []
    row = regions[regions["id"] == deepest].iloc[0]
    return [InputProblem(row[FILE_NAME], f"region {deepest!r} is {depth[deepest]} levels deep, more than [limits] max_region_depth = {limit}",
                         line=int(row[FILE_LINE]), column="parent")]


def _settings(root: Path, problems: Problems) -> Settings:
    try:
        return load_settings(root / "settings.toml")
    except InputError as error:
        problems.extend(error.problems)
        return Settings()


def observation_files(reader: Reader) -> list[Path]:
    """The observation files, in the order they are read (drafts left out, with a note)."""
    folder = reader.root / "observations"
    everything = sorted(p for p in folder.glob("*.csv")) if folder.is_dir() else []
    files = [f for f in everything if not f.name.endswith(DRAFT_SUFFIX)]
    drafts = [f.name for f in everything if f.name.endswith(DRAFT_SUFFIX)]
    if drafts:  # drafts by `check draft` are never data until the steward renames them
        print(f"note: {len(drafts)} draft file(s) in {folder} not checked: {', '.join(drafts)}", file=sys.stderr)
    if not files:
        reader.problems.append(InputProblem(str(folder), "no observation files (*.csv)" if folder.is_dir()
                                            else "not a folder: observation files (*.csv) go in a folder observations/"
                                            if os.path.lexists(folder) else "folder is missing"))
    return files


def observation_tables(reader: Reader, paths: list[Path]) -> pd.DataFrame:
    """Observation files read and validated (tables.OBSERVATIONS), the valid ones concatenated.
    The load's step per file (`paths` may be some of the files: a partition of the distributed engine)."""
    frame = reader.tables(paths, tables.OBSERVATIONS)
    if len(frame):
        frame["line"] = frame["line"].astype(int)
    return frame


def no_observations(reader: Reader) -> pd.DataFrame:
    """The observations table with its columns and no row."""
    return Reader(reader.root, reader.settings, Problems(1)).table(reader.root / "observations" / "none.csv", tables.OBSERVATIONS,
                                                                   required=False)


def duplicate_ids(observations: pd.DataFrame) -> list[InputProblem]:
    """A problem for every row whose id another row also has (in any observation file)."""
    return [InputProblem(row.file, f"duplicate observation id {row.id!r} (ids are unique across all observation files)",
                         line=row.file_line, column="id")
            for row in observations[observations["id"].duplicated(keep=False)].itertuples(index=False)]


def _observations(reader: Reader) -> pd.DataFrame:
    observations = observation_tables(reader, observation_files(reader))
    if not len(observations):
        return no_observations(reader)
    reader.problems.extend(duplicate_ids(observations))
    return observations


def _expectations(reader: Reader) -> dict[str, dict]:
    """The dataset's own Great Expectations suites: expectations/<name>.json, each a JSON object whose
    `name` is its file name (the rule id is `suites.<name>`). What a suite asks is judged when it
    runs (a suite naming an unknown frame is a finding); here only that it is a readable suite."""
    folder = reader.root / EXPECTATIONS
    if not os.path.lexists(folder):
        return {}
    if not within(folder, reader.root) or not folder.is_dir():
        reader.problems.append(InputProblem(str(folder), "expectations folder is not a folder inside the dataset: it is not read"))
        return {}
    suites = {}
    for path in sorted(folder.glob("*.json")):
        text = reader.text(path, reader.settings.max_table_bytes, folder, "suite file")
        if text is None:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            reader.problems.append(InputProblem(str(path), f"not JSON: {error.msg}", line=error.lineno, column=error.colno))
            continue
        if (SHIPPED_SUITES / path.name).exists():
            reader.problems.append(InputProblem(str(path), f"suite {path.stem!r} is the name of a suite Seed ships: rename the file and its \"name\""))
            continue
        if not isinstance(data, dict) or data.get("name") != path.stem or not isinstance(data.get("expectations"), list):
            reader.problems.append(InputProblem(str(path), f"not a suite: a JSON object with \"name\": \"{path.stem}\" (its file name) "
                                                           "and a list of \"expectations\""))
            continue
        suites[path.stem] = data
    return suites


def _sources(reader: Reader, documents: pd.DataFrame) -> dict[str, SourceText]:
    """Each document's source: a plain file name inside sources/ (checked by the schema), read only
    if it is a regular file that stays inside sources/, up to [limits] max_source_bytes."""
    folder = reader.root / "sources"
    if not within(folder, reader.root):
        reader.problems.append(InputProblem(str(folder), "sources folder leads outside the dataset (a symbolic link?): it is not read"))
        return {}
    sources = {}
    for doc in documents.itertuples(index=False):
        path = folder / doc.source_file
        if not os.path.lexists(path):
            reader.problems.append(InputProblem(doc.file, f"source file {path} does not exist", line=doc.file_line, column="source_file"))
            continue
        text = reader.text(path, reader.settings.max_source_bytes, folder, "source file")
        if text is not None:
            sources[doc.id] = SourceText(doc.source_file, text, reader.files[str(path.relative_to(reader.root))])
    return sources

