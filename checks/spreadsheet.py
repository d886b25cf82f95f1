"""Datasets kept in a spreadsheet, and findings exported to one.

Reading: `--dataset book.xlsx` is a workbook with one sheet per table, named as the CSV files
without `.csv` (documents, regions, units, indicators, exclusions, waivers) and one or more
observation sheets (`observations`, or `observations-<anything>`), with the same columns as the
CSVs; `sources/` and `settings.toml` sit beside the workbook. The sheets are written as CSV files
into a temporary folder and loaded by the same strict loader (checks/dataset.py), so every rule of
validation is the same; each problem is then named by workbook, sheet, row and column. A number
cell in `value_printed` is refused: a spreadsheet number has lost its printed form (96.10, 95%以上).

Export: `check export --xlsx PATH` writes the dataset's tables and the run's findings as sheets for
stewards who review in a spreadsheet. Text that a spreadsheet would read as a formula (starting
with = + - @, a tab or a carriage return) is stored as text with Excel's quote prefix: shown as
printed, never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from checks.errors import InputError, InputProblem
from checks.findings import plain
from checks.input_files import Unreadable, read_bytes

TABLE_SHEETS = ("documents", "regions", "units", "indicators", "exclusions", "waivers")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def load_dataset(path: Path):
    """A dataset folder, or a workbook read through the same loader."""
    from checks.dataset import load
    if not is_workbook(path):
        return load(path)
    book = Path(path)
    with _as_folder(book) as (folder, where):
        try:
            dataset = load(folder)
        except InputError as error:
            raise InputError([_relocate(p, folder, where) for p in error.problems], error.subject) from None
        for frame in (dataset.documents, dataset.regions, dataset.units, dataset.indicators, dataset.observations,
                      dataset.exclusions, dataset.waivers):
            if "file" in frame.columns and len(frame):
                rows = [where.get(str(Path(f)), (str(f), {})) for f in frame["file"]]
                frame["file_line"] = [lines.get(int(n), int(n)) for (_, lines), n in zip(rows, frame["file_line"], strict=False)]
                frame["file"] = [name for name, _ in rows]
        dataset.root = book.parent
    return dataset


@contextmanager
def _as_folder(book: Path):
    """(temporary dataset folder, {csv path: (\"book.xlsx[sheet]\", {csv line: sheet row})})."""
    from checks.settings import load_settings
    limit = load_settings(book.parent / "settings.toml").max_workbook_bytes
    try:  # a regular file (never a pipe or a device), at most [limits] max_workbook_bytes
        data = read_bytes(book, limit, what="workbook")
    except Unreadable as error:
        raise InputError([error.problem]) from None
    try:
        import openpyxl
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a small file may unpack to gigabytes
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > limit:
            raise InputError([InputProblem(str(book), f"workbook unpacks to {unpacked:,} bytes, more than the limit of {limit:,} "
                                           "([limits] max_workbook_bytes)")])
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError([InputProblem(str(book), f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}")]) from None
    folder = Path(tempfile.mkdtemp(prefix="seed-workbook-"))
    try:
        (folder / "observations").mkdir()
        where: dict[str, tuple[str, dict[int, int]]] = {}
        problems: list[InputProblem] = []
        for sheet in workbook.worksheets:
            name = sheet.title.strip()
            if name in TABLE_SHEETS:
                target = folder / f"{name}.csv"
            elif name == "observations" or name.startswith("observations-"):
                target = folder / "observations" / f"{name}.csv"
            else:
                problems.append(InputProblem(f"{book}, sheet '{sheet.title}'", f"unexpected sheet: expected {', '.join(TABLE_SHEETS)} "
                                             "and observations or observations-<name>"))
                continue
            lines = _write_sheet(sheet, target, f"{book}, sheet '{sheet.title}'", problems)
            where[str(target)] = (f"{book}[{sheet.title}]", lines)
        if problems:
            raise InputError(problems)
        # Symbolic links are copied as links, so the loader still refuses one that leads out of
        # sources/ (or to /dev/zero); a named pipe or a device is never opened by the copy.
        sources = book.parent / "sources"
        if sources.is_dir() and not sources.is_symlink():
            special = _special_files(str(sources), os.listdir(sources))
            if special:
                raise InputError([InputProblem(str(sources / n), "source file is not a regular file (a device, a named pipe or a socket): "
                                               "it is not read") for n in special])
            shutil.copytree(sources, folder / "sources", symlinks=True)
        if os.path.lexists(book.parent / "settings.toml"):
            if _special_files(str(book.parent), ["settings.toml"]):
                raise InputError([InputProblem(str(book.parent / "settings.toml"), "settings file is not a regular file: it is not read")])
            shutil.copy(book.parent / "settings.toml", folder / "settings.toml", follow_symlinks=False)
        yield folder, where
    finally:
        workbook.close()
        shutil.rmtree(folder, ignore_errors=True)


def _special_files(folder: str, names: list[str]) -> list[str]:
    """Names in `folder` that are neither a regular file, a folder nor a symbolic link."""
    kinds = (stat.S_ISREG, stat.S_ISDIR, stat.S_ISLNK)
    return [n for n in names if not any(kind(os.lstat(os.path.join(folder, n)).st_mode) for kind in kinds)]


def _write_sheet(sheet, target: Path, name: str, problems: list[InputProblem]) -> dict[int, int]:
    """Write one sheet as CSV text; return {physical CSV line: sheet row} for every row written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    lines: dict[int, int] = {}
    line = 1
    header: list[str] = []
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        if row_number == 1:
            header = [_text(c) for c in cells]
        texts = []
        for index, value in enumerate(cells):
            column = header[index] if index < len(header) else f"column {index + 1}"
            if row_number > 1 and column == "value_printed" and isinstance(value, (int, float)) and not isinstance(value, bool):
                problems.append(InputProblem(f"{name}, row {row_number}, column '{column}'",
                                             f"a number cell ({value!r}): store printed values as text (format the column as Text) "
                                             "so the figure keeps its printed form"))
            texts.append(_text(value))
        if row_number > 1 and len(texts) < len(header):
            texts += [""] * (len(header) - len(texts))
        before = out.tell()
        writer.writerow(texts)
        lines[line] = row_number
        line += out.getvalue()[before:].count("\n")
    target.write_text(out.getvalue(), encoding="utf-8")
    return lines


def _text(value) -> str:
    """A cell as the text a CSV would hold: numbers without float noise, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _relocate(problem: InputProblem, folder: Path, where: dict[str, tuple[str, dict[int, int]]]) -> InputProblem:
    """A problem found in a temporary CSV, named by workbook, sheet, row and column."""
    path = str(Path(problem.file))
    if path in where:
        book_sheet, lines = where[path]
        book, sheet = book_sheet.rsplit("[", 1)
        place = f"{book}, sheet '{sheet[:-1]}'"
        if problem.line is not None:
            place += f", row {lines.get(problem.line, problem.line)}"
        return InputProblem(place, problem.message, None, problem.column)
    if path.startswith(str(folder)):
        return InputProblem(path.replace(str(folder), "(workbook folder)"), problem.message, problem.line, problem.column)
    return problem


# --- export ---------------------------------------------------------------------------------------

def neutralise(cell, value) -> None:
    """Set a cell's value; formula-like text stays text (quote prefix), shown as printed."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def export_workbook(dataset, report) -> bytes:
    """The dataset's tables and the run's findings as a workbook (bytes of an .xlsx)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    findings = workbook.active
    findings.title = "findings"
    columns = ["where", "rule", "severity", "status", "fails", "message", "observations", "quotes", "fingerprint", "waiver reason"]
    _rows(findings, columns, ([f.where(), f.rule, f.severity, f.status, "yes" if f.fails else "no", f.message,
                               ", ".join(o.id for o in f.observations), " | ".join(o.quote for o in f.observations),
                               f.fingerprint, f.waiver.reason if f.waiver else ""] for f in report.findings))
    for name, frame in (("documents", dataset.documents), ("regions", dataset.regions), ("units", dataset.units),
                        ("indicators", dataset.indicators), ("observations", dataset.observations),
                        ("exclusions", dataset.exclusions), ("waivers", dataset.waivers)):
        sheet = workbook.create_sheet(name)
        shown = [c for c in frame.columns if c not in ("file", "file_line")]
        _rows(sheet, shown, ([plain(v) for v in row] for row in frame[shown].itertuples(index=False)))
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(sheet, columns, rows) -> None:
    sheet.append(columns)
    for values in rows:
        index = sheet.max_row + 1
        for column, value in enumerate(values, start=1):
            neutralise(sheet.cell(row=index, column=column), value)



