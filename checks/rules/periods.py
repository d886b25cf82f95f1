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
from checks.locator import by_id
from checks.pairs import SERIES, keyed_join, role_side, with_as_of


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


def _as_of_year(as_of: pd.Series) -> pd.Series:
    """The year of each as-of date (NaN where none is read), read once per distinct date (one a document)."""
    codes, dates = pd.factorize(as_of)
    years = pd.to_numeric(pd.Series(dates).str[:4], errors="coerce").to_numpy(dtype=float)
    return pd.Series(np.where(codes >= 0, years[np.maximum(codes, 0)] if len(years) else np.nan, np.nan), index=as_of.index)


@rule("periods.status-after-as-of", "error")
def status_after_as_of(ctx: Context) -> Outcome:
    """A baseline or actual dated after the document that prints it.

    Fires on an actual for 2024 in a report dated 2023-04, or a baseline for 2023 in a plan dated
    2022: a document cannot state what a later year was. Does not fire on a figure of the as-of
    year itself (a report of 2024 on 2024), nor on targets, which look ahead on purpose.
    """
    obs = with_as_of(ctx)[["id", "document", "role", "value_printed", "period_key", "year_start", "as_of"]]  # never every column of the status rows
    status = obs[role_side(obs["role"]) == "status"]
    year = _as_of_year(status["as_of"])
    dated = status[year.notna()]
    bad = dated[dated["year_start"] > year[year.notna()]]
    undated = len(status) - len(dated)
    return Outcome(len(dated), [
        Violation(f"{r.role} {r.value_printed!r} is dated {r.period_key}, after its document {r.document} (as of {r.as_of})", (r.id,),
                  {"period": r.period_key, "as_of": r.as_of})
        for r in bad.itertuples(index=False)], undated, {"document has no as-of date": undated} if undated else {})


# 表102023年: table 10 of 2023; 2022年度森林督查 names a programme's year, not the figure's
YEAR_NAMED = re.compile(r"(?:(?<![\d.])|(?<=表\d)|(?<=表\d\d))((?:19|20)\d{2})\s*年(?!度)")
RELATIVE = re.compile(r"今年|本年|当年|去年|上年|前年|上半年|下半年|季度|同期")  # a year said relative to the document
# A year named as a point of comparison or a starting point is not the year of the figure after it.
# (the words a year's text before it ends with, white space aside)
NOT_THE_FIGURES_YEAR = ("比", "较", "与", "同", "相比", "对比", "低于", "高于", "超过", "超出", "恢复到", "恢复至")
LEVEL_OF_A_YEAR = re.compile(r"\s*水平")  # 超过2019年水平: a year's level as a point of comparison
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
    text = (ctx.obs["section"] == "text").to_numpy()
    obs = ctx.obs.loc[text, ["id", "document", "quote", "value_printed", "year_start", "year", "line", "period_key"]]
    named = _NamedYears()
    # the years each distinct quote names before its figure (the last occurrence of the value)
    pair, quotes, values = _distinct(obs["quote"], obs["value_printed"])
    before = [str(q)[: max(str(q).rfind(str(v)), 0)] for q, v in zip(quotes, values, strict=True)]
    named_by = named.of(before)[pair]  # per row: the id of its set of years
    relative_only = np.array([bool(RELATIVE.search(text)) for text in before], dtype=bool)[pair] & (named.sizes()[named_by] == 0)
    # else the years its paragraph names before it, once per distinct place in a source
    bare = np.flatnonzero((named.sizes()[named_by] == 0) & ~relative_only)
    if len(bare):
        starts = by_id(ctx.obs, ctx.located, "figure_start").astype(np.int64)[np.flatnonzero(text)[bare]]
        place, documents, places = _distinct(obs["document"].to_numpy()[bare], starts)
        sentences = _sentences_before(ctx, documents, np.asarray(places, dtype=np.int64))
        named_by[bare] = named.of(sentences)[place]
    has_year = (named.sizes()[named_by] > 0) & ~relative_only
    decided = obs[has_year]
    within = named.any_within(named_by[has_year], decided["year_start"].to_numpy(dtype=np.int64), decided["year"].to_numpy(dtype=np.int64))
    bad = decided[~within]
    reasons = {"the sentence dates the figure relative to the document (今年, 上半年)": int(relative_only.sum()),
               "no year named in the quote or its paragraph": int((~has_year & ~relative_only).sum())}
    return Outcome(len(decided), [
        Violation(f"{r.value_printed!r} (line {r.line}) is entered for {r.period_key}, but its sentence names "
                  f"{', '.join(sorted(years))}: {r.quote}", (r.id,), {"period": r.period_key, "named": sorted(years)})
        for years, r in zip(named.sets_of(named_by[has_year][~within]), bad.itertuples(index=False), strict=True)],
        sum(reasons.values()), {k: v for k, v in reasons.items() if v})


def _distinct(first, second) -> tuple[np.ndarray, list, list]:
    """(per row the index of its distinct pair, the distinct firsts, the distinct seconds)."""
    left, lefts = pd.factorize(np.asarray(first), use_na_sentinel=False)  # (each column hashed once: a MultiIndex factorize is 7x slower)
    right, rights = pd.factorize(np.asarray(second), use_na_sentinel=False)
    width = max(len(rights), 1)
    codes, pairs = pd.factorize(left.astype(np.int64) * width + right)
    return codes, lefts[pairs // width].tolist(), rights[pairs % width].tolist()


class _NamedYears:
    """The distinct sets of years texts name (years_named), each text read once; a set is known
    by its id."""

    BASE = 1 << 20  # (years packed with their set's id: id * BASE + year)

    def __init__(self) -> None:
        self.sets: list[frozenset[str]] = []
        self._ids: dict[frozenset[str], int] = {}
        self._of_text: dict[str, int] = {}

    def of(self, texts: list[str]) -> np.ndarray:
        """The id of the set of years each text names."""
        for text in set(texts) - self._of_text.keys():
            years = frozenset(years_named(text))
            known = self._of_text[text] = self._ids.setdefault(years, len(self._ids))
            if known == len(self.sets):
                self.sets.append(years)
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


def _sentences_before(ctx: Context, documents: list, starts: np.ndarray) -> list[str]:
    """Per place (a document, the raw offset where a figure starts): the sentence before the
    figure, within its source line (a paragraph is a line in these sources): a year named
    sentences earlier dates other figures. Empty when the figure was not found (start < 0). Each
    source's sentence ends and line breaks are found once, and every place's sentence start by
    one sorted search."""
    codes, names = pd.factorize(np.asarray(documents, dtype=object))
    order = np.argsort(codes, kind="stable")
    sentences = [""] * len(starts)
    for rows in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1) if len(order) else []:
        source = ctx.dataset.sources.get(names[codes[rows[0]]])
        if source is None:
            continue
        raw, at = source.raw, starts[rows]
        breaks = np.flatnonzero(_SENTENCE_BREAKS[np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)])
        before = np.searchsorted(breaks, at, side="left")  # breaks before the figure
        begins = np.where(before > 0, breaks[np.maximum(before - 1, 0)] + 1, 0)
        for row, start, begin in zip(rows.tolist(), at.tolist(), begins.tolist(), strict=True):
            sentences[row] = raw[begin:start] if start >= 0 else ""
    return sentences
