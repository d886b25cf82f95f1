"""Where each observation's quote and figure stand in its source."""

from __future__ import annotations

import pandas as pd

from checks.sources import SourceText


def locate(observations: pd.DataFrame, sources: dict[str, SourceText], window: int, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per observation: quote_found, figure_found, figure_start/end (raw offsets), figure_line (all -1
    for a figure not found), and the figure's offset inside the quote as printed (for highlighting).
    An empty `value_printed` is a table cell the source leaves blank: its "figure" is that blank
    cell, found in the quote's row under its `column_header` (read as the scanner reads tables,
    with `units`)."""
    ids, quote_found, figure_found, starts, ends, lines, in_quote = [], [], [], [], [], [], []
    headers = observations["column_header"] if "column_header" in observations else pd.Series("", index=observations.index)
    pattern = None
    for obs, header in zip(observations[["id", "document", "quote", "value_printed", "line"]].itertuples(index=False), headers, strict=True):
        source = sources.get(obs.document)
        quote_span = figure_span = None
        if source is not None and not str(obs.value_printed).strip():
            pattern = _scan_pattern(units) if pattern is None else pattern
            quote_span, figure_span = source.blank_cell(obs.quote, str(header), int(obs.line), window, pattern)
        elif source is not None:
            quote_span, figure_span = source.locate_figure(obs.quote, obs.value_printed, int(obs.line), window)
        ids.append(obs.id)
        quote_found.append(quote_span is not None)
        figure_found.append(figure_span is not None)
        starts.append(figure_span.start if figure_span else -1)
        ends.append(figure_span.end if figure_span else -1)
        lines.append(source.line_of(figure_span.start) if figure_span and source is not None else -1)
        in_quote.append(_offset_in_quote(obs.quote, obs.value_printed))
    return pd.DataFrame({"id": ids, "quote_found": quote_found, "figure_found": figure_found, "figure_start": starts,
                         "figure_end": ends, "figure_line": lines, "figure_in_quote": in_quote},
                        columns=["id", "quote_found", "figure_found", "figure_start", "figure_end", "figure_line", "figure_in_quote"])


def _scan_pattern(units: pd.DataFrame | None) -> str:
    from checks.scanner import scan_pattern  # the scanner locates observations too
    from checks.sources import unit_pattern
    return scan_pattern(units) if units is not None else unit_pattern([])


def _offset_in_quote(quote: str, value: str) -> tuple[int, int] | None:
    """(start, end) of the figure in the quote as written, for the report's highlight."""
    position = str(quote).rfind(str(value))
    return (position, position + len(str(value))) if position >= 0 and value else None
