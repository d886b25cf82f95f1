"""periods: the periods of a series in order, and no figure dated after its document.

(A period range printed backwards, `2025-2020`, is rejected when the tables are loaded: the
observations schema reads it as a typo, never a period, so no rule sees one.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.locator import located
from checks.pairs import SERIES, as_of_dates, keyed_join, role_side, with_as_of


@rule("periods.target-not-after-baseline", "error")
def target_not_after_baseline(ctx: Context) -> Outcome:
    """A target whose period is not after every baseline of its series in the same document.

    Fires on a 2019 target in a plan whose baseline column is 2020 (the target was dated on or
    before the year it starts from), using the footnote year of starred cells. Does not fire on a
    2025 target against a 2021 baseline. A target whose document prints no baseline of its series
    is undecided.
    """
    obs = ctx.obs
    keys = ["document", *SERIES]
    targets = obs.loc[obs["role"] == "target", ["id", *keys, "year", "value_printed"]]
    baselines = obs.loc[obs["role"] == "baseline", ["id", *keys, "year", "value_printed"]]
    pairs = keyed_join(ctx, targets, baselines, keys)
    late = pairs[pairs["b_year"] >= pairs["year"]]
    late = late[late["b_year"] == late.groupby("id")["b_year"].transform("max")].drop_duplicates("id")
    alone = int((~targets["id"].isin(pairs["id"])).sum())
    return Outcome(int(pairs["id"].nunique()), [
        Violation(f"target {p.value_printed!r} is dated {p.year}, not after its series' baseline {p.b_value_printed!r} of {p.b_year}",
                  (p.b_id, p.id), {"target_year": int(p.year), "baseline_year": int(p.b_year)})
        for p in late.itertuples(index=False)], alone, {"no baseline of the series in the document": alone} if alone else {})


def _as_of_year(codes: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """The year of each as-of date (NaN where none is read), read once per distinct date (one a document);
    the dates as pairs.as_of_dates gives them."""
    years = pd.to_numeric(pd.Series(dates, dtype=object).str[:4], errors="coerce").to_numpy(dtype=float)
    return np.where(codes >= 0, years[np.maximum(codes, 0)] if len(years) else np.nan, np.nan)


@rule("periods.status-after-as-of", "error")
def status_after_as_of(ctx: Context) -> Outcome:
    """A baseline or actual dated after the document that prints it.

    Fires on an actual for 2024 in a report dated 2023-04, or a baseline for 2023 in a plan dated
    2022: a document cannot state what a later year was. Does not fire on a figure of the as-of
    year itself (a report of 2024 on 2024), nor on targets, which look ahead on purpose.
    """
    obs = with_as_of(ctx)
    status = (role_side(obs["role"]) == "status").to_numpy()
    year = _as_of_year(*as_of_dates(ctx))  # judged on columns; the rows' text is taken for the failures only
    dated = status & ~np.isnan(year)
    bad = obs[["id", "document", "role", "value_printed", "period_key", "year_start", "as_of"]].take(
        np.flatnonzero(dated & (obs["year_start"].to_numpy() > np.where(dated, year, 0))))
    undated = int(status.sum()) - int(dated.sum())
    return Outcome(int(dated.sum()), [
        Violation(f"{r.role} {r.value_printed!r} is dated {r.period_key}, after its document {r.document} (as of {r.as_of})", (r.id,),
                  {"period": r.period_key, "as_of": r.as_of})
        for r in bad.itertuples(index=False)], undated, {"document has no as-of date": undated} if undated else {})


# 表102023年: table 10 of 2023; 2022年度森林督查 names a programme's year, not the figure's. The four digits
# come first and the lookbehinds read the character before them (not a digit or a point, or 表 and one or
# two digits): the engine then skips to a 1 or a 2, where lookbehinds first were tried at every character
_YEAR = r"(?:19|20)\d{2}"
_NAMED_AFTER = r"(?:(?<![\d.]\d{4})|(?<=表\d{5})|(?<=表\d{6}))\s*年(?!度)"
YEAR_NAMED = re.compile(f"({_YEAR}){_NAMED_AFTER}")
RELATIVE = re.compile(r"今年|本年|当年|去年|上年|前年|上半年|下半年|季度|同期")  # a year said relative to the document
# A year named as a point of comparison or a starting point is not the year of the figure after it.
# (the words a year's text before it ends with, white space aside)
NOT_THE_FIGURES_YEAR = ("比", "较", "与", "同", "相比", "对比", "低于", "高于", "超过", "超出", "恢复到", "恢复至")
LEVEL_OF_A_YEAR = re.compile(r"\s*水平")  # 超过2019年水平: a year's level as a point of comparison
# the same, over many texts at once (_quote_years): where a year is named (uncaptured: a capture group first hides
# the digits from the engine's skipping), where one is named as a level, where a comparison word ends before one
_YEAR_NAMED_AT = re.compile(_YEAR + _NAMED_AFTER)
_YEAR_AS_A_LEVEL = re.compile(_YEAR + _NAMED_AFTER + LEVEL_OF_A_YEAR.pattern)
_COMPARED_YEAR = re.compile("(?:" + "|".join(map(re.escape, NOT_THE_FIGURES_YEAR)) + r")\s*(?=" + _YEAR + ")")
SENTENCE_ENDS = "。！？；!?;"
_SENTENCE_BREAKS = np.zeros(0x110000, dtype=bool)  # per code point: a sentence end or a line break
_SENTENCE_BREAKS[[ord(c) for c in SENTENCE_ENDS + "\n"]] = True
FOOTNOTE = re.compile(r"[（(]([^（）()]*\*[^（）()]*)[）)]")


def _compact(text: str) -> str:
    return "".join(str(text).split())


def header_reading(header: str, title: str) -> tuple[tuple[str, ...], str]:
    """(years a cell under this column header may be of, the header's footnote as printed): the
    years printed in the header outside its footnote, else those in the table's title."""
    footnote = FOOTNOTE.search(header)
    outside = FOOTNOTE.sub("", header)
    years = tuple(YEAR_NAMED.findall(outside)) or tuple(YEAR_NAMED.findall(title))
    return years, _compact(footnote.group(1)) if footnote else ""


@rule("periods.cell-against-header", "error")
def cell_against_header(ctx: Context) -> Outcome:
    """A table cell whose period or footnote is not the one its column header prints.

    Reads where each table cell stands (observation columns table and column_header, as printed).
    Fires on a cell entered for 2025 under the header 2035年, or a cell whose period_note is not
    the header's footnote (*为2021年) or names a footnote its header does not print. A header
    without a year is read with the year of its table's title (表1 2023年年末人口数). Does not fire
    on a starred cell under 2020年(*为2021年) entered as 2020 with that note. A cell whose header and
    title print no year is undecided; cells whose place is not recorded are not read.
    """
    cells = ctx.obs[(ctx.obs["section"] == "table") & (ctx.obs["column_header"] != "")]
    keys = cells[["column_header", "table"]].drop_duplicates()
    readings = {(h, t): header_reading(h, t) for h, t in zip(keys["column_header"].tolist(), keys["table"].tolist(), strict=False)}
    reading = pd.Series([readings[(h, t)] for h, t in zip(cells["column_header"].tolist(), cells["table"].tolist(), strict=False)],
                        index=cells.index, dtype=object)
    years = reading.map(lambda r: r[0])
    footnote = reading.map(lambda r: r[1])
    dated = years.map(bool).astype(bool)
    decided = cells.loc[dated]
    wrong_year = [str(p)[:4] not in y for p, y in zip(decided["period"].tolist(), years[dated].tolist(), strict=False)]
    wrong_note = decided["period_note"].map(_compact) != footnote[dated]
    bad = decided[pd.Series(wrong_year, index=decided.index, dtype=bool) | wrong_note]
    undecided = len(cells) - len(decided)
    return Outcome(len(decided), [
        Violation(f"cell {r.value_printed!r} (line {r.line}) is entered for {r.period}"
                  + (f" with note {r.period_note!r}" if r.period_note else "")
                  + f", but its column header {r.column_header!r} ({r.table}) prints {'/'.join(years[i]) or 'no year'}"
                  + (f" with note {footnote[i]!r}" if footnote[i] else " and no footnote"),
                  (r.id,), {"column_header": r.column_header, "period": r.period, "period_note": r.period_note})
        for i, r in zip(bad.index, bad.itertuples(index=False), strict=False)],
        undecided, {"no year printed in the column header or the table's title": undecided} if undecided else {})


def years_named(before: str) -> set[str]:
    """Years a text names as its own, not as a point of comparison (比2020年, 超过2019年水平)."""
    if "年" not in before:  # every year named is followed by 年
        return set()
    return {m.group(1) for m in YEAR_NAMED.finditer(before)
            if not before[: m.start()].rstrip().endswith(NOT_THE_FIGURES_YEAR) and not LEVEL_OF_A_YEAR.match(before, m.end())}


@rule("periods.text-year-slip", "warning")
def text_year_slip(ctx: Context) -> Outcome:
    """A text figure whose period is none of the years its quote (or its paragraph) names for it.

    Reads the quote up to the figure; when it names no year, its sentence in the source before it
    (within the paragraph). A quote that dates the figure relative to the document (今年上半年) is
    undecided, and a year that names a programme (2022年度森林督查) is not the figure's year. Fires
    on a figure entered for 2024 in 2023年全县空气质量优良天数比例达98.6%. Does not fire on a year
    named as a point of comparison (比2020年下降18%; but 从2012年的356家 is of 2012), on a period
    that includes a named year (2016-2020 under 2020年), nor where no year is named (undecided).
    The paragraph is read from the source, so the family runs by document on the partitioned engine.
    """
    obs = ctx.obs
    text = np.flatnonzero((obs["section"] == "text").to_numpy())  # positions; columns are taken as arrays, never the rows as a frame
    named = _NamedYears()
    # the years each quote names before its figure (the last occurrence of the value), and whether it names a relative year
    named_by, relative = _quote_years(named, obs["quote"].to_numpy()[text], obs["value_printed"].to_numpy()[text], located(ctx, "figure_in_quote")[text])
    relative_only = relative & (named.sizes()[named_by] == 0)
    # else the years its paragraph names before it
    bare = np.flatnonzero((named.sizes()[named_by] == 0) & ~relative_only)
    if len(bare):
        starts = located(ctx, "figure_start").astype(np.int64)[text[bare]]
        named_by[bare] = _paragraph_years(ctx, named, obs["document"].take(text[bare]), starts)
    has_year = (named.sizes()[named_by] > 0) & ~relative_only
    decided = text[has_year]
    within = named.any_within(named_by[has_year], obs["year_start"].to_numpy(dtype=np.int64)[decided], obs["year"].to_numpy(dtype=np.int64)[decided])
    bad = obs[["id", "quote", "value_printed", "line", "period_key"]].take(decided[~within])
    reasons = {"the sentence dates the figure relative to the document (今年, 上半年)": int(relative_only.sum()),
               "no year named in the quote or its paragraph": int((~has_year & ~relative_only).sum())}
    return Outcome(len(decided), [
        Violation(f"{r.value_printed!r} (line {r.line}) is entered for {r.period_key}, but its sentence names "
                  f"{', '.join(sorted(years))}: {r.quote}", (r.id,), {"period": r.period_key, "named": sorted(years)})
        for years, r in zip(named.sets_of(named_by[has_year][~within]), bad.itertuples(index=False), strict=True)],
        sum(reasons.values()), {k: v for k, v in reasons.items() if v})


class _NamedYears:
    """The distinct sets of years texts name (years_named), each text read once; a set is known
    by its id."""

    BASE = 1 << 20  # (years packed with their set's id: id * BASE + year)

    def __init__(self) -> None:
        self.sets: list[frozenset[str]] = []
        self._ids: dict[frozenset[str], int] = {}
        self._of_text: dict[str, int] = {}

    def id_of(self, years: frozenset[str]) -> int:
        known = self._ids.setdefault(years, len(self._ids))
        if known == len(self.sets):
            self.sets.append(years)
        return known

    def of(self, texts: list[str]) -> np.ndarray:
        """The id of the set of years each text names."""
        for text in set(texts) - self._of_text.keys():
            self._of_text[text] = self.id_of(frozenset(years_named(text)))
        of_text = self._of_text
        return np.array([of_text[text] for text in texts], dtype=np.int64)

    def sizes(self) -> np.ndarray:
        return np.array([len(years) for years in self.sets], dtype=np.int64)

    def sets_of(self, ids: np.ndarray) -> list[frozenset[str]]:
        return [self.sets[i] for i in ids.tolist()]

    def any_within(self, ids: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Per (set id, start, end): does the set name a year in [start, end]? One sorted search."""
        keys = np.sort(np.array([i * self.BASE + int(y) for i, years in enumerate(self.sets) for y in years], dtype=np.int64))
        low = ids * self.BASE + np.clip(starts, 0, self.BASE - 1)
        high = ids * self.BASE + np.clip(ends, 0, self.BASE - 1)
        return np.searchsorted(keys, high, side="right") > np.searchsorted(keys, low, side="left")


_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08"  # none a space, a digit, a point or a character of a word the patterns read


# every year named is followed by 年, and every relative word holds one of these: a text holding none names neither
_MARKS = ("年", "季度", "同期")
if not all(any(mark in word for mark in _MARKS) for word in RELATIVE.pattern.split("|")):
    raise RuntimeError("periods: a relative word holds none of _MARKS")


def _quote_years(named: _NamedYears, quotes: np.ndarray, values: np.ndarray, figures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the id of the set of years its quote names before its figure (years_named of the quote
    up to the value's last occurrence: `figures`, the located frame's figure_in_quote, where it found one),
    and whether that text names a year relative to the document.
    Only the quotes holding a 年, 季度 or 同期 are read (_MARKS; 40 % of the text figures at 1 M)."""
    ids, relative = np.full(len(quotes), named.id_of(frozenset()), dtype=np.int64), np.zeros(len(quotes), dtype=bool)
    year, quarter, same_period = _MARKS
    marked = np.flatnonzero(np.array([year in q or quarter in q or same_period in q for q in quotes.tolist()], dtype=bool))
    if len(marked):
        ids[marked], relative[marked] = _marked_quote_years(named, quotes[marked], values[marked], figures[marked])
    return ids, relative


def _marked_quote_years(named: _NamedYears, quotes: np.ndarray, values: np.ndarray, figures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_quote_years of the rows whose quote holds a mark.

    Each distinct quote is read once, all of them in one pass of each pattern over their text joined
    by a separator none holds (it reads as the ends of a text do: no space, digit, point or word runs
    across it). A row's text is its quote cut before its figure: what the patterns find in the whole
    quote before the cut is what they find in the cut text, unless the cut text ends (spaces aside) in
    a digit, 年 or 水 (a year, its 年, 年度 or 水平 could run across the cut): those texts are read one by one."""
    codes, distinct = pd.factorize(quotes)
    distinct = distinct.tolist()  # (quotes and printed values are text, never missing: schemas/parsed.py)
    cut = np.array([span[0] if span else -1 for span in figures.tolist()], dtype=np.int64)
    unplaced = np.flatnonzero(cut < 0)  # no span: the value is not in the quote, or empty (its last occurrence is the end)
    cut[unplaced] = [quotes[i].rfind(values[i]) for i in unplaced.tolist()]
    cut = np.maximum(cut, 0)
    joined, separator = "", ""
    for separator in _SEPARATORS:
        joined = separator.join(distinct)
        if joined.count(separator) == len(distinct) - 1:
            break
    else:  # every separator is printed in some quote: each text read by itself
        return _cut_years(named, distinct, codes, cut)
    lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
    low = (np.cumsum(lengths + 1) - lengths - 1)[codes]  # where each row's quote starts in the joined text
    high = low + cut
    # years named (those named as a level or after a comparison word dropped), and relative years
    at = np.array([m.start() for m in _YEAR_NAMED_AT.finditer(joined)], dtype=np.int64)
    level = np.array([m.start() for m in _YEAR_AS_A_LEVEL.finditer(joined)] if "水平" in joined else [], dtype=np.int64)
    compared = np.array([m.end() for m in _COMPARED_YEAR.finditer(joined)], dtype=np.int64)
    at = at[~np.isin(at, level) & ~np.isin(at, compared)]
    characters = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    # each year as one number made of its four characters (19 or 20, then two digits, of 21 bits at most), coded
    # by those: only one text of each distinct year is sliced (at 1 M, 195 k years named, 10 distinct; slicing each
    # and hashing the slices took ~0.03 s more)
    packed = np.zeros(len(at), dtype=np.int64)
    for k in range(4):
        packed <<= 21
        packed |= characters[at + k]
    year_codes, distinct_packed = pd.factorize(packed)
    one_of_each = np.empty(len(distinct_packed), dtype=np.int64)
    one_of_each[year_codes] = at
    distinct_years = [joined[i:i + 4] for i in one_of_each.tolist()]
    relative_words = np.array([m.span() for m in RELATIVE.finditer(joined)], dtype=np.int64).reshape(-1, 2)
    relative = np.searchsorted(relative_words[:, 1], high, "right") > np.searchsorted(relative_words[:, 0], low, "left")
    # each row's years: those found from its quote's start to its cut
    first, last = np.searchsorted(at, low, "left"), np.searchsorted(at, high, "left")
    ids = np.full(len(codes), named.id_of(frozenset()), dtype=np.int64)
    one = np.flatnonzero(last - first == 1)
    if len(one):
        ids[one] = np.array([named.id_of(frozenset([year])) for year in distinct_years], dtype=np.int64)[year_codes[first[one]]]
    many = np.flatnonzero(last - first > 1)
    if len(many):
        spans = {(a, b) for a, b in zip(first[many].tolist(), last[many].tolist(), strict=True)}
        id_of = {span: named.id_of(frozenset(distinct_years[code] for code in year_codes[span[0]:span[1]].tolist())) for span in spans}
        ids[many] = [id_of[span] for span in zip(first[many].tolist(), last[many].tolist(), strict=True)]
    # texts whose cut may split what a pattern reads (by the character before the cut): read by themselves
    cut_short = np.flatnonzero(cut > 0)
    ending = characters[high[cut_short] - 1]
    unsafe = np.zeros(int(ending.max(initial=0)) + 1, dtype=bool)  # per character (a few distinct ones end the cut texts)
    for c in np.flatnonzero(np.bincount(ending)).tolist():
        unsafe[c] = chr(c).isspace() or chr(c).isdecimal() or chr(c) in "年水"
    reread = cut_short[unsafe[ending]]
    if len(reread):
        ids[reread], relative[reread] = _cut_years(named, distinct, codes[reread], cut[reread])
    return ids, relative


def _cut_years(named: _NamedYears, distinct: list[str], codes: np.ndarray, cut: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_quote_years of rows (their quote's code, where it is cut), each distinct text read by itself."""
    texts = [distinct[c][:e] for c, e in zip(codes.tolist(), cut.tolist(), strict=True)]
    return named.of(texts), np.array([bool(RELATIVE.search(text)) for text in texts], dtype=bool)


def _paragraph_years(ctx: Context, named: _NamedYears, documents: pd.Series, starts: np.ndarray) -> np.ndarray:
    """Per figure (its document, the raw offset where it starts): the id of the set of years the
    sentence before it names, within its source line (a paragraph is a line in these sources): a
    year named sentences earlier dates other figures. No year when the figure was not found (start < 0).
    The sources are read in batches of about a million characters, joined by a line break (no sentence
    runs across it): a batch's sentence ends, line breaks and 年 are found once, and every figure's
    sentence start by one sorted search (a dozen numpy calls a batch, not a document: 5,000 sources at
    1 M); only a sentence holding a 年 is read (every year named is followed by 年)."""
    ids = np.full(len(starts), named.id_of(frozenset()), dtype=np.int64)
    codes, names = pd.factorize(documents)
    raws = {code: source.raw for code, name in enumerate(names.tolist()) if (source := ctx.dataset.sources.get(name)) is not None}
    order = np.argsort(codes, kind="stable")  # the figures by document: a document's are order[first[code]:first[code + 1]]
    first = np.searchsorted(codes[order], np.arange(len(names) + 1))
    present = np.array(sorted(raws), dtype=np.int64)
    lengths = np.array([len(raws[code]) + 1 for code in present.tolist()], dtype=np.int64)  # (each with its line break)
    offsets = np.cumsum(lengths) - lengths  # where each source starts were they all joined
    for part in np.split(np.arange(len(present)), np.flatnonzero(np.diff(offsets // _BATCH)) + 1) if len(present) else []:
        batch = present[part]
        text = "\n".join(raws[code] for code in batch.tolist())
        counts = first[batch + 1] - first[batch]
        rows = order[np.repeat(first[batch] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))]
        at = np.repeat(offsets[part] - offsets[part[0]], counts) + starts[rows]  # where each figure starts in the batch's text
        characters = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        breaks = np.flatnonzero(np.take(_SENTENCE_BREAKS, characters))  # (take: a third faster than indexing)
        before = np.searchsorted(breaks, at, side="left")  # breaks before the figure
        begins = np.where(before > 0, breaks[np.maximum(before - 1, 0)] + 1, 0) if len(breaks) else np.zeros_like(at)  # (a text of one line, unended)
        years = np.flatnonzero(characters == ord("年"))
        dated = (starts[rows] >= 0) & (np.searchsorted(years, at, "left") > np.searchsorted(years, begins, "left"))
        if dated.any():
            ids[rows[dated]] = named.of([text[begin:start] for begin, start in zip(begins[dated].tolist(), at[dated].tolist(), strict=True)])
    return ids


# characters of sources _paragraph_years reads at once: its arrays stay under 4 MB (numpy asks the kernel for huge
# pages for larger ones, fresh each time): at 1 M, 1 << 22 took 0.167 s, 1 << 19 0.104 s
_BATCH = 1 << 19
