"""Where each observation's quote and figure stand in its source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, per_run
from checks.sources import SourceText


def locate(observations: pd.DataFrame, sources: dict[str, SourceText], window: int, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per observation: quote_found, figure_found, figure_start/end (raw offsets), figure_line (all -1
    for a figure not found), and the figure's offset inside the quote as printed (for highlighting).
    An empty `value_printed` is a table cell the source leaves blank: its "figure" is that blank
    cell, found in the quote's row under its `column_header` (read as the scanner reads tables,
    with `units`)."""
    count = len(observations)
    quote_found = np.zeros(count, dtype=bool)
    starts, ends, lines = (np.full(count, -1, dtype=np.int64) for _ in range(3))
    headers = observations["column_header"] if "column_header" in observations else pd.Series("", index=observations.index)
    values = observations["value_printed"].astype(str)
    blank = (values.str.strip() == "").to_numpy()
    documents = observations["document"].to_numpy()
    line = observations["line"].to_numpy(dtype=np.int64)
    pattern = None
    for document, group in pd.Series(np.arange(count)).groupby(documents, sort=False):
        source = sources.get(document)
        if source is None:
            continue
        rows = group.to_numpy()
        cells, figures = rows[blank[rows]], rows[~blank[rows]]
        if len(figures):  # every figure of the document at once
            quote_start, _, figure_start, figure_end = source.locate_figures(observations["quote"].to_numpy()[figures], values.to_numpy()[figures],
                                                                             line[figures], window)
            quote_found[figures], starts[figures], ends[figures] = quote_start >= 0, figure_start, figure_end
        for row in cells:  # a blank cell, found in its row under its column header
            pattern = _scan_pattern(units) if pattern is None else pattern
            quote_span, figure_span = source.blank_cell(observations["quote"].iat[row], str(headers.iat[row]), int(line[row]), window, pattern)
            quote_found[row] = quote_span is not None
            starts[row], ends[row] = (figure_span.start, figure_span.end) if figure_span else (-1, -1)
        found = rows[starts[rows] >= 0]
        lines[found] = source.lines_of(starts[found])
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # one tuple per distinct span, shared by the rows that have it (a few hundred)
    in_quote = [span if span is None else spans.setdefault(span, span)
                for span in map(_offset_in_quote, observations["quote"].tolist(), observations["value_printed"].tolist())]
    return pd.DataFrame({"id": observations["id"].to_numpy(), "quote_found": quote_found, "figure_found": starts >= 0, "figure_start": starts,
                         "figure_end": ends, "figure_line": lines, "figure_in_quote": in_quote},
                        columns=["id", "quote_found", "figure_found", "figure_start", "figure_end", "figure_line", "figure_in_quote"])


def by_id(rows: pd.DataFrame, other: pd.DataFrame, column: str, in_order: bool | None = None) -> np.ndarray:
    """`column` of `other` for each row of `rows`, joined by id (one to one). When both frames hold
    the same ids in the same order (the parsed and the located frames of a run do), that is seen by
    comparing them (or told: `in_order`) and no join is made."""
    if in_order if in_order is not None else same_ids(rows, other):
        return other[column].to_numpy()
    return rows[["id"]].merge(other[["id", column]], on="id", how="left", validate="one_to_one")[column].to_numpy()


def same_ids(rows: pd.DataFrame, other: pd.DataFrame) -> bool:
    """Both frames hold the same ids in the same order."""
    ids = rows["id"].to_numpy()
    return len(ids) == len(other) and bool((ids == other["id"].to_numpy()).all())


@per_run
def _located_in_order(ctx: Context) -> bool:
    return same_ids(ctx.obs, ctx.located)


def located(ctx: Context, column: str) -> np.ndarray:
    """`column` of the located frame for each parsed observation (by_id; the ids compared once a run)."""
    return by_id(ctx.obs, ctx.located, column, _located_in_order(ctx))


def _scan_pattern(units: pd.DataFrame | None) -> str:
    from checks.scanner import scan_pattern  # the scanner locates observations too
    from checks.sources import unit_pattern
    return scan_pattern(units) if units is not None else unit_pattern([])


def _offset_in_quote(quote: str, value: str) -> tuple[int, int] | None:
    """(start, end) of the figure in the quote as written, for the report's highlight."""
    position = str(quote).rfind(str(value))
    return (position, position + len(str(value))) if position >= 0 and value else None
