"""Coverage: every number printed in a source is an observation or an explained exclusion.

Run as `python -m checks.scanner DOCUMENT [DATASET]` while entering a document: it lists the
numbers not yet accounted for and the quotes that cannot be found.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from checks.errors import InputError, InputProblem, Problems
from checks.input_files import Unreadable, read_text
from checks.locator import locate
from checks.settings import Settings, load_settings
from checks.sources import NumberToken, SourceText, unit_pattern

if TYPE_CHECKING:
    from checks.figures import Scan


def scan_pattern(units: pd.DataFrame) -> str:
    aliases = [a for cell in units["aliases"] for a in str(cell).split("|")] + list(units["name"])
    return unit_pattern(aliases)


def gaps(document: str, source: SourceText, located: pd.DataFrame, exclusions: pd.DataFrame, pattern: str) -> tuple[list[NumberToken], list[dict]]:
    """(tokens no observation or exclusion accounts for, exclusions that match no token)."""
    found = located[located["figure_found"]]
    return unaccounted(source.scan_figures(pattern, described=False), found["figure_start"].to_numpy(dtype=np.int64),
                       found["figure_end"].to_numpy(dtype=np.int64), exclusion_records(exclusions))


def exclusion_records(exclusions: pd.DataFrame) -> list[dict]:
    """The rows of exclusions.csv as dicts of Python values, `line_end` "" where the file has none."""
    rows = exclusions.assign(line_end=exclusions.get("line_end", ""))
    return [dict(zip(rows.columns, values, strict=True)) for values in zip(*(rows[c].tolist() for c in rows.columns), strict=True)]


def unaccounted(scanned: Scan, starts: np.ndarray, ends: np.ndarray, exclusions: list[dict]) -> tuple[list[NumberToken], list[dict]]:
    """`gaps` on what it reads: a document's scan (SourceText.scan_figures), the spans of its
    located figures (start and end offsets) and its exclusions (exclusion_records), so a caller
    holding every document's arrays digests the frames once, not once per document. The scanned
    spans are compared with the figures' as arrays; tokens are made only for the numbers no
    figure covers."""
    return excluded(scanned.tokens(np.flatnonzero(~covered(scanned.starts, scanned.ends, starts, ends))), exclusions)


def excluded(uncovered: list[NumberToken], exclusions: list[dict]) -> tuple[list[NumberToken], list[dict]]:
    """(the tokens of `uncovered`, numbers no figure covers, that no exclusion names; the
    exclusions, rows of exclusion_records, that name none of them)."""
    if not exclusions:
        return list(uncovered), []
    single = [r for r in exclusions if r["line_end"] == ""]
    ranges = [r for r in exclusions if r["line_end"] != ""]
    single_keys = [(int(r["line"]), str(r["printed"])) for r in single]
    range_keys = [(int(r["line"]), int(r["line_end"])) for r in ranges]
    excluded = set(single_keys)
    used_exclusions: set[tuple] = set()
    missing = []
    for token in uncovered:
        # an exclusion names the digits (every such number of its line) or the number with its unit
        # as printed (10条: only that one, where 10个 on the same line is a figure)
        named = next((key for key in ((token.line, token.text), (token.line, token.printed)) if key in excluded), None)
        if named:
            used_exclusions.add(named)
            continue
        covering = next((r for r in range_keys if r[0] <= token.line <= r[1]), None)
        if covering:  # a line range left out of the entered scope, with its reason
            used_exclusions.add(covering)
            continue
        missing.append(token)
    stale = [row for key, row in zip(single_keys, single, strict=True) if key not in used_exclusions]
    stale += [row for key, row in zip(range_keys, ranges, strict=True) if key not in used_exclusions]
    return missing, stale


def covered(token_starts: np.ndarray, token_ends: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per token (spans `token_starts`, `token_ends`): does the figure of some located observation
    (spans `starts`, `ends`) overlap it? One sort of the figures' spans and one sorted search for
    all tokens, never a comparison of every token with every figure."""
    if not len(token_starts) or not len(starts):
        return np.zeros(len(token_starts), dtype=bool)
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    reach = np.maximum.accumulate(ends[order])  # furthest end among spans so far
    before = np.searchsorted(starts, token_ends, side="left")  # spans starting before the token ends
    return (before > 0) & (reach[np.maximum(before - 1, 0)] > token_starts)


