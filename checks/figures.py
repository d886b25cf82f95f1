"""Every printed figure of a source text, in prose and in every table layout extracted text shows.

Layouts read (each seen in real extracted documents):
- tab-separated rows (`序号\t类别\t指标\t2020年\t2025年`), the shipped plan's 附表;
- markdown pipes (`| 全国人口 | 141175 | 100.0 |`), the statistical communiqués in lawtext/gov;
- space-aligned columns and markdown list rows (`- 纱 万吨 2717.0 13.5`), the 2010 communiqué;
- one cell per line under a header block (`指标` / `2015年` / `2020年` / `属性`, then one cell a line),
  forum reposts of plan tables;
- prose: a number followed by a listed unit, %, ‰, a magnitude word (万, 亿, 万亿) or a counter (个,
  项, 人次, ...), also when extraction broke the line between the number and its unit.

A table cell carries its row label, its column header as printed, the column's period and
footnote (`2020年(*为2021年)`), and the unit that applies (in the cell, the row label, the column
header, a `单位` column or a `单位：%` line above the table). Nothing here decides what a figure
means: that is the steward's (see checks/draft.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from checks.grammar import FOOTNOTE_MARKS, OCR_DECIMAL, parse
from checks.sources import NumberToken, Span  # (sources reads this module only inside its functions)

NUMBER = r"\d+(?:\.\d+)?"
# A range inside a token: "3~5", "5%—6%", "5-6".
RANGE_TAIL = r"(?:%?\s*(?:~|〜|-|–|—{1,2}|至)\s*\d+(?:\.\d+)?)?"
MAGNITUDE = r"(?:万亿|亿|万)"
# Counters (classifiers) that make a bare number a printed figure even when units.csv lacks them.
COUNTERS = ("人次", "万人次", "架", "颗", "列", "篇", "门", "本", "幅", "届", "份", "笔", "枚", "对", "组", "张",
            "间", "片", "段", "层", "班", "支", "户次", "倍", "‰", "岁",
            # seen missed in real documents: 5283集 (episodes), 8.09册 (volumes), 一箭22星 (satellites),
            # 81位 (academicians; 提升5位, ranks moved up), 10.51℃
            "集", "册", "星", "位", "℃", "剂次")
# Counters that follow the number itself, never a magnitude (2100多万市民 is no count of cities):
# 10大类 / 5大优势产业 (N major kinds), 6市 / 14地 (cities, places) — seen missed in a 2024 provincial report.
BARE_COUNTERS = ("大类", "大", "市", "地")
WHITE_SPACE = re.compile(r"\s+")
PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
DIGIT, DIGITS, NUMBERING = re.compile(r"\d"), re.compile(r"\d+"), re.compile(r"\d+\.?")
LIST_ITEM = re.compile(r"\s*[一二三四五六七八九十]+、")  # 七、筹集…: the heading of a list item
# A number in a list of ordinals (第1、3位: the third place), not only the first after 第.
ORDINAL_LIST = re.compile(r"第\d+(?:、\d+)*、$")
YEAR = re.compile(r"[12]\d{3}")
YEAR_CELL = re.compile(r"[12]\d{3}\s*年.*")
YEAR_HEADER = re.compile(r"(?P<year>[12]\d{3})\s*年?(?:\s*[\(（](?P<note>[^)）]*)[\)）])?")
UNIT_IN_BRACKETS = re.compile(r"[\(（](?P<unit>[^()（）]{1,12})[\)）]\s*$")
UNIT_LINE = re.compile(r"^\s*(?:[-*]\s*)?(?:计量)?单位\s*[:：]\s*(?P<unit>\S+)\s*$")
# "表1 2022年…", "表102022年…" (no space between the table's number and the year), "表3：…"
TABLE_TITLE_YEAR = re.compile(r"表\s*(?:\d{1,3}?|[一二三四五六七八九十]+)\s*[:：]?\s*(?P<year>[12]\d{3})\s*年")
TABLE_TITLE = re.compile(r"(?:附表|表\s*(?:\d{1,3}|[一二三四五六七八九十]+))\s*[:：]?")  # 附表：美丽赣州建设指标体系
HEADER_WORDS = ("指标", "序号", "类别", "项目", "属性", "单位", "名称", "类型", "目标", "基期", "年均", "累计", "地区", "备注", "领域")
CLAUSE_END = "，。；;！？!?：:、"
QUANTITY_COLUMNS = ("数量", "金额", "绝对数", "年末数", "总量", "比重", "增长")
NO_VALUE_MARKS = ("—", "——", "-", "…", "/")  # a cell that prints no figure: never part of a row's label
LABEL_COLUMNS = ("指标", "项目", "名称", "类别", "序号", "单位", "属性", "备注", "领域", "地区")
# A ratio or index printed without a unit: a decimal right after a verb that states a value (为, 是,
# 达到, 缩小, 扩大, 提高, 下降, ...) and right before the clause ends (2022 communiqué: 城乡居民人均可支配
# 收入比值为2.45，比上年缩小0.05。). An integer there is too often a count of list items to be read.
# (The verb is matched, not read behind: the engine then skips to those few characters by itself; a
# match ends in a digit, so no verb is ever inside the match before. The figure is group `num`. Its
# digit runs possessive: giving a digit back leaves a digit where a point or the clause's end must stand.)
BARE_DECIMAL = re.compile(r"[为是达到至小大高降升加少低](?P<num>\d++\.\d++)(?=[，,。；;、）)]|$)")
# What may not stand before a prose number (nor before its sign): a letter, digit, _, point, { or 第.
NOT_BEFORE = "A-Za-z0-9_.{第"
_NOT_BEFORE = re.compile(f"[{NOT_BEFORE}]")


# What makes a line one the tables read (_lines_read): a MARK in it (tab, pipe, 表,
# 单位 or two spaces), or one of _LEADING first (white space, a list marker, a header word's first
# character). (Tables of every code point, read by indexing: np.isin sorts.)
MARK, TAB_OR_PIPE, OTHER_DIGIT = 1, 2, 4  # OTHER_DIGIT: a decimal digit (\d) other than 0-9


@lru_cache(maxsize=1)
def _character_classes() -> np.ndarray:
    """Per code point, the bits above (made on first use: finding the digits reads every code point)."""
    classes = np.zeros(0x110000, dtype=np.uint8)
    classes[[ord(c) for c in "\t|表单 "]] |= MARK
    classes[[ord(c) for c in "\t|"]] |= TAB_OR_PIPE
    points = np.arange(0x110000, dtype=np.uint32)
    points[0xD800:0xE000] = 0  # (surrogates: no character of their own)
    decimal = np.char.isdecimal(points.view("<U1"))  # what re's \d reads (str.isdecimal, for every code point at once)
    decimal[:0x80] = False  # 0-9 are no other digit
    classes[decimal] |= OTHER_DIGIT
    return classes


_LEADING = np.zeros(0x110000, dtype=bool)
_LEADING[sorted({c for c in range(0x3001) if chr(c).isspace()} | {ord(c) for c in "-*+"} | {ord(word[0]) for word in HEADER_WORDS})] = True


class Cell(NamedTuple):
    """One cell of a table row: its text and raw offsets. (A named tuple: rows make many.)"""

    text: str
    start: int
    end: int


@dataclass
class TableContext:
    """What a table row inherits from above it: the header row, the 单位 line, the title (as printed,
    markup left out) and its year."""

    header: list[Cell] = field(default_factory=list)
    unit: str = ""
    year: str = ""
    title: str = ""
    group: str = ""  # the group label sub-rows inherit (a blank label in a merged cell: same as above)


def known_unit(text: str, units) -> bool:
    return bool(text) and units is not None and units.resolve(text) is not None


def fold_cell(text: str) -> str:
    """A cell as the grammar reads it: 。 between digits is a decimal point (OCR)."""
    return OCR_DECIMAL.sub(".", text.strip())


def value_cell(text: str, unit_pattern: str) -> tuple[str, str] | None:
    """(digits, unit in the cell) of a cell that prints a figure, else None."""
    if PLAIN_NUMBER.fullmatch(text):  # a plain number is its own reading (nothing to fold): not cached,
        return text, ""               # as numbers seldom repeat and would push the labels out of the cache
    return _value_cell(text, unit_pattern)


@lru_cache(maxsize=1 << 16)
def _value_cell(text: str, unit_pattern: str) -> tuple[str, str] | None:
    """value_cell of any other cell, read once per distinct cell text (a pure function of its
    arguments: tables repeat their labels and marked cells across documents)."""
    folded = fold_cell(text)
    if PLAIN_NUMBER.fullmatch(folded):  # (what the grammar reads in a plain number: a point, no unit)
        return folded, ""
    reading = parse(folded.rstrip(FOOTNOTE_MARKS), period_note="")
    if not reading.is_numeric or reading.notation in ("chinese", "digits"):
        return None
    digits = re.search(rf"{NUMBER}(?:\s*(?:~|〜|-|–|—{{1,2}}|至)\s*{NUMBER})?", folded)
    if digits is None:
        return None
    unit = reading.cell_unit
    if unit and not re.fullmatch(rf"{MAGNITUDE}?(?:{unit_pattern})", unit):
        return None
    return digits.group(), unit


@lru_cache(maxsize=1 << 12)
def header_period(text: str) -> tuple[str, str]:
    """(year, footnote) of a column header: `2020年(*为2021年)` → ("2020", "*为2021年")."""
    match = YEAR_HEADER.search(text or "")
    if not match:
        return "", ""
    return match["year"], (match["note"] or "").strip()


@lru_cache(maxsize=1 << 12)
def bracket_unit(text: str) -> str:
    match = UNIT_IN_BRACKETS.search(text or "")
    return match["unit"].strip() if match else ""


def is_header_row(cells: list[Cell], unit_pattern: str) -> bool:
    """A row that names columns: years or header words, and no figure but years."""
    texts = [c.text.strip() for c in cells if c.text.strip()]
    if len(texts) < 2:
        return False
    if not any(_names_column(t) for t in texts):  # (before reading any cell as a figure)
        return False
    return not any(value_cell(t, unit_pattern) and not YEAR.fullmatch(t) for t in texts)


def _names_column(text: str) -> bool:
    """A header cell: a year or a header word. A plain number names a column only as a year (read
    without the cache, as value_cell reads it)."""
    if PLAIN_NUMBER.fullmatch(text):
        return YEAR.fullmatch(text) is not None
    return _names_column_cached(text)


@lru_cache(maxsize=1 << 12)
def _names_column_cached(text: str) -> bool:
    return bool(YEAR_HEADER.fullmatch(text.replace(" ", "")) or YEAR_CELL.fullmatch(text) or any(w in text for w in HEADER_WORDS))


def row_figures(line: int, cells: list[Cell], context: TableContext, unit_pattern: str, units, skip_first: bool,
                quote_start: int, described: bool = True):
    """The cells of one table row that hold a value, each with its label, header, period and unit:
    figures (kind "figure"), and in a column that holds values (its header prints a year or a
    unit) words (`不明显`, `按省下达目标`, `—`: kind "word") and cells left blank (kind "blank", in a
    row that prints some value: a row of blanks is a group's heading). Not `described`: the
    figures only, each with where it stands and what it prints (no label, header, period nor unit)."""
    if not described:
        return _row_figures_only(line, [cell.text for cell in cells], [cell.start for cell in cells], unit_pattern, skip_first, quote_start)
    header = list(context.header)
    while header and not header[-1].text.strip():
        header.pop()
    trimmed = list(cells)  # a trailing separator is no cell; a blank under a named column is
    while len(trimmed) > len(header) and trimmed and not trimmed[-1].text.strip():
        trimmed.pop()
    shift = len(header) - len(trimmed)  # rows are aligned on their right end (merged cells on the left)
    label_parts: list[str] = []
    own = -1  # index of the row's own label cell (the last label cell)
    row_unit_cell = ""
    tokens = []

    def no_number(cell: Cell, text: str, column: str, kind: str) -> tuple:
        year, note = header_period(column)
        return (Span(cell.start, cell.end), text, text, " ".join(label_parts), column, year or context.year, note, "", kind)

    for index, cell in enumerate(trimmed):
        text = cell.text.strip()
        found = value_cell(text, unit_pattern) if text and not (index == 0 and skip_first) else None
        column = header[index + shift].text.strip() if 0 <= index + shift < len(header) else ""
        if not text:
            if index and value_column(column):
                tokens.append(no_number(cell, "", column, "blank"))
            continue
        if index == 0 and skip_first:  # numbering or the label, never a figure
            if not NUMBERING.fullmatch(text):
                label_parts.append(text)
                own = index
            continue
        if found is None:
            if "单位" in column and not DIGIT.search(text):  # a unit column: the unit as printed
                row_unit_cell = "" if fold_cell(text) in ("—", "-", "/") else text
            elif value_column(column) and not DIGIT.search(text):  # a word where a value stands
                tokens.append(no_number(cell, text, column, "word"))
            elif not DIGITS.fullmatch(text) and fold_cell(text) not in NO_VALUE_MARKS:
                label_parts.append(text)
                own = index
            continue
        digits, cell_unit = found
        year, note = header_period(column)
        label = " ".join(label_parts)
        unit = cell_unit or next((u for u in (_header_unit(column), bracket_unit(label)) if known_unit(u, units)), "") \
            or row_unit_cell or next((u for u in (context.unit,) if known_unit(u, units)), "")
        tokens.append((Span(cell.start, cell.end), digits, text, label, column, year or context.year, note, unit, "figure"))
    if all(t[-1] == "blank" for t in tokens):
        return []
    # A row one cell wider than its header splits the label column: a group and the row's own label
    # (`绿色产品市场占有率（%）` then `节能家电市场占有率（%）`); a blank group is the one above, and a row
    # without its own number (its first cell blank) continues the group above; a numbered row ends it.
    first_value = min((i for i, c in enumerate(trimmed) if any(t[0].start == c.start for t in tokens)), default=-1)
    if shift < 0 and own > (1 if skip_first else 0) and own == first_value - 1:
        context.group = trimmed[own - 1].text.strip() or context.group
    elif not (skip_first and trimmed and not trimmed[0].text.strip()):
        context.group = ""
    row_label = trimmed[own].text.strip() if own >= 0 else ""
    return [NumberToken(line, span, printed, text, section="table", label=label, header=column, period=period, period_note=note,
                        unit=unit, quote_start=quote_start, kind=kind, table=context.title, row_label=row_label, row_group=context.group)
            for span, printed, text, label, column, period, note, unit, kind in tokens]


def _row_figures_only(line: int, texts: list[str], starts: list[int], unit_pattern: str, skip_first: bool, quote_start: int) -> list[list]:
    """row_figures, not described, of the cells printing `texts` from `starts`: the cells that print
    a figure (never the first when it numbers or labels the row), packed (table_figure). No
    header, label nor group is read: a row's words and blanks make no token here, so the row is
    read cell by cell and nothing else."""
    figures = []
    first = 1 if skip_first else 0
    for printed, start in zip(texts[first:], starts[first:], strict=False):
        text = printed.strip()
        found = value_cell(text, unit_pattern) if text else None
        if found is not None:
            figures.append(table_figure(line, start, start + len(printed), found[0], quote_start))  # (its text: the cell's, stripped)
    return figures


@lru_cache(maxsize=1 << 12)
def value_column(column: str) -> bool:
    """A column whose cells are values: its header prints a year, a unit or a quantity (数量, 金额,
    绝对数, ...), and names no label column (指标, 项目, 单位, 属性, ...)."""
    if not column or any(word in column for word in LABEL_COLUMNS):
        return False
    return bool(header_period(column)[0] or _header_unit(column) or any(word in column for word in QUANTITY_COLUMNS))


@lru_cache(maxsize=1 << 12)
def _header_unit(column: str) -> str:
    unit = bracket_unit(column)
    if unit:
        return unit
    match = re.search(r"(%|‰)\s*$", column)
    return match.group(1) if match else ""


def split_tabs(line: str, base: int) -> list[Cell]:
    parts = line.split("\t")
    return [Cell(part, start, start + len(part)) for part, start in zip(parts, _starts(parts, base), strict=False)]


def _tab_figures(line_number: int, line: str, base: int, unit_pattern: str) -> list[list] | None:
    """A tab row's figures as coverage reads them (_row_figures_only), None when the line is no tab
    row (tab_row): the line split and its cells stripped once, no cell made (66 k rows at 1 M)."""
    if line.count("\t") < 2:
        return None
    parts = line.split("\t")
    texts = [part.strip() for part in parts]
    if len(texts) - texts.count("") < 3:
        return None
    figures, start = [], base + len(parts[0]) + 1
    for part, text in zip(parts[1:], texts[1:], strict=True):  # (the first cell numbers or labels the row)
        found = value_cell(text, unit_pattern) if text else None
        if found is not None:
            figures.append(table_figure(line_number, start, start + len(part), found[0], base))
        start += len(part) + 1
    return figures


def _starts(parts: list[str], base: int) -> list[int]:
    """Where each part of a line split at one character starts, the line starting at `base` (and
    one more: where a part after the last would)."""
    return list(itertools.accumulate((len(part) + 1 for part in parts), initial=base))


def split_pipes(line: str, base: int) -> list[Cell]:
    cells = []
    start = line.index("|") + 1
    while True:
        end = line.find("|", start)
        if end < 0:
            if line[start:].strip():
                cells.append(Cell(line[start:], base + start, base + len(line)))
            break
        cells.append(Cell(line[start:end], base + start, base + end))
        start = end + 1
    return cells


def split_spaces(line: str, base: int, single: bool) -> list[Cell]:
    pattern = r"\S+" if single else r"\S+(?: \S+)*"
    return [Cell(m.group(), base + m.start(), base + m.end()) for m in re.finditer(pattern, line)]


def tab_row(line: str) -> bool:
    """A tab-separated row: three or more cells that are not blank."""
    return line.count("\t") >= 2 and sum(1 for c in line.split("\t") if c.strip()) >= 3


def is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def is_separator_row(line: str) -> bool:
    return bool(re.fullmatch(r"\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*", line))


def space_row(line: str, base: int, unit_pattern: str) -> list[Cell] | None:
    """Cells of a space-aligned row (two or more spaces between columns) or a markdown list row
    (`- 纱 万吨 2717.0 13.5`): a label first, then at least two cells that print figures; else None."""
    cells = space_cells(line, base)
    if cells is None:
        return None
    kinds = [value_cell(c.text, unit_pattern) is not None or fold_cell(c.text) in ("—", "-", "…") for c in cells]
    if not kinds or kinds[0] or sum(kinds) < 2:
        return None
    first_value = kinds.index(True)
    if any(not k and value_cell(c.text, unit_pattern) is None and re.search(r"\d", c.text)
           for c, k in zip(cells[first_value:], kinds[first_value:], strict=False)):
        return None  # a cell with digits that is no figure: prose, not a row
    return cells


def space_cells(line: str, base: int) -> list[Cell] | None:
    """The cells of a line laid out with spaces (≥ 2 spaces apart, or single spaces in a list row)."""
    if "  " not in line and line.lstrip()[:1] not in ("-", "*", "+"):
        return None  # neither wide nor a list row (the checks below, cheaply first)
    stripped = line.strip()
    if not stripped or any(p in stripped for p in "，。；"):
        return None
    listed = re.match(r"^\s*[-*+]\s+", line)
    body_start = listed.end() if listed else 0
    wide = re.search(r"\S {2,}\S", line[body_start:]) is not None
    if not listed and not wide:
        return None
    return split_spaces(line[body_start:], base + body_start, single=bool(listed) and not wide)


@dataclass
class CellBlock:
    """One-cell-per-line table: the header lines, then rows of the same number of cells."""

    header: list[str]
    label_column: int


def cell_block_header(lines: list[str], start: int) -> CellBlock | None:
    """A header block starting at `start`: a header word line, then header lines incl. ≥ 2 years."""
    first = lines[start].strip()
    if not first or len(first) > 12 or not any(first.startswith(w) for w in HEADER_WORDS):
        return None
    header: list[str] = []
    years = 0
    index = start
    while index < len(lines) and len(header) < 12:
        text = lines[index].strip()
        if not text:
            index += 1
            continue
        if len(text) > 20 or not (YEAR_HEADER.fullmatch(text.replace(" ", "")) or re.match(r"[12]\d{3}\s*年", text)
                                  or any(w in text for w in HEADER_WORDS)):
            break
        years += bool(re.match(r"[12]\d{3}\s*年?", text))
        header.append(text)
        index += 1
    if years < 2:
        return None
    label = next((i for i, h in enumerate(header) if h.startswith(("指标", "项目", "名称"))), 0)
    return CellBlock(header, label)


@lru_cache(maxsize=64)
def prose_pattern(unit_pattern: str, digit: str = r"\d") -> re.Pattern:
    """A number followed by a unit of `unit_pattern`, %, a magnitude word or a counter, compiled
    once per unit pattern. The match starts at the first digit (written digit first, with what
    may not stand before it read behind it, so the engine skips to digits by itself; a sign `-`
    before it is added by prose_matches). Its digit runs are possessive when no unit
    begins with a digit: a digit given back would then stand where no part of the pattern reads one.
    It matches what its plain form (a lookbehind, an optional sign, the number) matches: see
    tests/test_scanner_layouts.py. `digit` "[0-9]" reads a text that prints no other decimal digit
    as `\\d` does, a fifth faster (re tests a range, not a Unicode category, at every character)."""
    words = _words(unit_pattern)
    plain = words is not None and not any(re.match(r"\d", word) for word in words)
    more = "+" if plain else ""
    number = (rf"\d(?<![{NOT_BEFORE}]\d)\d*{more}(?:\.\d+{more})?" + RANGE_TAIL.replace(r"\d+", rf"\d+{more}")).replace(r"\d", digit)
    # where no unit, magnitude or counter can begin, no alternative is tried (the characters they begin with)
    begins = "".join(re.escape(c) for c in sorted({w[0] for w in (*(words or ()), *COUNTERS, *BARE_COUNTERS, "万", "亿") if w}))
    ahead = f"(?=[{begins}])" if words is not None and all(words) else ""
    return re.compile(
        rf"(?P<num>{number})"
        rf"\s*[多余]?\s*{ahead}(?:{MAGNITUDE}\s*[多余]?\s*(?:{unit_pattern}|{_alternation(COUNTERS)})?"
        rf"|(?:{unit_pattern})|{_alternation(COUNTERS + BARE_COUNTERS)})"
    )


def prose_matches(pattern: re.Pattern, joined: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every match of a prose_pattern in `joined` (`codes`: its code points), as arrays: (start,
    end, where the digits start, where they end). A sign `-` right before the digits starts the
    match when what stands before the sign may stand before a number and the previous match did
    not take it (as `(?<![…])(?P<sign>-(?=\\d))?` read it)."""
    matches = list(pattern.finditer(joined))
    found = np.empty((len(matches), 3), dtype=np.int64)  # (each column read by a method mapped over the matches: no loop in Python)
    found[:, 0] = np.fromiter(map(re.Match.start, matches), dtype=np.int64, count=len(matches))
    found[:, 1] = np.fromiter(map(re.Match.end, matches), dtype=np.int64, count=len(matches))
    found[:, 2] = np.fromiter(map(re.Match.end, matches, itertools.repeat(pattern.groupindex["num"])), dtype=np.int64, count=len(matches))
    digits = found[:, 0]
    previous_end = np.concatenate(([0], found[:-1, 1]))
    signed = (digits >= 1) & (previous_end <= digits - 1)
    signed[signed] = codes[digits[signed] - 1] == ord("-")
    signed[signed] = [at < 2 or not _NOT_BEFORE.match(joined[at - 2]) for at in digits[signed].tolist()]
    return digits - signed, found[:, 1], digits, found[:, 2]


def _words(alternation: str) -> list[str] | None:
    """The words of an alternation of escaped words (checks.sources.unit_pattern), None when it is
    any other pattern."""
    words, word, characters = [], [], iter(alternation)
    for character in characters:
        if character == "\\":
            word.append(next(characters, ""))
        elif character == "|":
            words.append("".join(word))
            word = []
        else:
            word.append(character)
    words.append("".join(word))
    return words if "|".join(re.escape(word) for word in words) == alternation else None


class Scan:
    """What FigureScanner.read finds in one source, in the order of their starts: the table cells
    as tokens and the prose figures as arrays (`starts`, `ends` for all); a prose figure's token is
    made only when asked for (`tokens`), so a caller comparing spans makes none."""

    def __init__(self, text: str, table: list, prose: tuple[np.ndarray, ...]):
        self.text = text
        self.table = table  # NumberTokens, or their fields (`packed`) made tokens when asked for
        self._prose = prose  # start, end, line, start and end of the digits, quote start
        table_starts = np.array([t.span.start if isinstance(t, NumberToken) else t[1] for t in table], dtype=np.int64)
        table_ends = np.array([t.span.end if isinstance(t, NumberToken) else t[2] for t in table], dtype=np.int64)
        self.order = np.argsort(np.concatenate((table_starts, prose[0])), kind="stable")  # the table's first on a tie
        self.starts = np.concatenate((table_starts, prose[0]))[self.order]
        self.ends = np.concatenate((table_ends, prose[1]))[self.order]

    def __len__(self) -> int:
        return len(self.order)

    def tokens(self, positions: np.ndarray | None = None) -> list:
        """The tokens at `positions` (all when None), in order."""
        chosen = (self.order if positions is None else self.order[positions]).tolist()
        tokens, count, text = [], len(self.table), self.text
        starts, ends, lines, printed_starts, printed_ends, quote_starts = self._prose
        for index in chosen:
            if index < count:
                cell = self.table[index]
                tokens.append(cell if isinstance(cell, NumberToken) else _unpacked(cell, text))
                continue
            at = index - count
            start, end = int(starts[at]), int(ends[at])
            tokens.append(NumberToken(int(lines[at]), Span(start, end), WHITE_SPACE.sub("", text[printed_starts[at]:printed_ends[at]]),
                                      text[start:end], quote_start=int(quote_starts[at])))
        return tokens

    def packed(self) -> tuple[list[list], np.ndarray]:
        """What the scan is made of, as plain values (checks/scan_cache.py keeps them between runs):
        each table token's fields (its span as start and end), and the prose arrays as one."""
        table = [cell if not isinstance(cell, NumberToken) else _packed(cell) for cell in self.table]
        return table, np.stack(self._prose)  # (int64: the scanner's arrays and the cache's read back)

    @classmethod
    def unpacked(cls, text: str, table: list[list], prose: np.ndarray) -> Scan:
        """The scan `packed` gave, over the same text."""
        return cls(text, table, tuple(prose))


_TOKEN_FIELDS = [f.name for f in fields(NumberToken) if f.name != "span"]


def _packed(token: NumberToken) -> list:
    return [token.line, token.span.start, token.span.end, *(getattr(token, name) for name in _TOKEN_FIELDS[1:])]


PACKED_WIDTH = 2 + len(_TOKEN_FIELDS)  # a token packed whole: line, start, end, then the fields after line
QUOTE_START = 2 + _TOKEN_FIELDS.index("quote_start")
FIGURE_WIDTH = 5  # a table figure packed: line, start, end, printed, quote start (table_figure)


def table_figure(line: int, start: int, end: int, printed: str, quote_start: int) -> list:
    """A table cell's figure as Scan holds it packed: where it stands, what it prints and where its
    row's quote starts; its text is the source's characters there, stripped, and the rest
    NumberToken's defaults. Made a NumberToken only when asked for, as most are covered by an
    observation and never looked at (a list is a quarter of a frozen dataclass's cost to make), and
    kept between runs as these five values (checks/scan_cache.py)."""
    return [line, start, end, printed, quote_start]


def _unpacked(values: list, text: str) -> NumberToken:
    """The token `values` packs over `text`: table_figure's five values, or a whole token's (_packed)."""
    if len(values) == FIGURE_WIDTH:
        line, start, end, printed, quote_start = values
        return NumberToken(line, Span(start, end), printed, text[start:end].strip(), section="table", quote_start=quote_start)
    line, start, end, *rest = values
    return NumberToken(line, Span(start, end), *rest)


class FigureScanner:
    """Reads one source text (markup already blanked): its tables line by line, its prose figures
    in one pass of a regex."""

    def __init__(self, text: str, line_starts, unit_pattern: str, units=None, codes: np.ndarray | None = None,
                 classes: np.ndarray | None = None):
        """`codes` and `classes`: the text's code points and their classes where the caller has them
        (read_many: a view of the texts read together), else computed here."""
        self.text = text
        self.lines = text.split("\n")
        self.line_starts = np.asarray(line_starts, dtype=np.int64)
        self.unit_pattern = unit_pattern
        self.units = units
        self.codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) if codes is None else codes
        self.classes = _character_classes().take(self.codes) if classes is None else classes  # MARK, TAB_OR_PIPE, OTHER_DIGIT

    @property
    def prose(self) -> re.Pattern:
        return prose_pattern(self.unit_pattern, _digit(self.classes))

    def scan(self):
        return self.read().tokens()

    def read(self, figures_only: bool = False, described: bool = True) -> Scan:
        """Every figure, and unless `figures_only` the table cells that hold a word or a blank. Not
        `described`: the figures only, the cells of tab, pipe and space rows without their label,
        header, period and unit (what coverage reads: where a number stands and what it prints)."""
        table = self._tables(described)  # (not described: the tab, pipe and space rows' figures packed, see table_figure)
        alone = _Texts(self.text, self.codes, self.classes, np.zeros(1, dtype=np.int64), self.line_starts, np.zeros(1, dtype=np.int64))
        prose = _prose_spans([self], [_lines_of(table)], alone, self.prose, BARE_DECIMAL)[0]
        return Scan(self.text, _figures(table) if figures_only or not described else table, prose)

    def _tables(self, described: bool = True, lines_read: tuple[np.ndarray, np.ndarray] | None = None) -> list:
        """The cells of every table, in line order (kinds figure, word and blank). `lines_read`:
        the text's _lines_read where the caller has them (read_many)."""
        tokens: list = []
        context = TableContext()
        pipe_header_pending: list[Cell] | None = None
        skip_until = -1
        read, passed = lines_read if lines_read is not None else _lines_read(self.codes, self.classes, self.line_starts)
        candidates = np.flatnonzero(read).tolist()
        following_line = 0  # the first line not read yet
        for index in candidates:
            if context.header and passed[index] > passed[min(max(following_line, skip_until), index)]:
                context = TableContext()  # a line of prose ends the table above
            following_line = index + 1
            if index < skip_until:
                continue
            number, line, base = index + 1, self.lines[index], int(self.line_starts[index])
            title = TABLE_TITLE.search(line) if "表" in line and len(line.strip()) < 60 else None
            if title:
                titled = TABLE_TITLE_YEAR.search(line)
                context = TableContext(year=titled["year"] if titled else "", title=" ".join(line.split()))
            unit_line = UNIT_LINE.match(line) if "单位" in line else None
            if unit_line:
                context.unit = unit_line["unit"].strip()
                continue
            # not described, a tab row's figures are read first: a row printing a figure that is not
            # a year names no columns, and the header test is left out
            figures = None if described else _tab_figures(number, line, base, self.unit_pattern)
            if figures is not None or (described and tab_row(line)):
                if figures is None or all(YEAR.fullmatch(self.text[f[1]:f[2]].strip()) for f in figures):
                    cells = split_tabs(line, base)
                    if is_header_row(cells, self.unit_pattern):
                        context.header = cells
                        continue
                tokens += figures if figures is not None else row_figures(number, split_tabs(line, base), context, self.unit_pattern,
                                                                          self.units, skip_first=True, quote_start=base)
                continue
            if is_pipe_row(line):
                if is_separator_row(line):
                    if pipe_header_pending is not None:
                        context.header = pipe_header_pending
                    continue
                cells = split_pipes(line, base)
                following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
                if is_separator_row(following):
                    pipe_header_pending = cells
                    continue
                tokens += row_figures(number, cells, context, self.unit_pattern, self.units, skip_first=True, quote_start=base,
                                      described=described)
                continue
            block = cell_block_header(self.lines, index)
            if block is not None:
                found, skip_until = self._cell_block(index, block, context.title)
                tokens += found
                continue
            row = space_row(line, base, self.unit_pattern)
            if row is not None:
                tokens += row_figures(number, row, context, self.unit_pattern, self.units, skip_first=False, quote_start=base,
                                      described=described)
                continue
            spaced = space_cells(line, base)
            if spaced is not None and is_header_row(spaced, self.unit_pattern):
                context.header = spaced
                continue
            if not line.strip():
                continue
            if not title:
                context = TableContext() if context.header and not _inside_table(line) else context
        return tokens

    def _cell_block(self, start: int, block: CellBlock, title: str):
        width = len(block.header)
        rows, row = [], []
        index = start
        seen_header = 0
        while index < len(self.lines):
            text = self.lines[index].strip()
            if not text:
                index += 1
                continue
            if seen_header < width:
                seen_header += 1
                index += 1
                continue
            if len(text) > 40 or "。" in OCR_DECIMAL.sub(".", text):
                break
            row.append((index, text))
            if len(row) == width:
                label = row[block.label_column][1]
                if value_cell(label, self.unit_pattern) is not None and not re.fullmatch(r"\d+", label):
                    row = []
                    break
                rows.append(row)
                row = []
            index += 1
        tokens = []
        for cells in rows:
            label = cells[block.label_column][1]
            for column, (line_index, text) in enumerate(cells):
                if column == block.label_column or block.header[column].startswith(("序号", "编号")):
                    continue
                found = value_cell(text, self.unit_pattern)
                word = found is None and value_column(block.header[column]) and not re.search(r"\d", text)
                if found is None and not word:
                    continue
                digits, cell_unit = found or (text, "")
                year, note = header_period(block.header[column])
                base = int(self.line_starts[line_index])
                offset = self.lines[line_index].index(text)
                unit = "" if word else cell_unit or next((u for u in (bracket_unit(label), _header_unit(block.header[column]))
                                                          if known_unit(u, self.units)), "")
                tokens.append(NumberToken(line_index + 1, Span(base + offset, base + offset + len(text)), digits, text,
                                          section="table", label=label, header=block.header[column], period=year,
                                          period_note=note, unit=unit, quote_start=int(self.line_starts[cells[block.label_column][0]]),
                                          kind="word" if word else "figure", table=title))
        end = rows[-1][-1][0] + 1 if rows else start + 1
        return tokens, end

    def _prose_cell(self, line: int, start: int, end: int) -> Cell | None:
        """The cell of a tab or pipe row that holds [start, end) when that cell is prose: a sentence
        (，。；) or a list item's heading (`七、筹集保障性租赁住房1500套`), as in a table of work done
        (重点事项 | 牵头单位 | 实际进度). A label such as `其中：0-15岁（含不满16周岁）` is no prose."""
        text, base = self.lines[line - 1], int(self.line_starts[line - 1])
        if is_pipe_row(text):
            cells = split_pipes(text, base)
        elif tab_row(text):
            cells = split_tabs(text, base)
        else:
            return None
        cell = next((c for c in cells if c.start <= start and end <= c.end), None)
        if cell is None or not (any(mark in cell.text for mark in "，。；") or LIST_ITEM.match(cell.text)):
            return None
        return cell

    def _table_line(self, line: int) -> bool:
        text = self.lines[line - 1]
        return tab_row(text) or is_pipe_row(text)


