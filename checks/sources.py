"""Source documents as text: locating quotes, and finding every printed number.

Extracted text breaks lines and pages inside words ("水\n\n土保持率"), so quotes are matched
with all white space removed on both sides; positions are mapped back to the raw text so a
finding can point at the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from checks.grammar import FOOTNOTE_MARKS, parse

# One-to-one folding (offsets are kept): full-width digits, point and percent to ASCII.
_WHITE_SPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)  # U+3000 is the last
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


class SourceText:
    """One source, held once: the raw text, the text without white space (where quotes are
    matched) and, as one integer array, where each of its characters stands in the raw text."""

    def __init__(self, name: str, raw: str, sha256: str = ""):
        self.name = name
        self.raw = raw
        self.sha256 = sha256
        # Arrays of 4 bytes a character, not Python objects: a 20 MB source stays within a few
        # times its size in memory.
        codes = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
        self._line_starts = np.concatenate(([0], np.flatnonzero(codes == ord("\n")) + 1))
        self.compact = "".join(raw.split())  # white space (str.isspace) removed
        self._raw_offset = np.flatnonzero(~np.isin(codes, _WHITE_SPACE)).astype(np.int64 if len(raw) >= 2**31 else np.int32)  # compact index → raw index

    @property
    def lines(self) -> list[str]:
        return self.raw.split("\n")

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
        return self.raw.translate(_FULL_WIDTH)

    def scan_numbers(self, unit_pattern: str) -> list[NumberToken]:
        """Every number a steward must account for: prose numbers followed by a unit, % or a
        magnitude word, and every numeric cell of a table row (but the first, its numbering)."""
        tokens: list[NumberToken] = []
        prose = re.compile(
            r"(?<![A-Za-z0-9_.{])(?P<num>\d+(?:\.\d+)?(?:\s*[~\-—至]\s*\d+(?:\.\d+)?)?)"
            rf"\s*[多余]?\s*(?:(?:万|亿)\s*[多余]?\s*(?:{unit_pattern})?|(?:{unit_pattern}))"
        )
        text = self._digits_folded
        for number, line in enumerate(text.split("\n"), start=1):
            base = int(self._line_starts[number - 1])
            cells = line.split("\t")
            if sum(1 for c in cells if c.strip()) >= 3:
                tokens.extend(self._table_tokens(number, base, cells, unit_pattern))
                continue
            for match in prose.finditer(line):
                span = Span(base + match.start(), base + match.end())
                tokens.append(NumberToken(number, span, match["num"], self.raw[span.start:span.end]))
        return tokens

    def _table_tokens(self, line: int, base: int, cells: list[str], unit_pattern: str) -> list[NumberToken]:
        tokens = []
        offset = base
        for index, cell in enumerate(cells):
            if index > 0 and cell.strip():
                reading = parse(cell.strip().rstrip(FOOTNOTE_MARKS))
                digits = re.search(r"\d+(?:\.\d+)?(?:\s*[~\-—至]\s*\d+(?:\.\d+)?)?", cell)
                unit_ok = not reading.cell_unit or re.fullmatch(rf"[万亿]?(?:{unit_pattern})", reading.cell_unit)
                if digits and reading.is_numeric and unit_ok:
                    span = Span(offset, offset + len(cell))
                    tokens.append(NumberToken(line, span, digits.group(), self.raw[span.start:span.end].strip()))
            offset += len(cell) + 1
        return tokens


def unit_pattern(aliases: list[str]) -> str:
    """A regex alternation of printed units, longest first, plus % and percentage points."""
    forms = set(aliases) | {"%", "个百分点", "百分点"}
    return "|".join(re.escape(a) for a in sorted(forms, key=len, reverse=True) if a)
