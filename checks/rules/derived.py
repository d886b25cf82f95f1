"""derived: figures that imply other figures must imply them consistently.

Shares imply their whole (part ÷ share), a margin in 个百分点 is the difference of two rates, and
a change over a period links the figures at its two ends.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.intervals import divide, fmt, meets, subtract
from checks.pairs import dimensions, join_keys, key_groups, keyed_join, ordered_pairs, role_side, rows, rows_at, stacked

PLACE = ["region", "scope", "period_key", "role_class", "cumulative"]


@per_run
def implied_totals(ctx: Context) -> pd.DataFrame:
    """Each share with its part in the same place and period: the whole it implies (total_low,
    total_high). Where the share and the part stand in the parsed frame (at, p_at): their ids and
    what a message prints of them are read for the failures only (`printed_at`)."""
    obs, numeric = ctx.obs, ctx.obs["numeric"].to_numpy()
    share = numeric & ((obs["share_part"] != "") & (obs["share_whole"] != "") & (dimensions(ctx)["unit"] == "share")).to_numpy()
    shares = obs.loc[share, ["lower", "upper", "share_part", "share_whole", *PLACE]].assign(at=np.flatnonzero(share))
    joined = keyed_join(ctx, shares, _figures(ctx), ["share_part", *PLACE], ["indicator", *PLACE], prefix="p_",
                        columns=(["lower", "upper", "at", "share_part", "share_whole", *PLACE], ["lower", "upper", "at"]))
    low, high = divide(joined["p_lower"], joined["p_upper"], joined["lower"] / 100, joined["upper"] / 100)
    return joined.assign(total_low=low, total_high=high)


def _figures(ctx: Context) -> pd.DataFrame:
    """The figures with a number, with the columns the implied totals' rules read (never every column)
    and where each stands in the parsed frame (at): a share's part, or a total printed. Taken by each
    rule again: kept per run, the 1 M-row frame raised check all's peak at 1 M by 38 MB, for 0.02 s."""
    at = np.flatnonzero(ctx.obs["numeric"].to_numpy())
    return rows_at(ctx.obs, at, ["lower", "upper", "indicator", *PLACE]).assign(at=at)


def printed_at(ctx: Context, column: str, at) -> list:
    """The `column` of the parsed frame's rows at positions `at`, as Python values."""
    return ctx.obs[column].take(np.asarray(at, dtype=np.int64)).tolist()


