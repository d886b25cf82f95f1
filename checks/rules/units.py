"""units: printed units fit the catalogue unit; notation of units in tables."""

import re

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.grammar import APPROX_WORDS, NEUTRAL_WORDS, REACH_WORDS

COUNT_NOUNS = ("天数", "个数", "次数", "人数", "家数", "数量", "件数")
VERBS = re.compile("(" + "|".join(sorted(NEUTRAL_WORDS + REACH_WORDS + APPROX_WORDS, key=len, reverse=True)) + ")$")


@rule("units.wrong-dimension", "error")
def wrong_dimension(ctx: Context) -> Outcome:
    """A printed unit that does not convert to the indicator's catalogue unit.

    Fires when the unit printed with a figure (or in its table header) measures something else
    than the indicator: 万千瓦 for an area, % for an amount in 亿元. Does not fire for magnitude
    words (万千瓦 and 千瓦 convert) or for a change printed in % or 个百分点.
    """
    printed = ctx.obs[~ctx.obs["unit_assumed"]]
    # dimensions a figure may carry: the catalogue's; a change may also be relative (%) and, on a
    # share, in percentage points — tested for every row at once, only failures formatted
    dimension, catalogue = printed["unit_dimension"], printed["catalogue_dimension"]
    allowed = (dimension == catalogue) | (printed["is_change"] & ((dimension == "share") | ((dimension == "share_difference") & (catalogue == "share"))))
    violations = [
        Violation(f"{r.value_printed!r} is printed in {r.unit_printed or r.cell_unit!r} ({r.unit_dimension}), but {r.indicator_name} is measured in {r.catalogue_unit} ({r.catalogue_dimension})",
                  (r.id,), {"printed_unit": r.unit_printed or r.cell_unit, "catalogue_unit": r.catalogue_unit})
        for r in printed[~allowed].itertuples(index=False)]
    return Outcome(len(printed), violations)


@rule("units.repeated-in-cell", "warning")
def repeated_in_cell(ctx: Context) -> Outcome:
    """A table cell that repeats a unit its header already declares.

    Fires on `96%` in a column headed (%): a notation inconsistency that usually means the cell
    was typed differently from its neighbours (and may have been meant as a different figure).
    Does not fire in running text, where the unit belongs with the number.
    """
    table = ctx.obs[(ctx.obs["section"] == "table") & (ctx.obs["unit_printed"] != "")]
    bad = table[table["cell_unit"] != ""]
    return Outcome(len(table), [
        Violation(f"cell {r.value_printed!r} repeats the unit {r.unit_printed!r} that its header already declares", (r.id,))
        for r in bad.itertuples(index=False)])


@rule("units.count-as-share", "error")
def count_as_share(ctx: Context) -> Outcome:
    """A figure named for a count (天数, 个数) that is printed as a share (%).

    Fires when the words right before the figure in its quote end in a count noun (优良天数 98%)
    while the unit is %. Does not fire when the name says it is a share (优良天数比例 98.6%).
    """
    shares = ctx.obs[(ctx.obs["unit_dimension"] == "share") & ~ctx.obs["is_change"]]
    # only a quote holding a count noun at all can name its figure for a count: the others are passed at once
    candidates = shares[shares["quote"].str.contains("|".join(COUNT_NOUNS), regex=True)]
    spans = candidates["id"].map(ctx.located_by_id["figure_in_quote"])
    violations = []
    for r, span in zip(candidates.itertuples(index=False), spans):
        if not span:
            continue
        before = VERBS.sub("", re.sub(r"[\s，,：:、]+$", "", r.quote[: span[0]]))
        noun = next((n for n in COUNT_NOUNS if before.endswith(n)), None)
        if noun:
            violations.append(Violation(f"{r.value_printed!r} is a share, but the figure is named for a count ({noun})", (r.id,)))
    return Outcome(len(shares), violations)
