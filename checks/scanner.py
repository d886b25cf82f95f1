"""Coverage: every number printed in a source is an observation or an explained exclusion.

Run as `python -m checks.scanner DOCUMENT [DATASET]` while entering a document: it lists the
numbers not yet accounted for and the quotes that cannot be found.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from checks.input_files import Unreadable, read_text
from checks.locator import locate
from checks.settings import Settings
from checks.sources import NumberToken, SourceText, unit_pattern


def scan_pattern(units: pd.DataFrame) -> str:
    aliases = [a for cell in units["aliases"] for a in str(cell).split("|")] + list(units["name"])
    return unit_pattern(aliases)


def gaps(document: str, source: SourceText, located: pd.DataFrame, exclusions: pd.DataFrame, pattern: str,
         tokens: list[NumberToken] | None = None) -> tuple[list[NumberToken], list[dict]]:
    """(tokens no observation or exclusion accounts for, exclusions that match no token).
    `tokens` are the document's scanned numbers when the caller has them already."""
    tokens = source.scan_numbers(pattern) if tokens is None else tokens
    covered = _covered(tokens, located[located["figure_found"]])
    rows = exclusions.assign(line_end=exclusions.get("line_end", ""))
    single = rows[rows["line_end"] == ""]
    ranges = rows[rows["line_end"] != ""]
    excluded = {(int(r.line), str(r.printed)) for r in single.itertuples(index=False)}
    spans_of_lines = [(int(r.line), int(r.line_end)) for r in ranges.itertuples(index=False)]
    used_exclusions: set[tuple] = set()
    missing = []
    for token, is_covered in zip(tokens, covered, strict=False):
        if is_covered:
            continue
        if (token.line, token.printed) in excluded:
            used_exclusions.add((token.line, token.printed))
            continue
        covering = next((r for r in spans_of_lines if r[0] <= token.line <= r[1]), None)
        if covering:  # a line range left out of the entered scope, with its reason
            used_exclusions.add(covering)
            continue
        missing.append(token)
    stale = [r._asdict() for r in single.itertuples(index=False) if (int(r.line), str(r.printed)) not in used_exclusions]
    stale += [r._asdict() for r in ranges.itertuples(index=False) if (int(r.line), int(r.line_end)) not in used_exclusions]
    return missing, stale


def _covered(tokens: list[NumberToken], found: pd.DataFrame) -> np.ndarray:
    """Per token: does the figure of some located observation overlap it? One sort of the figures'
    spans and a sorted search per token, never a comparison of every token with every figure."""
    if not tokens or found.empty:
        return np.zeros(len(tokens), dtype=bool)
    starts = found["figure_start"].to_numpy(dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    reach = np.maximum.accumulate(found["figure_end"].to_numpy(dtype=np.int64)[order])  # furthest end among spans so far
    token_starts = np.fromiter((t.span.start for t in tokens), dtype=np.int64, count=len(tokens))
    token_ends = np.fromiter((t.span.end for t in tokens), dtype=np.int64, count=len(tokens))
    before = np.searchsorted(starts, token_ends, side="left")  # spans starting before the token ends
    return (before > 0) & (reach[np.maximum(before - 1, 0)] > token_starts)


def _main(argv: list[str]) -> int:
    """Entry-time helper: reads the (possibly unfinished) tables of one document."""
    if not argv:
        print("usage: python -m checks.scanner DOCUMENT [DATASET_DIR]", file=sys.stderr)
        return 2
    document = argv[0]
    root = Path(argv[1] if len(argv) > 1 else "datasets")
    read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
    documents = read(root / "documents.csv").set_index("id")
    units = pd.concat([read(root / "units.csv")] + [read(p) for p in sorted((root / "_proposed").glob("units-*.csv"))])
    observations = pd.concat([read(p) for p in sorted((root / "observations").glob(f"{document}*.csv")) if not p.name.endswith(".draft.csv")] or [pd.DataFrame(columns=["id", "document", "quote", "value_printed", "line"])])
    exclusions = pd.concat([read(root / "exclusions.csv")] + [read(p) for p in sorted((root / "_proposed").glob("exclusions-*.csv"))]).fillna("")
    exclusions = exclusions[exclusions["document"] == document]
    try:  # only a regular file inside sources/, under the size limit
        raw = read_text(root / "sources" / documents.loc[document, "source_file"], Settings().max_source_bytes,
                        inside=root / "sources", what="source file")
    except Unreadable as error:
        print(error.problem, file=sys.stderr)
        return 2
    source = SourceText(documents.loc[document, "source_file"], raw)
    observations = observations[observations["document"] == document]
    located = locate(observations.assign(line=observations["line"].astype(int)), {document: source}, window=2)
    problems = 0
    for obs, where in zip(observations.itertuples(index=False), located.itertuples(index=False), strict=False):
        if not where.quote_found:
            problems += 1
            print(f"{obs.id}: quote not found within 2 lines of line {obs.line}: {obs.quote[:60]!r}")
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
