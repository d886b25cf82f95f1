"""Source documents as text: locating quotes, and finding every printed number.

Extracted text breaks lines and pages inside words ("水\n\n土保持率"), so quotes are matched
with all white space removed on both sides; positions are mapped back to the raw text so a
finding can point at the line.

A markdown source (`.md`) is text with markup: its front matter is metadata (`metadata`), and
headings (`#`), `**bold**`, table pipes and separator rows, list markers, images and HTML comments
are markup, not content. They are blanked in `text` (same length as `raw`, so offsets and lines
stay those of the file); quotes, scanning and the source-text rules read `text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from checks.figures import Scan

_WHITE_SPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)  # U+3000 is the last
# One-to-one folding (offsets are kept): full-width digits, point and percent to ASCII.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％～", "0123456789.%~")
_FULL_WIDTH_CHARS = re.compile("[０-９．％～]")


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the raw text, end exclusive
    end: int


@dataclass(frozen=True)
class NumberToken:
    """A number printed in a source with a unit, a % or a magnitude word, or in a table cell."""

    line: int
    span: Span
    printed: str  # the digits as printed ("1.9", "3~5")
    text: str  # the token with its unit as printed ("1.9万余个")
    section: str = "text"  # "table" for a table cell
    label: str = ""  # table cell: the row's label as printed
    header: str = ""  # table cell: the column header as printed
    period: str = ""  # table cell: the column's year (header or table title)
    period_note: str = ""  # table cell: the column header's footnote (`*为2021年`)
    unit: str = ""  # the unit that applies as printed (cell, row label, header, 单位 line)
    quote_start: int = -1  # table cell: where its row starts (raw offset)
    kind: str = "figure"  # table cell: "word" (不明显, 按省下达目标, —) or "blank" (left empty): no number
    table: str = ""  # table cell: the table's title as printed (`表1 2023年年末人口数及其构成`), when one stands above
    row_label: str = ""  # table cell: the row's own label cell (`label` joins every label cell of the row)
    row_group: str = ""  # table cell on a sub-row: its group's label (`绿色产品市场占有率（%）`)


class SourceText:
    """One source, held once: the raw text, the text without white space (where quotes are
    matched) and, as one integer array, where each of its characters stands in the raw text."""

    def __init__(self, name: str, raw: str, sha256: str = ""):
        self.name = name
        self.raw = raw
        self.sha256 = sha256
        self.markdown = str(name).lower().endswith((".md", ".markdown"))
        self.metadata: dict[str, str] = {}
        self._blanks: dict[str, dict[int, list[NumberToken]]] = {}  # per unit pattern: line → blank table cells
        # `text`: all markup blanked (quotes, lines); `_structure`: pipes and list markers kept, so
        # the scanner still sees the table layout. Both have the length of `raw`.
        self.text = self._blank_markup(raw, MARKUP) if self.markdown else raw
        self._structure = self._blank_markup(raw, MARKUP[:STRUCTURE]) if self.markdown else raw
        # Arrays of where lines start and where white space stands (a few in a hundred characters),
        # not Python objects nor an offset per character: a source stays within about twice its
        # size in memory.
        codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        self._line_starts = np.concatenate(([0], np.flatnonzero(codes == ord("\n")) + 1))
        self.compact = "".join(self.text.split())  # white space (str.isspace) removed
        white = np.flatnonzero(np.isin(codes, _WHITE_SPACE))
        del codes
        self._white = white  # raw offsets of the white space
        self._kept_before_white = white - np.arange(len(white))  # characters kept (in compact) before each

    def _raw(self, compact: np.ndarray) -> np.ndarray:
        """Raw offsets of compact indexes: the index plus the white space before its character."""
        return compact + np.searchsorted(self._kept_before_white, compact, side="right")

    def _compact(self, raw: np.ndarray) -> np.ndarray:
        """Compact index of the first character kept at or after each raw offset."""
        return raw - np.searchsorted(self._white, raw)

    @property
    def lines(self) -> list[str]:
        """The content lines (markup blanked in a markdown source)."""
        return self.text.split("\n")

    @property
    def line_count(self) -> int:
        """len(lines), without splitting."""
        return len(self._line_starts)

    def _blank_markup(self, raw: str, patterns: list[re.Pattern]) -> str:
        """`raw` with front matter and markup replaced by spaces (line breaks kept): same length."""
        text = raw
        front = re.match(r"\A---[ \t]*\n(?P<body>.*?)\n-{3,}[ \t]*(?:\n|\Z)", raw, re.S)
        if front:
            for line in front["body"].split("\n"):
                key, colon, value = line.partition(":")
                if colon and key.strip():
                    self.metadata[key.strip()] = value.strip().strip("'\"")
            text = _blank(front.group()) + text[front.end():]
        for pattern in patterns:
            group = "markup" if "markup" in pattern.groupindex else 0

            def replace(match: re.Match, group=group) -> str:
                whole = match.group()
                start, end = match.start(group) - match.start(), match.end(group) - match.start()
                return whole[:start] + _blank(whole[start:end]) + whole[end:]
            text = pattern.sub(replace, text)
        return text

    def line_of(self, offset: int) -> int:
        """1-based line number of a raw offset."""
        return int(np.searchsorted(self._line_starts, offset, side="right"))

    def _compact_offsets(self, lines: np.ndarray) -> np.ndarray:
        """Index in the compact text where each 1-based line starts (or the end)."""
        inside = (lines >= 1) & (lines <= len(self._line_starts))
        raw = np.where(inside, self._line_starts[np.clip(lines - 1, 0, len(self._line_starts) - 1)], len(self.raw))
        return self._compact(raw)

    def locate_figure(self, quote: str, value: str, line: int, window: int) -> tuple[Span | None, Span | None]:
        """Where a quote stands near `line`, and where its figure (the last occurrence of `value`
        inside it) stands. Either is None when it cannot be found (`locate_figures` for one)."""
        quote_start, quote_end, figure_start, figure_end = self.locate_figures([quote], [value], np.array([line]), window)
        quote_span = Span(int(quote_start[0]), int(quote_end[0])) if quote_start[0] >= 0 else None
        figure_span = Span(int(figure_start[0]), int(figure_end[0])) if figure_start[0] >= 0 else None
        return quote_span, figure_span

    def locate_figures(self, quotes, values, lines: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each (quote, value, line): the raw start and end of the quote nearest `line` (within
        `window` lines, the first of equally near ones) and of its figure (the last occurrence of
        the value inside it), -1 when not found. Only the stretch of text that can hold a match
        within `window` lines is searched; the offsets and lines of every match are computed
        together, not one by one."""
        lines = np.asarray(lines, dtype=np.int64)
        compact_quotes = ["".join(str(quote).split()) for quote in quotes]
        if self.markdown:  # a quote may copy the markup (table pipes, bold marks) or leave it out
            compact_quotes = [quote.replace("|", "").replace("**", "") for quote in compact_quotes]
        compact_values = ["".join(str(value).split()) for value in values]
        sizes = np.array([len(quote) for quote in compact_quotes], dtype=np.int64)
        lows = np.maximum(0, self._compact_offsets(np.maximum(1, lines - window)) - sizes)
        highs = np.minimum(len(self.compact), self._compact_offsets(lines + window + 1) + sizes)
        rows, starts = [], []  # every match of a quote in its stretch
        find = self.compact.find
        for index, (quote, low, high) in enumerate(zip(compact_quotes, lows.tolist(), highs.tolist(), strict=True)):
            if not quote:
                continue
            at = find(quote, low, high)
            while at >= 0:
                rows.append(index)
                starts.append(at)
                at = find(quote, at + len(quote), high)
        count = len(lines)
        found = [np.full(count, -1, dtype=np.int64) for _ in range(4)]
        if not rows:
            return found[0], found[1], found[2], found[3]
        row = np.array(rows, dtype=np.int64)
        start = np.array(starts, dtype=np.int64)
        positions = np.array([quote.rfind(value) if value else -1 for quote, value in zip(compact_quotes, compact_values, strict=True)],
                             dtype=np.int64)[row]
        value_sizes = np.array([len(value) for value in compact_values], dtype=np.int64)[row]
        quote_start, quote_end = self._raw(start), self._raw(start + sizes[row] - 1) + 1
        has_figure = positions >= 0
        figure_start = np.where(has_figure, self._raw(start + np.maximum(positions, 0)), -1)
        figure_end = np.where(has_figure, self._raw(start + np.maximum(positions, 0) + np.maximum(value_sizes, 1) - 1) + 1, -1)
        anchor = np.where(has_figure, figure_start, quote_start)
        distance = np.abs(np.searchsorted(self._line_starts, anchor, side="right") - lines[row])
        near = np.flatnonzero(distance <= window)
        best = near[np.lexsort((near, distance[near], row[near]))]  # per row: nearest, then first
        best = best[np.r_[True, row[best][1:] != row[best][:-1]]] if len(best) else best
        for column, values_found in zip(found, (quote_start, quote_end, figure_start, figure_end), strict=True):
            column[row[best]] = values_found[best]
        return found[0], found[1], found[2], found[3]

    def lines_of(self, offsets: np.ndarray) -> np.ndarray:
        """1-based line numbers of raw offsets."""
        return np.searchsorted(self._line_starts, offsets, side="right")

    @cached_property
    def _digits_folded(self) -> str:
        # only the full-width characters found are translated: str.translate reads a dict per
        # character of a CJK text (0.18 s of the 100k benchmark's 2.8 M characters; this 0.01 s)
        return _FULL_WIDTH_CHARS.sub(lambda match: match.group().translate(_FULL_WIDTH), self._structure)

    @property
    def line_starts(self) -> list[int]:
        return [int(start) for start in self._line_starts]

    def scan_numbers(self, unit_pattern: str, units=None) -> list[NumberToken]:
        """Every number a steward must account for: prose numbers followed by a unit, %, a magnitude
        word or a counter, and every figure cell of a table in any layout (checks/figures.py)."""
        return self.scan_figures(unit_pattern, units).tokens()

    def scan_figures(self, unit_pattern: str, units=None, described: bool = True) -> Scan:
        """The numbers of `scan_numbers` as the scanner's arrays of spans (checks.figures.Scan): a
        token is made only for the numbers asked for. Not `described`: a table cell's token says
        where it stands and what it prints, not its label, header, period nor unit (coverage)."""
        from checks.figures import FigureScanner
        return FigureScanner(self._digits_folded, self._line_starts, unit_pattern, units).read(figures_only=True, described=described)

    def scan_values(self, unit_pattern: str, units=None) -> list[NumberToken]:
        """The numbers of `scan_numbers`, and the cells of a table that hold a value but no number:
        words (不明显, 按省下达目标, —) and blanks (kind "word" / "blank")."""
        from checks.figures import FigureScanner
        return FigureScanner(self._digits_folded, self._line_starts, unit_pattern, units).scan()

    def blank_cell(self, quote: str, column_header: str, line: int, window: int, unit_pattern: str) -> tuple[Span | None, Span | None]:
        """Where a quote stands near `line`, and where the table cell the source leaves blank stands
        in the quote's row, under the column printed `column_header` (white space and markup
        ignored). Either is None when it cannot be found: a blank is proven only at its row and
        column, never by an empty value found anywhere."""
        quote_span, _ = self.locate_figure(quote, "", line, window)
        if quote_span is None:
            return None, None
        row = self.line_of(quote_span.start)
        if self.line_of(quote_span.end - 1) != row:
            return quote_span, None  # a quote of a table cell stands on its row
        if unit_pattern not in self._blanks:
            self._blanks[unit_pattern] = {}
            for token in self.scan_values(unit_pattern):
                if token.kind == "blank":
                    self._blanks[unit_pattern].setdefault(token.line, []).append(token)
        wanted = _compact_header(column_header)
        cell = next((t for t in self._blanks[unit_pattern].get(row, []) if wanted and _compact_header(t.header) == wanted), None)
        return quote_span, cell.span if cell else None