def _lines_read(codes: np.ndarray, classes: np.ndarray, line_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per line, whether the tables read it; per line, the number of lines before it that they pass
    over: neither blank nor read) of a text's code points, their classes and its line starts. A
    line is read when it holds a tab, a pipe, 表, 单位 or two spaces, or begins with white space, a
    list marker or a header word's first character; any other line that is not empty ends a table."""
    marks = np.flatnonzero(classes & MARK)
    following = codes[np.minimum(marks + 1, max(len(codes) - 1, 0))] if len(marks) else marks
    pairs = (marks + 1 < len(codes)) & (((codes[marks] == ord("单")) & (following == ord("位")))
                                        | ((codes[marks] == ord(" ")) & (following == ord(" "))))
    marked = (codes[marks] == ord("\t")) | (codes[marks] == ord("|")) | (codes[marks] == ord("表")) | pairs
    line_ends = np.append(line_starts[1:] - 1, len(codes))
    filled = line_ends > line_starts
    read = np.zeros(len(line_starts), dtype=bool)
    read[np.searchsorted(line_starts, marks[marked], side="right") - 1] = True
    read[filled] |= _LEADING[codes[line_starts[filled]]]
    return read, np.concatenate(([0], np.cumsum(filled & ~read)))


def read_many(texts: list[str], line_starts: list[np.ndarray], unit_pattern: str) -> list[Scan]:
    """FigureScanner(text, its line starts, unit_pattern).read(described=False) of each text, what
    coverage reads, the same scans. The texts are read together in batches: their prose in one pass
    of the patterns and one set of array operations per batch, as a numpy call costs microseconds
    whatever its size and a source is a few thousand characters (per text, those calls were a fifth
    of the scan). The tables are read text by text. A text holding the SEPARATOR is read alone."""
    scans: list[Scan | None] = [None] * len(texts)
    batches: list[list[int]] = [[]]
    size = 0
    for index, text in enumerate(texts):
        if SEPARATOR in text:
            scans[index] = FigureScanner(text, line_starts[index], unit_pattern).read(described=False)
            continue
        if size >= BATCH_CHARACTERS:
            batches.append([])
            size = 0
        batches[-1].append(index)
        size += len(text) + 1
    for batch in filter(None, batches):
        read = _read_together([texts[i] for i in batch], [line_starts[i] for i in batch], unit_pattern)
        for index, scan in zip(batch, read, strict=True):
            scans[index] = scan
    return [scan for scan in scans if scan is not None]


