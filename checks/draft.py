"""`check draft`: observation rows drafted from a new source, for the steward to complete.

The source is copied into `sources/` byte for byte (never over a different file), its
`documents.csv` row is written (or printed, when what only the steward knows is missing), and
`observations/<ID>.draft.csv` gets one row per printed figure the coverage scanner finds: line,
quote (cut so that the figure is its last value, and long enough to be found only there),
value and unit as printed, and for a table cell its column's period and footnote. What a figure
means (indicator, region, role, and the period of a prose figure) is the steward's: it is
pre-filled only where a catalogue `printed_names` entry stands in the row label or the sentence.
The loader ignores `*.draft.csv`; the steward renames the file when it is complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from checks.dataset import DRAFT_SUFFIX
from checks.errors import InputError, InputProblem
from checks.grammar import PREFIXES, SUFFIXES, fold, parse
from checks.input_files import Unreadable, decode, read_bytes
from checks.scanner import scan_pattern
from checks.settings import Settings
from checks.sources import NumberToken, SourceText
from checks.unit_table import UnitTable

DOCUMENT_COLUMNS = ["id", "source_file", "sha256", "title", "issuer", "region", "kind", "as_of", "base_year"]
OBSERVATION_COLUMNS = ["id", "document", "indicator", "region", "scope", "period", "period_note", "role",
                       "value_printed", "unit_printed", "section", "line", "quote", "note", "table", "row_group", "row_label", "column_header"]
SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
# Qualifiers that belong to a printed value (`超过3万家`, `96%左右`, `年均增长6%`); verbs like 达 / 为 do not.
VALUE_QUALIFIERS = [w for w, q in PREFIXES if q in {"floor", "ceiling", "approx", "near", "up", "down", "average"}]
CLAUSE_MARKS = "，,。；;！？!?：:、（(\n"
WINDOW = 2  # lines a quote may stand from its line (settings.toml [provenance] line_window default)


@dataclass
class Draft:
    source_file: Path  # where the source now is
    document_row: dict
    document_written: bool
    draft_file: Path
    rows: list[dict]
    prefilled: int


def draft_document(source: Path, document: str, dataset: Path, *, title: str = "", issuer: str = "", region: str = "",
                   kind: str = "", as_of: str = "", base_year: str = "") -> Draft:
    """Copy `source` into the dataset and draft its rows. Raises InputError on anything unsafe."""
    source, dataset = Path(source), Path(dataset)
    if not SLUG.match(document):
        raise InputError([InputProblem("--document", f"{document!r} is not a lower-case slug (letters, digits, - and _)")])
    try:  # a regular file under the size limit (never a pipe or /dev/zero), UTF-8
        data = read_bytes(source, Settings().max_source_bytes, what="source")
        text = decode(data, str(source), what="source")
    except Unreadable as error:
        raise InputError([error.problem]) from None
    target = dataset / "sources" / source.name
    draft_file = dataset / "observations" / f"{document}{DRAFT_SUFFIX}"
    problems = []
    if target.exists() and target.read_bytes() != data:
        problems.append(InputProblem(str(target), f"a different file already has this name; rename {source.name} (sources are never overwritten)"))
    if draft_file.exists():
        problems.append(InputProblem(str(draft_file), "a draft for this document exists already; finish or remove it first"))
    if (dataset / "observations" / f"{document}.csv").exists():
        problems.append(InputProblem(str(dataset / "observations" / f"{document}.csv"), "observations of this document exist already"))
    documents = _read(dataset / "documents.csv")
    existing = documents[documents["id"] == document] if "id" in documents else documents.iloc[0:0]
    sha = hashlib.sha256(data).hexdigest()
    if len(existing) and (existing.iloc[0]["source_file"] != source.name or existing.iloc[0]["sha256"] != sha):
        problems.append(InputProblem(str(dataset / "documents.csv"), f"document {document!r} exists already with another source"))
    if problems:
        raise InputError(problems)

    reading = SourceText(source.name, text, sha)
    row = {"id": document, "source_file": source.name, "sha256": sha,
           "title": title or reading.metadata.get("title", "") or _first_line(reading), "issuer": issuer, "region": region,
           "kind": kind, "as_of": as_of, "base_year": base_year}
    units = _read(dataset / "units.csv")
    indicators = _read(dataset / "indicators.csv")
    rows = draft_rows(reading, document, units, indicators, region=region)

    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(data)
    complete = all(row[c] for c in ("title", "issuer", "region", "kind", "as_of"))
    written = False
    if complete and not len(existing):
        _append_row(dataset / "documents.csv", row)
        written = True
    write_csv(draft_file, rows, OBSERVATION_COLUMNS)
    return Draft(target, row, written or bool(len(existing)), draft_file, rows, sum(1 for r in rows if r["indicator"]))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    """Rows as a UTF-8 CSV with its header line (the folder made when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def draft_rows(source: SourceText, document: str, units: pd.DataFrame, indicators: pd.DataFrame, region: str = "") -> list[dict]:
    """One row per printed figure the scanner finds in `source`, and per table cell that holds a
    word (不明显, 按省下达目标, —) or is left blank where a value stands: the steward keeps it (a
    blank is entered with an empty value_printed, proven at its row and column) or deletes it."""
    unit_table = UnitTable(units)
    tokens = source.scan_values(scan_pattern(units), unit_table)
    names = _printed_names(indicators)
    shared = _shared_units(source, tokens)
    rows = []
    for number, token in enumerate(tokens, start=1):
        value, value_start, value_end = _value(source, token)
        quote = _quote(source, token, value, value_start, value_end)
        unit = token.unit if token.section == "table" else shared.get(number - 1) or _as_printed(value, parse(value).cell_unit)
        context = token.label if token.section == "table" else _sentence(source, value_start)
        indicator = _match_indicator(context, names)
        note = f"row: {token.label} · column: {token.header}" if token.section == "table" else ""
        if token.kind == "blank":
            note += " · left blank: keep as absent or delete"
        rows.append({
            "id": f"{document}-{number:03d}", "document": document, "indicator": indicator, "region": region, "scope": "",
            "period": token.period if token.section == "table" else "", "period_note": token.period_note, "role": "",
            "value_printed": value, "unit_printed": unit, "section": token.section, "line": str(token.line),
            "quote": quote, "note": note,
            "table": token.table, "row_group": token.row_group,
            "row_label": (token.row_label or token.label) if token.section == "table" else "", "column_header": token.header,
        })
    return rows


def _shared_units(source: SourceText, tokens: list[NumberToken]) -> dict[int, str]:
    """Prose figures listed with 、 whose unit the last one completes (`高于全国2个、1.3个、6.1个百分点`:
    2个 and 1.3个 are percentage points): token index → the unit printed at the end of the list."""
    shared: dict[int, str] = {}
    for index in range(len(tokens) - 2, -1, -1):
        token, following = tokens[index], tokens[index + 1]
        if token.section != "text" or following.section != "text":
            continue
        between = source.text[token.span.end:following.span.start].strip()
        unit = parse(token.text).cell_unit
        completed = shared.get(index + 1) or parse(following.text).cell_unit
        if between == "、" and unit and completed != unit and completed.startswith(unit):
            shared[index] = completed
    return shared


def _as_printed(value: str, unit: str) -> str:
    """The unit as the value prints it (the grammar reads it folded: ℃ as °C, ％ as %)."""
    if not unit or unit in value:
        return unit
    spans = ((i, j) for i in range(len(value)) for j in range(len(value), i, -1))
    return next((value[i:j] for i, j in spans if fold(value[i:j]) == unit), unit)


def _value(source: SourceText, token: NumberToken) -> tuple[str, int, int]:
    """The value as printed, with the qualifiers that stand with it, and its raw span."""
    start, end = token.span.start, token.span.end
    text = source.text
    if token.section == "table":
        cell = text[start:end]
        lead = len(cell) - len(cell.lstrip())
        return _printed(source, start, end), start + lead, start + lead + len(cell.strip())
    while True:  # 年均增长6%: every qualifier standing before the figure, nearest first
        before = text[max(0, start - 6):start]
        prefix = next((w for w in VALUE_QUALIFIERS if before.endswith(w)), "")
        if not prefix:
            break
        start -= len(prefix)
    after = text[end:end + 3]
    suffix = next((s for s in SUFFIXES if after.startswith(s)), "")
    end += len(suffix)
    return _printed(source, start, end), start, end


def _quote(source: SourceText, token: NumberToken, value: str, value_start: int, value_end: int) -> str:
    """The shortest clause-aligned text ending at the figure that is found only at this figure."""
    text = source.text
    line_start = text.rfind("\n", 0, value_start) + 1
    if token.section == "table" and token.quote_start >= 0:
        starts = [token.quote_start]
    else:
        starts, position = [], value_start
        floor = max(0, text.rfind("\n\n", 0, value_start), token.quote_start)  # a prose cell's quote stays in its cell
        while position > floor:
            mark = max(text.rfind(ch, floor, position) for ch in CLAUSE_MARKS)
            candidate = mark + 1 if mark >= 0 else floor
            if candidate < value_start and (not starts or candidate < starts[-1]):
                starts.append(candidate)
            if mark < 0:
                break
            position = mark
        starts = starts or [line_start]
    best = None
    for start in starts:
        quote = _printed(source, start, value_end)
        if not quote:
            continue
        best = quote
        _, figure = source.locate_figure(quote, value, token.line, WINDOW)
        if figure is not None and figure.start == value_start:
            return quote
    return best or value


def _printed(source: SourceText, start: int, end: int) -> str:
    """The content between two offsets on one line: markup left out, white space runs as one space."""
    kept = "".join(t for t, r in zip(source.text[start:end], source.raw[start:end], strict=False) if t == r or r.isspace())
    return " ".join(kept.split())


def _sentence(source: SourceText, position: int) -> str:
    text = source.text
    start = max(text.rfind(ch, 0, position) for ch in "，,。；;：:！？\n") + 1  # the figure's own clause
    return text[start:position]


def _printed_names(indicators: pd.DataFrame) -> list[tuple[str, str]]:
    """(folded printed name, indicator id), longest first."""
    names = []
    for row in indicators.itertuples(index=False):
        for name in [row.name, *str(row.printed_names).split("|")]:
            key = fold(name)
            if len(key) >= 2:
                names.append((key, row.id))
    return sorted(set(names), key=lambda pair: len(pair[0]), reverse=True)


def _match_indicator(context: str, names: list[tuple[str, str]]) -> str:
    """The indicator whose printed name stands last in the context (the nearest before the figure),
    the longest name on a tie; empty when two indicators tie."""
    folded = fold(context)
    best: tuple[int, int] | None = None
    found: set[str] = set()
    for name, indicator in names:
        position = folded.rfind(name)
        if position < 0:
            continue
        score = (position + len(name), len(name))
        if best is None or score > best:
            best, found = score, {indicator}
        elif score == best:
            found.add(indicator)
    return next(iter(found)) if len(found) == 1 else ""


def _first_line(source: SourceText) -> str:
    return next((line.strip() for line in source.lines if line.strip()), "")


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError([InputProblem(str(path), "file is missing")])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _append_row(path: Path, row: dict) -> None:
    text = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=DOCUMENT_COLUMNS, lineterminator="\n").writerow(row)
    separator = "" if text.endswith("\n") or not text else "\n"
    with path.open("a", encoding="utf-8", newline="") as out:
        out.write(separator + buffer.getvalue())


def document_row_csv(row: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DOCUMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()
