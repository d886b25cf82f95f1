"""Load a dataset folder strictly: encoding, CSV shape, pandera schemas, references, sources.

Anything wrong with the inputs is collected into one InputError naming file, line and
column; nothing downstream ever sees a half-valid table.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from checks.errors import InputError, InputProblem
from checks.settings import Settings, load_settings
from checks.sources import SourceText
from checks.unit_table import UnitTable
from schemas import tables

FILE_LINE = "file_line"  # the CSV line a row came from (header = line 1)
FILE_NAME = "file"


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

    def fingerprint(self) -> str:
        """Hash of every table and source file, so a report names exactly what it checked."""
        digest = hashlib.sha256()
        for path in sorted(p for p in self.root.rglob("*") if p.is_file() and "_proposed" not in p.parts):
            digest.update(str(path.relative_to(self.root)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def read_table(path: Path, schema: pa.DataFrameSchema, problems: list[InputProblem], required: bool = True) -> pd.DataFrame:
    """Read one CSV as text cells and validate it; problems are appended, never raised."""
    columns = list(schema.columns)
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in columns + [FILE_NAME, FILE_LINE]})
    if not path.exists():
        if required:
            problems.append(InputProblem(str(path), "file is missing"))
        return empty
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.append(InputProblem(str(path), f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8", line=line))
        return empty
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True)) if text.strip() else []
    if not rows:
        problems.append(InputProblem(str(path), "file is empty: a header row is required"))
        return empty
    header, body = rows[0], rows[1:]
    bad_shape = [(i + 2, len(r)) for i, r in enumerate(body) if len(r) != len(header) and any(c.strip() for c in r)]
    for line, count in bad_shape:
        problems.append(InputProblem(str(path), f"has {count} fields, the header has {len(header)} (a stray comma or an unquoted field?)", line=line))
    if bad_shape:
        return empty
    frame = pd.DataFrame([r for r in body if any(c.strip() for c in r)], columns=header, dtype="str")
    frame = frame.astype("str") if len(frame) else pd.DataFrame({c: pd.Series(dtype="str") for c in header})
    frame[FILE_LINE] = [i + 2 for i, r in enumerate(body) if any(c.strip() for c in r)]
    frame[FILE_NAME] = str(path)
    data = frame.drop(columns=[FILE_LINE, FILE_NAME])
    if validate(schema, data, frame, problems):
        return frame
    return empty


def validate(schema: pa.DataFrameSchema, data: pd.DataFrame, located: pd.DataFrame, problems: list[InputProblem]) -> bool:
    """Run a pandera schema lazily; turn each failure case into a located problem."""
    try:
        schema.validate(data, lazy=True)
        return True
    except pandera.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples(index=False):
            file = located[FILE_NAME].iloc[0] if len(located) else schema.name
            if pd.isna(case.index):
                message = _schema_message(case.check, case.failure_case)
                problems.append(InputProblem(str(file), message, column=None if case.check.startswith("column_in") else case.column))
                continue
            row = located.iloc[int(case.index)]
            problems.append(InputProblem(row[FILE_NAME], f"{case.failure_case!r} {_check_message(case.check)}", line=int(row[FILE_LINE]), column=case.column))
        return False


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


def load(root: Path) -> Dataset:
    """Load and validate the dataset at `root`, or raise InputError listing every problem."""
    root = Path(root)
    if not root.is_dir():
        raise InputError([InputProblem(str(root), "dataset folder does not exist")])
    problems: list[InputProblem] = []
    settings = _settings(root, problems)
    frames = {name: read_table(root / name, schema, problems, required=name != "waivers.csv")
              for name, schema in tables.TABLES.items()}
    observations = _observations(root, problems)
    if problems:
        raise InputError(problems)

    ids = {"documents": set(frames["documents.csv"]["id"]), "regions": set(frames["regions.csv"]["id"]),
           "units": set(frames["units.csv"]["id"]), "indicators": set(frames["indicators.csv"]["id"])}
    located = {"documents": frames["documents.csv"], "regions": frames["regions.csv"],
               "indicators": frames["indicators.csv"], "observations": observations,
               "exclusions": frames["exclusions.csv"]}
    for table, schema in tables.references(ids).items():
        frame = located[table]
        validate(schema, frame[list(schema.columns)], frame, problems)
    unit_table = UnitTable(frames["units.csv"])
    for row in observations.itertuples(index=False):
        if row.unit_printed and unit_table.resolve(row.unit_printed) is None:
            problems.append(InputProblem(row.file, f"unknown unit {row.unit_printed!r}: add it to the aliases in units.csv", line=row.file_line, column="unit_printed"))
    sources = _sources(root, frames["documents.csv"], problems)
    if problems:
        raise InputError(problems)
    return Dataset(root, frames["documents.csv"], frames["regions.csv"], frames["units.csv"],
                   frames["indicators.csv"], observations, frames["exclusions.csv"],
                   frames["waivers.csv"], settings, sources, unit_table)


def _settings(root: Path, problems: list[InputProblem]) -> Settings:
    try:
        return load_settings(root / "settings.toml")
    except InputError as error:
        problems.extend(error.problems)
        return Settings()


def _observations(root: Path, problems: list[InputProblem]) -> pd.DataFrame:
    files = sorted((root / "observations").glob("*.csv"))
    if not files:
        problems.append(InputProblem(str(root / "observations"), "no observation files (*.csv)"))
    frames = [read_table(f, tables.OBSERVATIONS, problems) for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return read_table(root / "observations" / "none.csv", tables.OBSERVATIONS, [], required=False)
    observations = pd.concat(frames, ignore_index=True)
    for row in observations[observations["id"].duplicated(keep=False)].itertuples(index=False):
        problems.append(InputProblem(row.file, f"duplicate observation id {row.id!r} (ids are unique across all observation files)", line=row.file_line, column="id"))
    observations["line"] = observations["line"].astype(int)
    return observations


def _sources(root: Path, documents: pd.DataFrame, problems: list[InputProblem]) -> dict[str, SourceText]:
    sources = {}
    for doc in documents.itertuples(index=False):
        path = root / "sources" / doc.source_file
        if not path.exists():
            problems.append(InputProblem(doc.file, f"source file {path} does not exist", line=doc.file_line, column="source_file"))
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(InputProblem(str(path), f"source is not valid UTF-8 (byte {exc.start})"))
            continue
        sources[doc.id] = SourceText(doc.source_file, text, hashlib.sha256(data).hexdigest())
    return sources
