"""units: printed units fit the catalogue unit; notation of units in tables."""

import re

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.grammar import APPROX_WORDS, NEUTRAL_WORDS, REACH_WORDS
from checks.locator import located
from checks.pairs import dimensions, per_distinct

COUNT_NOUNS = ("天数", "个数", "次数", "人数", "家数", "数量", "件数")
COUNT_NOUN = re.compile("|".join(COUNT_NOUNS))
COUNT_MARK = "数"  # every count noun holds it: a quote without it names no count (110 of 481 k share quotes at 1 M hold it)
if not all(COUNT_MARK in noun for noun in COUNT_NOUNS):
    raise RuntimeError("units: a count noun without COUNT_MARK")
VERBS = re.compile("(" + "|".join(sorted(NEUTRAL_WORDS + REACH_WORDS + APPROX_WORDS, key=len, reverse=True)) + ")$")


@rule("units.wrong-dimension", "error")
def wrong_dimension(ctx: Context) -> Outcome:
    """A printed unit that does not convert to the indicator's catalogue unit.

    Fires when the unit printed with a figure (or in its table header) measures something else
    than the indicator: 万千瓦 for an area, % for an amount in 亿元. Does not fire for magnitude
    words (万千瓦 and 千瓦 convert) or for a change printed in % or 个百分点.
    """
    obs = ctx.obs
    printed = ~obs["unit_assumed"]
    # dimensions a figure may carry: the catalogue's; a change may also be relative (%) and, on a
    # share, in percentage points — tested for every row at once, only failures read and formatted
    dimension, catalogue = dimensions(ctx)["unit"], dimensions(ctx)["catalogue"]
    allowed = (dimension == catalogue) | (obs["is_change"] & ((dimension == "share") | ((dimension == "share_difference") & (catalogue == "share"))))
    bad = obs.loc[printed & ~allowed, ["id", "value_printed", "unit_printed", "cell_unit", "unit_dimension", "indicator_name", "catalogue_unit",
                                       "catalogue_dimension"]]
    violations = [
        Violation(f"{r.value_printed!r} is printed in {r.unit_printed or r.cell_unit!r} ({r.unit_dimension}), "
                  f"but {r.indicator_name} is measured in {r.catalogue_unit} ({r.catalogue_dimension})",
                  (r.id,), {"printed_unit": r.unit_printed or r.cell_unit, "catalogue_unit": r.catalogue_unit})
        for r in bad.itertuples(index=False)]
    return Outcome(int(printed.sum()), violations)


@rule("units.repeated-in-cell", "warning")
def repeated_in_cell(ctx: Context) -> Outcome:
    """A table cell that repeats a unit its header already declares.

    Fires on `96%` in a column headed (%): a notation inconsistency that usually means the cell
    was typed differently from its neighbours (and may have been meant as a different figure).
    Does not fire in running text, where the unit belongs with the number.
    """
    table = (ctx.obs["section"] == "table") & (ctx.obs["unit_printed"] != "")
    bad = ctx.obs.loc[table & (ctx.obs["cell_unit"] != ""), ["id", "value_printed", "unit_printed"]]
    return Outcome(int(table.sum()), [
        Violation(f"cell {r.value_printed!r} repeats the unit {r.unit_printed!r} that its header already declares", (r.id,))
        for r in bad.itertuples(index=False)])


@rule("units.count-as-share", "error")
def count_as_share(ctx: Context) -> Outcome:
    """A figure named for a count (天数, 个数) that is printed as a share (%).

    Fires when the words right before the figure in its quote end in a count noun (优良天数 98%)
    while the unit is %. Does not fire when the name says it is a share (优良天数比例 98.6%).
    """
    shares = np.flatnonzero(((dimensions(ctx)["unit"] == "share") & ~ctx.obs["is_change"]).to_numpy())
    # only a quote holding a count noun at all can name its figure for a count: the others are passed at once
    # (searched for a noun only when they hold COUNT_MARK)
    quotes = ctx.obs["quote"].to_numpy()[shares].tolist()
    holding = np.array([i for i, quote in enumerate(quotes) if COUNT_MARK in quote and COUNT_NOUN.search(quote)], dtype=np.int64)
    candidates = ctx.obs[["id", "quote", "value_printed"]].take(shares[holding])
    spans = located(ctx, "figure_in_quote")[shares[holding]]
    violations = []
    for r, span in zip(candidates.itertuples(index=False), spans, strict=False):
        if not span:
            continue
        before = VERBS.sub("", re.sub(r"[\s，,：:、]+$", "", r.quote[: span[0]]))
        noun = next((n for n in COUNT_NOUNS if before.endswith(n)), None)
        if noun:
            violations.append(Violation(f"{r.value_printed!r} is a share, but the figure is named for a count ({noun})", (r.id,)))
    return Outcome(len(shares), violations)