def read_table(path: Path, root: Path, settings: Settings, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """One CSV of a dataset as text cells, read as the loader reads it (checks/input_files.py: a
    regular file inside the dataset, at most [limits] max_table_bytes, cells of at most
    max_field_chars, a bad byte or a stray quote named at its line) but not validated beyond the
    `columns` it must have: the tables of a document being entered are unfinished. Raises
    InputError naming the file."""
    from checks.dataset import Reader, parse_csv

    problems = Problems(settings.max_problems_per_file)
    if not os.path.lexists(path):
        raise InputError([InputProblem(str(path), "file is missing")])
    text = Reader(root, settings, problems).text(path, settings.max_table_bytes, root, "table")
    parsed = parse_csv(text, str(path), problems, settings.max_field_chars) if text is not None else None
    if problems or parsed is None:
        raise InputError(problems.listed())
    header, _, body = parsed
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError([InputProblem(str(path), f"column '{missing[0]}' is missing from the header", line=1)])
    return pd.DataFrame(body, columns=header, dtype="str") if body else pd.DataFrame(columns=header, dtype="str")


def _line_numbers(frame: pd.DataFrame, column: str, name: str) -> None:
    bad = frame[~frame[column].astype(str).str.fullmatch(r"[1-9][0-9]{0,8}")]
    if len(bad):
        raise InputError([InputProblem(name, f"{bad[column].iloc[0]!r} is not a line number (1, 2, ...)", column=column)])


def _main(argv: list[str]) -> int:
    """Entry-time helper: reads the (possibly unfinished) tables of one document."""
    if not argv:
        print("usage: python -m checks.scanner DOCUMENT [DATASET_DIR]", file=sys.stderr)
        return 2
    document = argv[0]
    root = Path(argv[1] if len(argv) > 1 else "datasets")
    try:
        return coverage_report(document, root)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2


def coverage_report(document: str, root: Path) -> int:
    """Print what of `document` is not accounted for yet; 1 when something is, 0 when nothing is.
    Raises InputError (naming the file) on anything unreadable."""
    settings = load_settings(root / "settings.toml")  # raises InputError naming the file
    def read(path: Path, *columns: str) -> pd.DataFrame:
        return read_table(path, root, settings, columns)

    located_columns = ("id", "document", "quote", "value_printed", "line")
    documents = read(root / "documents.csv", "id", "source_file").drop_duplicates("id").set_index("id")
    if document not in documents.index:
        known = ", ".join(sorted(str(k) for k in documents.index if k))
        raise InputError([InputProblem(str(root / "documents.csv"), f"unknown document {document!r}; known: {known}")])
    units = pd.concat([read(p, "name", "aliases") for p in [root / "units.csv", *sorted((root / "_proposed").glob("units-*.csv"))]])
    observations = pd.concat([read(p, *located_columns) for p in sorted((root / "observations").glob(f"{document}*.csv"))
                              if not p.name.endswith(".draft.csv")] or [pd.DataFrame(columns=located_columns)])
    exclusions = pd.concat([read(p, "document", "line", "printed")
                            for p in [root / "exclusions.csv", *sorted((root / "_proposed").glob("exclusions-*.csv"))]]).fillna("")
    exclusions = exclusions[exclusions["document"] == document]
    try:  # only a regular file inside sources/, under the size limit
        raw = read_text(root / "sources" / documents.loc[document, "source_file"], settings.max_source_bytes,
                        inside=root / "sources", what="source file")
    except Unreadable as error:
        raise InputError([error.problem]) from None
    source = SourceText(documents.loc[document, "source_file"], raw)
    observations = observations[observations["document"] == document]
    _line_numbers(observations, "line", f"{root / 'observations'}/{document}*.csv")
    _line_numbers(exclusions, "line", str(root / "exclusions.csv"))
    if "line_end" in exclusions:
        _line_numbers(exclusions[exclusions["line_end"] != ""], "line_end", str(root / "exclusions.csv"))
    located = locate(observations.assign(line=observations["line"].astype(int)), {document: source}, window=settings.line_window, units=units)
    problems = 0
    for obs, where in zip(observations.itertuples(index=False), located.itertuples(index=False), strict=False):
        if not where.quote_found:
            problems += 1
            print(f"{obs.id}: quote not found within {settings.line_window} lines of line {obs.line}: {obs.quote[:60]!r}")
        elif not where.figure_found:
            problems += 1
            print(f"{obs.id}: value {obs.value_printed!r} is not in its quote")
    missing, stale = gaps(document, source, located, exclusions, scan_pattern(units))
    for token in missing:
        context = source.raw[max(0, token.span.start - 20): token.span.end + 5].replace("\n", " ")
        print(f"line {token.line}: unaccounted {token.text!r} (printed {token.printed!r}) …{context}…")
    for row in stale:
        print(f"exclusion matches no number: line {row['line']} printed {row['printed']!r}")
    print(f"{len(observations)} observations, {len(missing)} unaccounted numbers, {problems} quote problems, {len(stale)} stale exclusions")
    return 1 if missing or problems or stale else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