@rule("derived.implied-totals-disagree", "error")
def implied_totals_disagree(ctx: Context) -> Outcome:
    """Shares of one total that imply different totals (or a total other than the one printed).

    479万千瓦 = 62.84% and 367万千瓦 = 48.15% of the same total imply 762.3 and 762.2: consistent.
    Fires when two implied totals, or an implied and a printed total of the same place and period,
    do not meet within printed precision (plus `derived_relative`). A typo in one figure shows here
    when no single figure looks wrong.
    """
    implied = implied_totals(ctx)
    obs = _figures(ctx)
    shares, whole_of = join_keys(obs, implied, ["indicator", *PLACE], ["share_whole", *PLACE])
    printed = obs[pd.Series(shares).isin(whole_of).to_numpy()]  # the figures printed for a total some share implies (one hash table)
    # only what pairing and comparing read; which figures and how printed, for the failures only
    candidates = pd.DataFrame({"whole": stacked([implied["share_whole"], printed["indicator"]]),
                               **{c: stacked([implied[c], printed[c]]) for c in PLACE},
                               "low": stacked([implied["total_low"], printed["lower"]]), "high": stacked([implied["total_high"], printed["upper"]]),
                               "id": np.arange(len(implied) + len(printed))})
    # every two candidates for the same total in the same place; only the totals where two might disagree are paired
    kept, total = key_groups(ctx, candidates, ["whole", *PLACE])
    sizes = np.bincount(total)
    disputed = _disputed(total, kept["low"].to_numpy(dtype=float), kept["high"].to_numpy(dtype=float))
    pairs = ordered_pairs(ctx, kept[disputed[total]], ["whole", *PLACE], columns=["id", "low", "high"])  # (id: where a candidate stands)
    bounds = [pairs[c].abs().to_numpy(dtype=float) for c in ["low", "high", "b_low", "b_high"]]
    finite = [np.where(np.isfinite(b), b, np.nan) for b in bounds]
    scale = np.fmax(np.fmax(finite[0], finite[1]), np.fmax(finite[2], finite[3]))  # the largest finite bound (NaN if none)
    bad = pairs[~meets(pairs["low"], pairs["high"], pairs["b_low"], pairs["b_high"], slack=scale * ctx.settings.derived_relative)]
    bad = bad.sort_values(["id", "b_id"])
    bad = bad.assign(whole=candidates["whole"].take(bad["id"].to_numpy()).to_numpy())
    ids, labels = _described(ctx, implied, printed, np.unique(bad[["id", "b_id"]].to_numpy()))
    names = implied_names(ctx, bad["whole"])
    interval = lru_cache(maxsize=None)(fmt)  # a total is in several failing pairs (1,147 distinct intervals in 6,034 at 1 M)
    return Outcome(int((sizes * (sizes - 1) // 2).sum()), [  # every two candidates of a total (their ids, positions, differ)
        Violation(f"{labels[r.id]} implies {interval(r.low, r.high)} but {labels[r.b_id]} gives {interval(r.b_low, r.b_high)} "
                  f"for the same total ({names[r.whole]})",
                  tuple(sorted(set(ids[r.id] + ids[r.b_id]))),
                  {"totals": [{"from": labels[r.id], "interval": [r.low, r.high]}, {"from": labels[r.b_id], "interval": [r.b_low, r.b_high]}]})
        for r in rows(bad[["id", "b_id", "whole", "low", "high", "b_low", "b_high"]])])


def _disputed(total: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Per total (numbered from 0): might two of its candidates fail to meet? Not when every bound is
    finite and the largest lower bound is not above the smallest upper one: then each interval meets
    every other, whatever the slack (it is never negative). 550 of 83,640 totals at 1 M."""
    count = int(total.max(initial=-1)) + 1
    largest_low, smallest_high = np.full(count, -np.inf), np.full(count, np.inf)
    np.maximum.at(largest_low, total, low)
    np.minimum.at(smallest_high, total, high)
    unbounded = np.bincount(total, weights=~(np.isfinite(low) & np.isfinite(high)), minlength=count) > 0
    return unbounded | ~(largest_low <= smallest_high)


def _described(ctx: Context, implied: pd.DataFrame, printed: pd.DataFrame, at: np.ndarray) -> tuple[dict[int, tuple], dict[int, str]]:
    """The candidates at positions `at` (the implied totals first, then the printed ones): the
    figures each stands for, and how it is printed (part ÷ share, or the printed total)."""
    mine, theirs = at[at < len(implied)], at[at >= len(implied)]
    shares, totals = implied.iloc[mine], printed.iloc[theirs - len(implied)]
    share_ids, part_ids, total_ids = printed_at(ctx, "id", shares["at"]), printed_at(ctx, "id", shares["p_at"]), printed_at(ctx, "id", totals["at"])
    ids = {**dict(zip(mine.tolist(), zip(share_ids, part_ids, strict=True), strict=True)),
           **dict(zip(theirs.tolist(), ((i,) for i in total_ids), strict=True))}
    of_shares = zip(printed_at(ctx, "value_printed", shares["p_at"]), printed_at(ctx, "value_printed", shares["at"]), strict=True)
    labels = {**dict(zip(mine.tolist(), (f"{part} ÷ {share}" for part, share in of_shares), strict=True)),
              **dict(zip(theirs.tolist(), printed_at(ctx, "value_printed", totals["at"]), strict=True))}
    return ids, labels


def implied_names(ctx: Context, wholes: pd.Series) -> dict[str, str]:
    """The catalogue's name of each total (its id when it has none)."""
    distinct = pd.Series(pd.unique(wholes.to_numpy()))
    return dict(zip(distinct.tolist(), distinct.map(ctx.dataset.indicators.set_index("id")["name"]).fillna(distinct).tolist(), strict=True))


@rule("derived.implied-total", "info", opt_in=True)
def implied_total(ctx: Context) -> Outcome:
    """A total that a share and its part imply, carried as evidence.

    Reported once per share and part (479万千瓦 at 62.84% → a total of about 762.3万千瓦), so an
    auditor can compare it with figures the dataset does not hold. Opt-in because it states no
    problem and grows with the dataset: a province's dataset has one per share (a quarter of its
    figures), which buried every real finding; totals that disagree are
    derived.implied-totals-disagree, on by default.
    """
    implied = implied_totals(ctx)
    implied = pd.DataFrame({"id": printed_at(ctx, "id", implied["at"]), "p_id": printed_at(ctx, "id", implied["p_at"]),
                            "value_printed": printed_at(ctx, "value_printed", implied["at"]),
                            "p_value_printed": printed_at(ctx, "value_printed", implied["p_at"]),
                            "p_catalogue_unit": printed_at(ctx, "catalogue_unit", implied["p_at"]), "share_whole": implied["share_whole"],
                            "whole_name": implied["share_whole"].map(implied_names(ctx, implied["share_whole"])),
                            "total_low": implied["total_low"], "total_high": implied["total_high"]})
    interval = lru_cache(maxsize=None)(fmt)  # one finding per share and part, but a third as many distinct totals
    return Outcome(len(implied), [
        Violation(f"{r.p_value_printed} at {r.value_printed} implies {r.whole_name} of {interval(r.total_low, r.total_high)} ({r.p_catalogue_unit})",
                  (r.id, r.p_id), {"implied": {"indicator": r.share_whole, "name": r.whole_name, "interval": [r.total_low, r.total_high]}})
        for r in rows(implied)])


@rule("derived.difference-mismatch", "error")
def difference_mismatch(ctx: Context) -> Outcome:
    """A margin in percentage points that is not the difference of the two rates it relates.

    "增长20.2%，高于全省平均11.4个百分点" with the province's 8.8% elsewhere: 20.2 − 8.8 = 11.4,
    consistent. Uses the catalogue's minuend / subtrahend columns; compares the same region, scope
    and period, on the same side (an actual margin with actual rates, a target margin with target
    rates: never an actual margin with the targets set for its year). Fires when the difference of the two intervals does not meet the margin's.
    """
    numeric = ctx.obs["numeric"].to_numpy()
    key = ["region", "scope", "period_key", "side"]  # an actual margin against actual rates, a target one against targets
    # the rows selected by masks of the whole frame, each with only the columns read: where each figure stands (at); its id
    # and how it is printed are read for the failures only
    margin = numeric & ((ctx.obs["minuend"] != "") & (ctx.obs["subtrahend"] != "")).to_numpy()
    margins = ctx.obs.loc[margin, ["lower", "upper", "minuend", "subtrahend", *key[:-1], "role"]].assign(at=np.flatnonzero(margin))
    # the two rates; an amount of the same indicator is not one
    # the rates of an indicator some margin relates (the others pair with none), before any column is taken
    related = ctx.obs["indicator"].isin(margins["minuend"].unique()) | ctx.obs["indicator"].isin(margins["subtrahend"].unique())
    rate = numeric & (dimensions(ctx)["unit"] == "share").to_numpy() & related.to_numpy()
    obs = ctx.obs.loc[rate, ["lower", "upper", "indicator", *key[:-1], "role"]].assign(at=np.flatnonzero(rate))
    margins, obs = margins.assign(side=role_side(margins["role"])), obs.assign(side=role_side(obs["role"]))
    joined = keyed_join(ctx, margins, obs, ["minuend", *key], ["indicator", *key], prefix="m_",
                        columns=(["lower", "upper", "at", "subtrahend", *key], ["lower", "upper", "at"]))  # what the second pairing and the rule read
    joined = keyed_join(ctx, joined, obs, ["subtrahend", *key], ["indicator", *key], prefix="s_",
                        columns=(["lower", "upper", "at", "m_lower", "m_upper", "m_at"], ["lower", "upper", "at"]))
    low, high = subtract(joined["m_lower"], joined["m_upper"], joined["s_lower"], joined["s_upper"])
    bad = joined.assign(low=low, high=high)[~meets(low, high, joined["lower"], joined["upper"])]  # compared at once; only failures formatted
    ids = {side: printed_at(ctx, "id", bad[f"{side}at"]) for side in ("", "m_", "s_")}
    shown = {side: printed_at(ctx, "value_printed", bad[f"{side}at"]) for side in ("", "m_", "s_")}
    return Outcome(len(joined), [
        Violation(f"{printed!r} should equal {minuend!r} − {subtrahend!r} = {fmt(r.low, r.high)}",
                  figures, {"difference": [float(r.low), float(r.high)], "printed": [r.lower, r.upper]})
        for r, figures, printed, minuend, subtrahend in zip(rows(bad[["low", "high", "lower", "upper"]]), zip(*ids.values(), strict=True), *shown.values(),
                                                             strict=True)])


@rule("derived.change-mismatch", "error")
def change_mismatch(ctx: Context) -> Outcome:
    """A change over a period that does not link the figures printed at its two ends.

    For a change with a period "A-B" (较“十三五”末提高6个百分点 → 2020-2023): the figure at B minus
    the change must meet the figure at A (percentage points on a share, or an absolute change in the
    indicator's own unit), or B ÷ (1 + change) must (a % change on an amount). Fires only when all three figures are printed; otherwise the rule
    counts the change as undecided.
    """
    series = ["indicator", "region", "scope"]
    obs, numeric = ctx.obs, ctx.obs["numeric"].to_numpy()
    # the rows selected by masks of the whole frame, each with only the columns read: where each figure stands (at); its id
    # and how it is printed are read for the failures only
    change = numeric & ((obs["role"] == "change") & (obs["year_start"] < obs["year"])).to_numpy()
    dimension = dimensions(ctx).loc[change].set_axis(["unit_dimension", "catalogue_dimension"], axis=1)  # categoricals: compared as codes
    changes = pd.concat([obs.loc[change, ["lower", "upper", *series, "year", "year_start"]], dimension], axis=1).assign(at=np.flatnonzero(change))
    # the status figures of an indicator some change is of (the others pair with none), before any column is taken
    stated = numeric & (obs["role_class"] == "status").to_numpy() & obs["indicator"].isin(pd.unique(changes["indicator"].to_numpy())).to_numpy()
    status = obs.loc[stated, ["lower", "upper", *series, "year"]].assign(at=np.flatnonzero(stated))
    ends = keyed_join(ctx, changes, status, series, prefix="e_", equal=(["year"], ["year"]),  # each change with the figures at its end
                      columns=([*changes.columns], ["lower", "upper", "at"]))
    starts = keyed_join(ctx, ends, status, series, prefix="s_", equal=(["year_start"], ["year"]),  # and at its start
                        columns=(["lower", "upper", "at", "year", "year_start", "unit_dimension", "catalogue_dimension", "e_lower", "e_upper", "e_at"],
                                 ["lower", "upper", "at"]))
    # the end minus an absolute change (points on a share, or the indicator's own unit); B ÷ (1 + a % change) on an amount;
    # a % change of a share (relative or in points?) stays undecided
    absolute = (starts["unit_dimension"] == "share_difference") | (
        (starts["unit_dimension"] == starts["catalogue_dimension"]) & (starts["catalogue_dimension"] != "share"))
    relative = ~absolute & (starts["unit_dimension"] == "share") & (starts["catalogue_dimension"] != "share")
    minus_low, minus_high = subtract(starts["e_lower"], starts["e_upper"], starts["lower"], starts["upper"])
    over_low, over_high = divide(starts["e_lower"], starts["e_upper"], 1 + starts["lower"] / 100, 1 + starts["upper"] / 100)
    decided = starts.assign(low=minus_low.where(absolute, over_low), high=minus_high.where(absolute, over_high))[absolute | relative]
    checked = len(decided)
    bad = decided[~meets(decided["low"], decided["high"], decided["s_lower"], decided["s_upper"])]
    ids = zip(*(printed_at(ctx, "id", bad[f"{side}at"]) for side in ("", "e_", "s_")), strict=True)
    change, end, start = (printed_at(ctx, "value_printed", bad[f"{side}at"]) for side in ("", "e_", "s_"))
    violations = [Violation(
        f"{printed_end!r} ({r.year}) with a change of {printed_change!r} implies {fmt(r.low, r.high)} for {r.year_start}, "
        f"but {printed_start!r} is printed",
        figures, {"implied_start": [float(r.low), float(r.high)], "printed_start": [r.s_lower, r.s_upper]})
        for r, figures, printed_change, printed_end, printed_start in zip(rows(bad[["year", "year_start", "low", "high", "s_lower", "s_upper"]]),
                                                                          ids, change, end, start, strict=True)]
    # undecided counts changes, never pairings: a change whose end is printed twice (two documents) pairs twice
    paired, compared = changes["at"].isin(starts["at"]), changes["at"].isin(decided["at"])
    reasons = {"the figure at one end is not printed": int((~paired).sum()),
               "a % change of a share (relative or in points?)": int((paired & ~compared).sum())}
    reasons = {k: v for k, v in reasons.items() if v}
    return Outcome(checked, violations, sum(reasons.values()), reasons)