BATCH_CHARACTERS = 1 << 16  # texts read together until this many characters (measured: 2**14 to 2**20 within 0.15 s at 1 M)
SEPARATOR = "\x00"  # between texts read together: no pattern reads it, and a text that holds it is read alone
# BARE_DECIMAL over texts read together: a text ends where the separator stands, as at the end
_BARE_DECIMAL_TOGETHER = re.compile(BARE_DECIMAL.pattern.replace("|$)", f"|$|{SEPARATOR})"))


class _Texts(NamedTuple):
    """Texts read together: joined by SEPARATOR, its code points and their classes, where each text
    starts in it (`bases`), the line starts of all as offsets in it, and how many lines come before
    each text's (`line_offsets`)."""

    text: str
    codes: np.ndarray
    classes: np.ndarray
    bases: np.ndarray
    line_starts: np.ndarray
    line_offsets: np.ndarray


def _read_together(texts: list[str], line_starts: list[np.ndarray], unit_pattern: str) -> list[Scan]:
    joined = SEPARATOR.join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    classes = _character_classes().take(codes)
    sizes = np.array([len(text) for text in texts], dtype=np.int64)
    bases = np.concatenate(([0], np.cumsum(sizes + 1)[:-1]))
    starts = [np.asarray(s, dtype=np.int64) for s in line_starts]
    line_offsets = np.concatenate(([0], np.cumsum([len(s) for s in starts])[:-1])).astype(np.int64)
    together = _Texts(joined, codes, classes, bases, np.concatenate([s + b for s, b in zip(starts, bases.tolist(), strict=True)]), line_offsets)
    scanners = [FigureScanner(text, s, unit_pattern, codes=codes[b:b + len(text)], classes=classes[b:b + len(text)])
                for text, s, b in zip(texts, starts, bases.tolist(), strict=True)]
    read, passed = _lines_read(codes, classes, together.line_starts)  # (each text's: a slice, its passed lines counted from its first)
    tables = [scanner._tables(False, (read[offset:offset + len(scanner.line_starts)],
                                      passed[offset:offset + len(scanner.line_starts) + 1] - passed[offset]))
              for scanner, offset in zip(scanners, line_offsets.tolist(), strict=True)]
    prose = _prose_spans(scanners, [_lines_of(table) for table in tables], together, prose_pattern(unit_pattern, _digit(classes)),
                         _BARE_DECIMAL_TOGETHER)
    return [Scan(scanner.text, _figures(table), spans) for scanner, table, spans in zip(scanners, tables, prose, strict=True)]


