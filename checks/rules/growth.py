"""growth: a level and its change imply the previous year's level, which another document may print;
an average annual growth (年均增长) over a period must agree with the period's endpoints.

L(Y) with a relative growth g(Y) in % implies L(Y−1) = L(Y) / (1 + g); with an absolute change
Δ(Y) in the level's own unit (增加888万吨, 多增38万人, 提高0.94个百分点 on a share) it implies
L(Y−1) = L(Y) − Δ. A growth of a price-dependent level (money) is a ratio of levels only when it is
nominal: a real growth (按不变价格, 扣除价格因素) or one whose basis is not printed cannot be
checked against nominal levels and is undecided, never passed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, meets
from checks.pairs import dimensions, keyed_join, per_distinct

SERIES = ["indicator", "region", "scope", "cumulative"]
PRICE_DIMENSIONS = {"money", "money_usd", "money_per_person"}  # a level in money moves with prices
YEAR = r"^[12][0-9]{3}$"


def implied_previous(ctx: Context) -> pd.DataFrame:
    """Each level with a change of the same document, series and year, the previous year's level
    the two imply (p_lower, p_upper, for year `previous`), and why it cannot be implied (`reason`,
    empty when it can)."""
    keys = ["document", "period_key", *SERIES]
    columns = [*keys, "id", "value_printed", "lower", "upper", "line", "unit_dimension", "catalogue_dimension", "basis"]
    obs = ctx.obs.assign(basis=ctx.obs.get("basis", ""))
    yearly = per_distinct(obs["period_key"], lambda keys: keys.astype(str).str.match(YEAR)) & obs["numeric"]
    changes = yearly & (obs["role"] == "change")
    levels = yearly & (obs["role_class"] == "status") & changes.any()  # without a yearly change nothing is implied: no level is read
    pairs = keyed_join(ctx, obs.loc[levels, columns], obs.loc[changes, columns], keys, prefix="c_")
    absolute = (pairs["c_unit_dimension"] == pairs["catalogue_dimension"]) | (
        (pairs["catalogue_dimension"] == "share") & (pairs["c_unit_dimension"] == "share_difference"))
    relative = ~absolute & (pairs["c_unit_dimension"] == "share") & (pairs["catalogue_dimension"] != "share")
    price = pairs["catalogue_dimension"].isin(PRICE_DIMENSIONS)
    bounded = np.isfinite(pairs[["lower", "upper", "c_lower", "c_upper"]].astype(float)).all(axis=1)
    reason = pd.Series("", index=pairs.index, dtype=object)
    reason[~bounded] = "an open interval (以上, 以下) on either side"
    reason[~absolute & ~relative] = "a change in another unit than its level"
    reason[relative & price & (pairs["c_basis"] == "")] = "growth basis not printed for a level in money"
    reason[relative & price & (pairs["c_basis"] == "real")] = "real growth against nominal levels"
    growth_low, growth_high = 1 + pairs["c_lower"] / 100, 1 + pairs["c_upper"] / 100
    return pairs.assign(
        reason=reason,
        p_lower=np.where(absolute, pairs["lower"] - pairs["c_upper"], pairs["lower"] / growth_high),
        p_upper=np.where(absolute, pairs["upper"] - pairs["c_lower"], pairs["upper"] / growth_low),
        previous=(pairs["period_key"].astype(str).astype(int) - 1).astype(str))


@rule("growth.implied-previous-level", "warning")
def implied_previous_level(ctx: Context) -> Outcome:
    """A previous year's level that disagrees with the one a later level and its growth imply.

    Fires when a document prints L(Y) and its change (增产1.3%, 增加888万吨) and another figure
    of year Y−1 (another document's actual, or its own) lies outside the implied interval: the
    figure was revised (restated) or one of the three is wrong; the finding names both documents.
    Does not fire within printed precision (69541万吨 增产1.3% against 1.37万亿斤 for the year
    before). A real growth against nominal money levels, or an unprinted basis, is undecided.
    """
    implied = implied_previous(ctx)
    if implied.empty:  # no level with a change of its year: nothing to compare
        return Outcome(0, [])
    earlier = ctx.obs.loc[(ctx.obs["role_class"] == "status") & ctx.obs["numeric"],
                          ["id", "document", "line", "value_printed", "period_key", "lower", "upper", *SERIES]]
    compared = keyed_join(ctx, implied, earlier, ["previous", *SERIES], ["period_key", *SERIES], prefix="e_")
    undecided = compared[compared["reason"] != ""]
    compared = compared[compared["reason"] == ""]
    bad = compared[~meets(compared["p_lower"], compared["p_upper"], compared["e_lower"], compared["e_upper"])]
    return Outcome(len(compared), [
        Violation(f"{p.value_printed!r} with {p.c_value_printed!r} for {p.period_key} ({p.document} line {p.line}) imply "
                  f"{fmt(p.p_lower, p.p_upper)} for {p.previous}, but {p.e_document} line {p.e_line} prints {p.e_value_printed!r} "
                  f"{fmt(p.e_lower, p.e_upper)}: a restatement or an error",
                  (p.id, p.c_id, p.e_id), {"implied": [p.p_lower, p.p_upper], "printed": [p.e_lower, p.e_upper]})
        for p in bad.itertuples(index=False)], len(undecided), undecided["reason"].value_counts().to_dict())


PERIOD = r"^[12][0-9]{3}-[12][0-9]{3}$"


@rule("growth.average-annual", "warning")
def average_annual(ctx: Context) -> Outcome:
    """An average annual growth (年均增长) over a period that its endpoints do not give.

    A rate g over the period Y1–Y2 (n = Y2 − Y1 + 1 years) printed as 年均 must agree with the
    levels printed for Y1 − 1 and Y2: (L(Y2) / L(Y1−1))^(1/n) − 1, within printed precision.
    Fires on 年均增长8.2% for 2018-2022 when the levels of 2017 and 2022 give 5%. Does not fire
    within rounding; a real growth, or an unprinted basis, of a level in money is undecided.
    """
    obs = ctx.obs
    rated = (obs["role"] == "change") & obs["numeric"] & obs["average_annual"] & (dimensions(ctx)["unit"] == "share")  # 年均 / 年平均, read by the grammar
    rated &= per_distinct(obs["period_key"], lambda keys: keys.astype(str).str.match(PERIOD))
    if not rated.any():  # no average annual growth: no level is read
        return Outcome(0, [])
    obs = obs.assign(basis=obs.get("basis", ""))
    rates = obs[rated]
    rates = rates.assign(first=(rates["year_start"] - 1).astype(str), last=rates["year"].astype(str),
                         years=rates["year"] - rates["year_start"] + 1)
    levels = obs.loc[(obs["role_class"] == "status") & obs["numeric"], ["id", "document", "line", "value_printed", "period_key", "lower", "upper", *SERIES]]
    pairs = keyed_join(ctx, rates, levels, ["first", *SERIES], ["period_key", *SERIES], prefix="s_")
    pairs = keyed_join(ctx, pairs, levels, ["last", *SERIES], ["period_key", *SERIES], prefix="e_")
    price = pairs["catalogue_dimension"].isin(PRICE_DIMENSIONS) & (pairs["basis"] != "nominal")
    bounded = np.isfinite(pairs[["lower", "upper", "s_lower", "s_upper", "e_lower", "e_upper"]].astype(float)).all(axis=1)
    undecided = pairs[price | ~bounded]
    reasons = {}
    if (price).sum():
        reasons["real or unprinted growth basis for a level in money"] = int(price.sum())
    if (~bounded & ~price).sum():
        reasons["an open interval (以上, 以下) on either side"] = int((~bounded & ~price).sum())
    pairs = pairs[~price & bounded]
    with np.errstate(divide="ignore", invalid="ignore"):
        low = 100 * ((pairs["e_lower"] / pairs["s_upper"]) ** (1 / pairs["years"]) - 1)
        high = 100 * ((pairs["e_upper"] / pairs["s_lower"]) ** (1 / pairs["years"]) - 1)
    pairs = pairs.assign(i_lower=low, i_upper=high)
    bad = pairs[~meets(pairs["lower"], pairs["upper"], pairs["i_lower"], pairs["i_upper"])]
    return Outcome(len(pairs), [
        Violation(f"{p.value_printed!r} for {p.period_key} ({p.document} line {p.line}) but {p.s_value_printed!r} for {p.first} "
                  f"({p.s_document} line {p.s_line}) and {p.e_value_printed!r} for {p.last} ({p.e_document} line {p.e_line}) "
                  f"give {fmt(p.i_lower, p.i_upper)} % a year",
                  (p.id, p.s_id, p.e_id), {"printed": [p.lower, p.upper], "from_endpoints": [p.i_lower, p.i_upper]})
        for p in bad.itertuples(index=False)], len(undecided), reasons)