def _compact_header(text: str) -> str:
    return "".join(str(text).replace("|", "").replace("**", "").split()).translate(_FULL_WIDTH)


# Markdown markup (blanked, offsets kept): images, HTML comments and tags, heading marks, bold
# marks, list and quote markers, table pipes and separator rows.
MARKUP = [
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"</?(?:details|summary|br|div|span|p|sup|sub|center)\b[^>\n]*>", re.I),
    re.compile(r"^(?P<markup>#{1,6})[ \t]", re.M),
    re.compile(r"\*\*|__"),
    # from here on: structure the scanner reads
    re.compile(r"^[ \t]*(?P<markup>[-*+>])[ \t]", re.M),
    re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*(?::?-*:?)?[ \t]*\|?[ \t]*$", re.M),
    re.compile(r"\|"),
]

STRUCTURE = 5  # MARKUP[:STRUCTURE] is blanked for the scanner too


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def unit_pattern(aliases: list[str]) -> str:
    """A regex alternation of printed units, longest first, plus % and percentage points. The same
    units give the same text in every process (ties in length in code point order, not in the
    order of a set), as the scans kept between runs are keyed by it (checks/scan_cache.py)."""
    forms = set(aliases) | {"%", "个百分点", "百分点"}
    return "|".join(re.escape(a) for a in sorted(forms, key=lambda form: (-len(form), form)) if a)