def _digit(classes: np.ndarray) -> str:
    """How the prose pattern reads a digit in a text of these classes: [0-9] reads what \\d reads when
    it prints no other decimal digit, a fifth faster."""
    return r"\d" if (classes & OTHER_DIGIT).any() else "[0-9]"


def _lines_of(table: list) -> set[int]:
    return {t.line if isinstance(t, NumberToken) else t[0] for t in table}


def _figures(table: list) -> list:
    return [t for t in table if not isinstance(t, NumberToken) or t.kind == "figure"]


def _prose_spans(scanners: list[FigureScanner], table_lines: list[set[int]], texts: _Texts, prose: re.Pattern,
                 bare_decimal: re.Pattern) -> list[tuple[np.ndarray, ...]]:
    """Each text's prose figures as arrays, in the order of their starts: (start, end, line, start
    and end of the digits, start of the prose table cell that holds it or -1). The texts are matched
    with their line breaks removed, each match in one pass of `prose` and `bare_decimal`; what
    decides whether a match is a figure is computed for all matches at once, and only a match
    after `、`, on a table's line or across a line break is looked at alone (by its text's scanner)."""
    codes = texts.codes
    offsets = np.flatnonzero((codes != ord("\n")) & (codes != ord("\r")))  # joined index → text index
    joined = texts.text.replace("\n", "").replace("\r", "")
    starts, ends, digits, numbers_end = prose_matches(prose, joined, codes[offsets])
    bare = np.array([m.span("num") for m in bare_decimal.finditer(joined)], dtype=np.int64).reshape(-1, 2)
    printed = np.concatenate((digits, bare[:, 0])), np.concatenate((numbers_end, bare[:, 1]))
    starts, ends = np.concatenate((starts, bare[:, 0])), np.concatenate((ends, bare[:, 1]))
    order = np.argsort(starts, kind="stable")  # as found, prose before bare decimals
    starts, ends, printed = starts[order], ends[order], (printed[0][order], printed[1][order])
    keep = np.ones(len(starts), dtype=bool)
    after_comma = np.flatnonzero(starts >= 1)
    for index in after_comma[codes[offsets[starts[after_comma] - 1]] == ord("、")].tolist():
        start = int(starts[index])
        keep[index] = not ORDINAL_LIST.search(joined, max(0, start - 12), start)
    # where each match stands, in which text and on which line (of all texts' lines)
    line_starts = texts.line_starts
    text_starts, text_ends = offsets[starts], offsets[ends - 1] + 1
    lines = np.searchsorted(line_starts, text_starts, side="right")
    owners = np.searchsorted(texts.bases, text_starts, side="right") - 1
    quote_starts = np.full(len(starts), -1, dtype=np.int64)
    # a table's line (a tab or pipe row, or a line the tables read): only a prose cell's figure counts
    marked = np.zeros(len(line_starts) + 1, dtype=bool)
    marked[np.searchsorted(line_starts, np.flatnonzero(texts.classes & TAB_OR_PIPE), side="right")] = True
    marked[[offset + line for scanner, lines_read, offset in zip(scanners, table_lines, texts.line_offsets.tolist(), strict=True)
            for line in lines_read if line <= len(scanner.line_starts)]] = True
    table_line: dict[int, bool] = {}  # per line, read once
    for index in np.flatnonzero(marked[lines]).tolist():
        line, owner = int(lines[index]), int(owners[index])
        scanner, base, local = scanners[owner], int(texts.bases[owner]), line - int(texts.line_offsets[owner])
        if line not in table_line:
            table_line[line] = local in table_lines[owner] or scanner._table_line(local)
        if table_line[line]:
            cell = scanner._prose_cell(local, int(text_starts[index]) - base, int(text_ends[index]) - base)
            keep[index] = keep[index] and cell is not None
            quote_starts[index] = cell.start + base if cell is not None else -1
    # a match across a line break counts when only blank lines stand between its parts
    for index in np.flatnonzero(np.searchsorted(line_starts, text_ends - 1, side="right") != lines).tolist():
        keep[index] = keep[index] and _broken_line(texts.text[int(text_starts[index]):int(text_ends[index])])
    owners = owners[keep]
    bases = texts.bases[owners]
    found = (text_starts[keep] - bases, text_ends[keep] - bases, lines[keep] - texts.line_offsets[owners],
             offsets[printed[0][keep]] - bases, offsets[printed[1][keep] - 1] + 1 - bases,
             np.where(quote_starts[keep] >= 0, quote_starts[keep] - bases, -1))
    bounds = np.searchsorted(owners, np.arange(len(scanners) + 1)).tolist()
    return [tuple(values[low:high] for values in found) for low, high in itertools.pairwise(bounds)]


def _broken_line(text: str) -> bool:
    """A token broken over lines by extraction (`text`): only blank lines between its parts."""
    inner = text.split("\n")
    return all(part.strip() for part in (inner[0], inner[-1])) and all(not p.strip() for p in inner[1:-1])


def _inside_table(line: str) -> bool:
    return bool(re.match(r"^\s*[-*+|]", line)) or "\t" in line


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
