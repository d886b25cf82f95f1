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

import numpy as np

_WHITE_SPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)  # U+3000 is the last
# One-to-one folding (offsets are kept): full-width digits, point and percent to ASCII.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％～", "0123456789.%~")


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
        # Arrays of 4 bytes a character, not Python objects: a 20 MB source stays within a few
        # times its size in memory.
        codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
        self._line_starts = np.concatenate(([0], np.flatnonzero(codes == ord("\n")) + 1))
        self.compact = "".join(self.text.split())  # white space (str.isspace) removed
        self._raw_offset = np.flatnonzero(~np.isin(codes, _WHITE_SPACE)).astype(np.int64 if len(raw) >= 2**31 else np.int32)  # compact index → raw index

    @property
    def lines(self) -> list[str]:
        """The content lines (markup blanked in a markdown source)."""
        return self.text.split("\n")

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

    def _raw_span(self, compact_start: int, compact_len: int) -> Span:
        start = int(self._raw_offset[compact_start])
        end = int(self._raw_offset[compact_start + compact_len - 1]) + 1
        return Span(start, end)

    def _compact_offset(self, line: int) -> int:
        """Index in the compact text where a 1-based line starts (or the end)."""
        raw = self._line_starts[line - 1] if 1 <= line <= len(self._line_starts) else len(self.raw)
        return int(np.searchsorted(self._raw_offset, raw))

    def locate_figure(self, quote: str, value: str, line: int, window: int) -> tuple[Span | None, Span | None]:
        """Where a quote stands near `line`, and where its figure (the last occurrence of `value`
        inside it) stands. Either is None when it cannot be found. Only the stretch of text that
        can hold a match within `window` lines is searched."""
        compact_quote = "".join(str(quote).split())
        if self.markdown:  # a quote may copy the markup (table pipes, bold marks) or leave it out
            compact_quote = compact_quote.replace("|", "").replace("**", "")
        compact_value = "".join(str(value).split())
        if not compact_quote:
            return None, None
        size = len(compact_quote)
        low = max(0, self._compact_offset(max(1, line - window)) - size)
        high = min(len(self.compact), self._compact_offset(line + window + 1) + size)
        position = compact_quote.rfind(compact_value) if compact_value else -1
        best: tuple[int, Span, Span | None] | None = None
        start = self.compact.find(compact_quote, low, high)
        while start >= 0:
            quote_span = self._raw_span(start, size)
            figure_span = self._raw_span(start + position, len(compact_value)) if position >= 0 else None
            anchor = figure_span.start if figure_span else quote_span.start
            distance = abs(self.line_of(anchor) - line)
            if distance <= window and (best is None or distance < best[0]):
                best = (distance, quote_span, figure_span)
            start = self.compact.find(compact_quote, start + size, high)
        if best is None:
            return None, None
        return best[1], best[2]

    @cached_property
    def _digits_folded(self) -> str:
        return self._structure.translate(_FULL_WIDTH)

    @property
    def line_starts(self) -> list[int]:
        return [int(start) for start in self._line_starts]

    def scan_numbers(self, unit_pattern: str, units=None) -> list[NumberToken]:
        """Every number a steward must account for: prose numbers followed by a unit, %, a magnitude
        word or a counter, and every figure cell of a table in any layout (checks/figures.py)."""
        return [token for token in self.scan_values(unit_pattern, units) if token.kind == "figure"]

    def scan_values(self, unit_pattern: str, units=None) -> list[NumberToken]:
        """The numbers of `scan_numbers`, and the cells of a table that hold a value but no number:
        words (不明显, 按省下达目标, —) and blanks (kind "word" / "blank")."""
        from checks.figures import FigureScanner
        return FigureScanner(self._digits_folded, self.line_starts, unit_pattern, units).scan()

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
    """A regex alternation of printed units, longest first, plus % and percentage points."""
    forms = set(aliases) | {"%", "个百分点", "百分点"}
    return "|".join(re.escape(a) for a in sorted(forms, key=len, reverse=True) if a)