# A unit printed at the end of a row label: 森林覆盖率(%), 活立木蓄积量（亿立方米）.
UNIT_IN_LABEL = re.compile(r"[（(]\s*([^（）()]+?)\s*[）)]\s*$")


def label_dimensions(ctx: Context, labels: pd.Series) -> pd.Series:
    """The dimension of the unit a row label ends with (None when it prints none), resolved once
    per distinct label."""
    table = ctx.dataset.unit_table

    def dimension(label: str):
        match = UNIT_IN_LABEL.search(label)
        unit = table.resolve(match.group(1)) if match else None
        return unit.dimension if unit else None
    labels = labels.astype("str")  # a categorical would map to a categorical, not comparable with another
    return labels.map({label: dimension(label) for label in pd.unique(labels.to_numpy())})


@rule("units.subrow-against-group", "warning")
def subrow_against_group(ctx: Context) -> Outcome:
    """A table sub-row whose unit measures something else than the unit its group's header declares.

    Reads the row label and the group label recorded for each table cell (observation columns
    row_label and row_group, as printed). Fires when both end with a unit and the units have
    different dimensions: a sub-row 一次性消费品人均使用量（千克） under 绿色产品市场占有率（%）. Does
    not fire when the units convert (亿元 under 万元), nor when either label prints no unit
    (undecided). One finding per printed row, pointing at its line.
    """
    cells = ctx.obs.loc[(ctx.obs["section"] == "table") & (ctx.obs["row_group"] != "") & (ctx.obs["row_label"] != ""),
                        ["document", "line", "row_group", "row_label", "id"]]
    rows = cells.groupby(["document", "line", "row_group", "row_label"], sort=False)["id"].agg(tuple).reset_index()
    rows = rows.assign(dimension=label_dimensions(ctx, rows["row_label"]), group_dimension=label_dimensions(ctx, rows["row_group"]))
    decided = rows[rows["dimension"].notna() & rows["group_dimension"].notna()]
    bad = decided[decided["dimension"] != decided["group_dimension"]]
    undecided = len(rows) - len(decided)
    return Outcome(len(decided), [
        Violation(f"row {r.row_label!r} (line {r.line} of {r.document}) is measured in {r.dimension}, but its group "
                  f"{r.row_group!r} declares {r.group_dimension}", tuple(r.id), {"row_label": r.row_label, "row_group": r.row_group},
                  document=r.document, line=int(r.line), key="subrow_unit")
        for r in bad.itertuples(index=False)], undecided, {"the row or its group prints no unit": undecided} if undecided else {})


@rule("units.missing-unit", "warning")
def missing_unit(ctx: Context) -> Outcome:
    """A share or rate printed with no unit at all, where the figure's meaning depends on it.

    Fires on ≥98 for a coverage rate whose row prints no (%) and whose cell has none, while the
    catalogue says the indicator is a share or rate. Does not fire when the unit is printed in the
    cell, the sentence or the row or column header (unit_printed), nor on changes (a price index
    103 is read on base 100), nor on figures without a number.
    """
    obs = ctx.obs
    # positions judged on columns; the rows' text is taken for the failures only
    figures = np.flatnonzero((obs["numeric"] & ~obs["is_change"] & obs["quantity"].isin(["share", "rate"])).to_numpy())
    digits = per_distinct(obs["value_printed"].take(figures), lambda values: values.str.contains(r"[0-9０-９]", regex=True))
    figures = figures[digits.to_numpy()]  # 基本消除 prints no number
    unitless = ((obs["unit_printed"] == "") & (obs["cell_unit"] == "")).to_numpy()
    bad = obs[["id", "value_printed", "line", "unit_printed", "cell_unit", "indicator_name", "quantity", "catalogue_unit"]].take(figures[unitless[figures]])
    return Outcome(len(figures), [
        Violation(f"{r.value_printed!r} (line {r.line}) prints no unit, but {r.indicator_name} is a {r.quantity} in {r.catalogue_unit}",
                  (r.id,), {"catalogue_unit": r.catalogue_unit})
        for r in bad.itertuples(index=False)])
