"""SourceText.locate_figures (every figure of a document at once, offsets and lines computed as
arrays) finds what the one-figure-at-a-time search found: the quote nearest its line within the
window (the first of equally near ones) and its figure's last occurrence inside it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.sources import SourceText


def _one_at_a_time(source: SourceText, quote: str, value: str, line: int, window: int):
    """The search as it was written for one figure, on the raw text (the reference)."""
    kept = [i for i, ch in enumerate(source.text) if not ch.isspace()]
    compact = "".join(source.text.split())
    line_starts = [0] + [i + 1 for i, ch in enumerate(source.text) if ch == "\n"]

    def line_of(offset):
        return int(np.searchsorted(line_starts, offset, side="right"))

    def compact_offset(n):
        raw = line_starts[n - 1] if 1 <= n <= len(line_starts) else len(source.raw)
        return int(np.searchsorted(kept, raw))

    compact_quote, compact_value = "".join(quote.split()), "".join(value.split())
    if source.markdown:
        compact_quote = compact_quote.replace("|", "").replace("**", "")
    if not compact_quote:
        return (-1, -1, -1, -1)
    size = len(compact_quote)
    low = max(0, compact_offset(max(1, line - window)) - size)
    high = min(len(compact), compact_offset(line + window + 1) + size)
    position = compact_quote.rfind(compact_value) if compact_value else -1
    best = None
    start = compact.find(compact_quote, low, high)
    while start >= 0:
        quote_span = (kept[start], kept[start + size - 1] + 1)
        figure = (kept[start + position], kept[start + position + len(compact_value) - 1] + 1) if position >= 0 else (-1, -1)
        distance = abs(line_of(figure[0] if position >= 0 else quote_span[0]) - line)
        if distance <= window and (best is None or distance < best[0]):
            best = (distance, quote_span, figure)
        start = compact.find(compact_quote, start + size, high)
    return (-1, -1, -1, -1) if best is None else (*best[1], *best[2])


text = st.lists(st.sampled_from(["增长", "5", "%", "，", "\n", " ", "\u3000", "年", "|", "**"]), min_size=1, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(raw=text, markdown=st.booleans(), window=st.integers(0, 3), rows=st.lists(
    st.tuples(st.integers(0, 59), st.integers(1, 8), st.integers(0, 4), st.integers(-1, 12)), min_size=1, max_size=6))
def test_all_figures_at_once_are_found_as_one_at_a_time(raw, markdown, window, rows):
    source = SourceText("s.md" if markdown else "s.txt", raw)
    quotes, values, lines = [], [], []
    for start, length, value_length, line in rows:  # quotes cut from the text (white space kept), so most are found
        quote = raw[start:start + length] or "增长"
        quotes.append(quote)
        values.append(quote[-value_length:] if value_length else "")
        lines.append(line)
    found = source.locate_figures(quotes, values, np.array(lines), window)
    for i, (quote, value, line) in enumerate(zip(quotes, values, lines, strict=True)):
        assert tuple(int(column[i]) for column in found) == _one_at_a_time(source, quote, value, line, window), (quote, value, line)


def test_the_nearest_of_several_copies_wins_and_the_first_of_equally_near():
    source = SourceText("s.txt", "增长5%\n其他\n增长5%\n其他\n增长5%\n")
    quote_start, _, figure_start, _ = source.locate_figures(["增长5%", "增长5%", "增长5%"], ["5%", "5%", "5%"], np.array([3, 2, 9]), 1)
    assert source.lines_of(quote_start[:2]).tolist() == [3, 1]  # on line 3; from line 2, lines 1 and 3 are as near: the first
    assert quote_start[2] == -1 and figure_start[2] == -1  # none within a line of line 9
