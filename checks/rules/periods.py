"""periods: the periods of a series in order, and no figure dated after its document.

(A period range printed backwards, `2025-2020`, is rejected when the tables are loaded: the
observations schema reads it as a typo, never a period, so no rule sees one.)
"""

from __future__ import annotations

import re

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
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
    return pd.to_numeric(as_of.str[:4], errors="coerce")


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
NOT_THE_FIGURES_YEAR = re.compile(r"(?:比|较|与|同|相比|对比|低于|高于|超过|超出|恢复到|恢复至)\s*$")
LEVEL_OF_A_YEAR = re.compile(r"\s*水平")  # 超过2019年水平: a year's level as a point of comparison
SENTENCE_ENDS = "。！？；!?;"
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
            if not NOT_THE_FIGURES_YEAR.search(before[: m.start()]) and not LEVEL_OF_A_YEAR.match(before, m.end())}


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
    obs = ctx.obs.loc[ctx.obs["section"] == "text", ["id", "document", "quote", "value_printed", "year_start", "year", "line", "period_key"]]
    # the years each distinct quote names before its figure (the last occurrence of the value)
    quotes = obs[["quote", "value_printed"]].drop_duplicates()
    before = {(q, v): str(q)[: max(str(q).rfind(str(v)), 0)] for q, v in zip(quotes["quote"].tolist(), quotes["value_printed"].tolist(), strict=False)}
    in_quote = {key: frozenset(years_named(text)) for key, text in before.items()}
    relative = {key: bool(RELATIVE.search(text)) for key, text in before.items()}
    keys = list(zip(obs["quote"].tolist(), obs["value_printed"].tolist(), strict=False))
    named = pd.Series([in_quote[k] for k in keys], index=obs.index, dtype=object)
    relative_only = pd.Series([relative[k] and not in_quote[k] for k in keys], index=obs.index, dtype=bool)
    # else the years its paragraph names before it, once per distinct place in a source
    bare = obs[(named.map(len) == 0) & ~relative_only]
    if len(bare):
        starts = ctx.located_by_id.loc[bare["id"], "figure_start"].astype(int).to_numpy()
        places = pd.DataFrame({"document": bare["document"].to_numpy(), "start": starts}, index=bare.index)
        distinct = places.drop_duplicates()
        sentences = {(d, s): _paragraph_before(ctx, d, s) for d, s in zip(distinct["document"].tolist(), distinct["start"].tolist(), strict=True)}
        years_of = {text: frozenset(years_named(text)) for text in set(sentences.values())}  # once per distinct sentence
        paragraph = {place: years_of[text] for place, text in sentences.items()}
        named[bare.index] = [paragraph[(d, s)] for d, s in zip(places["document"].tolist(), places["start"].tolist(), strict=True)]
    has_year = (named.map(len) > 0) & ~relative_only
    decided = obs[has_year]
    within = [any(start <= int(y) <= end for y in years)
              for start, end, years in zip(decided["year_start"].tolist(), decided["year"].tolist(), named[has_year].tolist(), strict=False)]
    bad = decided[~pd.Series(within, index=decided.index, dtype=bool)]
    reasons = {"the sentence dates the figure relative to the document (今年, 上半年)": int(relative_only.sum()),
               "no year named in the quote or its paragraph": int((~has_year & ~relative_only).sum())}
    return Outcome(len(decided), [
        Violation(f"{r.value_printed!r} (line {r.line}) is entered for {r.period_key}, but its sentence names "
                  f"{', '.join(sorted(named[i]))}: {r.quote}", (r.id,), {"period": r.period_key, "named": sorted(named[i])})
        for i, r in zip(bad.index, bad.itertuples(index=False), strict=False)],
        sum(reasons.values()), {k: v for k, v in reasons.items() if v})


def _paragraph_before(ctx: Context, document: str, start: int) -> str:
    """The sentence before a figure that starts at raw offset `start`, within its source line (a
    paragraph is a line in these sources): a year named sentences earlier dates other figures.
    Empty when the figure was not found (start < 0)."""
    source = ctx.dataset.sources.get(document)
    if source is None or start < 0:
        return ""
    line_start = source.raw.rfind("\n", 0, start) + 1
    return source.raw[max(line_start, *(source.raw.rfind(mark, line_start, start) + 1 for mark in SENTENCE_ENDS)):start]
