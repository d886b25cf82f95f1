"""Pairs of observations for the rules that compare two figures, built as dataframe merges
(never a Python loop over pairs) and bounded by key.

- `role_side`: a target aims, every other role states what was; figures pair only on one side.
- `keyed_join`: each row of one frame with each row of another of the same key (same-figure,
  part-whole, derived, growth, outcomes); the second frame's columns carry a prefix.
- `earlier_pairs` / `latest_earlier`: each row with every (the latest) earlier row of its series
  (targets, plausibility).
- `ordered_pairs`: every pair of rows of one frame within a key, each pair once (a before b by id).
- `baseline_pairs` / `target_pairs`: each target with the latest status figure known before it,
  and with every earlier target of its series (targets, plausibility); `comparable` and
  `numeric_pairs` split off the pairs a comparison cannot decide, with the reason.

A key group whose pairs would outnumber `[limits] max_pairs_per_key` is left out of the join,
and so are the largest remaining groups while the join as a whole would exceed its budget
(`[limits] max_pairs_per_observation` per observation of the dataset); each is recorded on the
context (`Context.oversized`); the engine reports each one as a finding and
an undecided comparison of the rule that paired it, so a hostile or broken dataset costs a
finding, never a huge allocation.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from checks.engine import Context, per_run

# A series: one indicator in one region and scope, over the years.
SERIES = ["indicator", "region", "scope"]
COLUMNS = ["id", "document", "as_of", *SERIES, "year", "kind", "trend", "lower", "upper", "value", "cumulative", "direction",
           "quantity", "value_printed", "numeric", "unit_id", "converted", "role", "section", "line", "quote"]
KEYS = ["id", "document", "as_of", *SERIES, "year", "role"]  # what pairing a target with an earlier figure reads


@dataclass(frozen=True)
class OversizedGroup:
    """A key group left unpaired: `left` × `right` rows would exceed the limit."""

    key: tuple[str, ...]  # the key values, as text
    columns: tuple[str, ...]
    left: int
    right: int
    limit: str = "max_pairs_per_key"  # the [limits] setting that left it out (max_pairs_per_key or max_pairs_per_observation)


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of `frame` as named tuples of Python values, like `itertuples(index=False)`, but
    each column turned into a list once: iterating a string or categorical column element by
    element through pandas costs a call per value, the largest part of formatting many findings."""
    row = namedtuple("Row", [str(c) for c in frame.columns], rename=True)  # type: ignore[misc]
    return map(row._make, zip(*(frame.iloc[:, k].tolist() for k in range(frame.shape[1])), strict=True))


def role_side(role: pd.Series) -> pd.Series:
    """What each figure states: "aim" for a target, "status" for what was (baseline, actual,
    change). Figures of one period relate only on the same side: an actual margin is the
    difference of two actual rates, never of the targets set for the same year."""
    return role.where(role != "target", "aim").where(role == "target", "status")


def keyed_join(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str] | None = None,
               prefix: str = "b_") -> pd.DataFrame:
    """Rows of `left` with the rows of `right` whose key matches; `right`'s columns carry `prefix`.
    Key groups over the limit are dropped and recorded on the context."""
    right_on = right_on or left_on
    left, right = _bounded(ctx, left, right, left_on, right_on)
    return left.merge(right.add_prefix(prefix), left_on=left_on, right_on=[f"{prefix}{c}" for c in right_on])


def ordered_pairs(ctx: Context, obs: pd.DataFrame, key: list[str], prefix: str = "b_") -> pd.DataFrame:
    """Every pair of rows of `obs` with the same key, once (the row with the smaller id first)."""
    joined = keyed_join(ctx, obs, obs, key, prefix=prefix)
    return joined[joined["id"] < joined[f"{prefix}id"]]


def earlier_pairs(ctx: Context, later: pd.DataFrame, earlier: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """Each row of `later` with every row of `earlier` in the same series and an earlier year;
    the earlier row's columns carry the prefix b_."""
    pairs = keyed_join(ctx, later, earlier, series)
    return pairs[pairs["b_year"] < pairs["year"]]


def latest_earlier(ctx: Context, later: pd.DataFrame, earlier: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """Each row of `later` with the latest row(s) of `earlier` in the same series and an earlier
    year; the earlier row's columns carry the prefix b_. The latest earlier year of each row is
    found by one sort of both frames' (series, year), then only the rows of that year are joined:
    never every earlier row of the series (16 a series in the benchmark: 7 pairs a row, for 1 kept).
    Key groups over the limits are left out and recorded as by keyed_join."""
    later, earlier = _bounded(ctx, later, earlier, series, series)
    latest = _latest_earlier_year(later[[*series, "year"]], earlier[[*series, "year"]], series)
    keyed = later.assign(_latest=latest)[latest != NO_YEAR]
    prefixed = earlier.add_prefix("b_")
    pairs = keyed.merge(prefixed, left_on=[*series, "_latest"], right_on=[*(f"b_{c}" for c in series), "b_year"])
    return pairs.drop(columns="_latest")


NO_YEAR = -(1 << 62)


def _latest_earlier_year(later: pd.DataFrame, earlier: pd.DataFrame, series: list[str]) -> np.ndarray:
    """Per row of `later`: the latest year of `earlier` in its series before its own, NO_YEAR if none."""
    codes = pd.concat([later[series], earlier[series]], ignore_index=True).groupby(series, sort=False, dropna=False).ngroup().to_numpy()
    years = np.concatenate([later["year"].to_numpy(dtype=np.int64), earlier["year"].to_numpy(dtype=np.int64)])
    is_earlier = np.concatenate([np.zeros(len(later), dtype=bool), np.ones(len(earlier), dtype=bool)])
    # by series, then year; a later row before the earlier rows of its own year, so only strictly earlier years precede it
    order = np.lexsort((is_earlier, years, codes))
    codes, years, is_earlier = codes[order], years[order], is_earlier[order]
    last = np.maximum.accumulate(np.where(is_earlier, np.arange(len(order)), -1))  # the last earlier row so far
    found = (last >= 0) & (codes[np.maximum(last, 0)] == codes)
    latest = np.where(found, years[np.maximum(last, 0)], NO_YEAR)
    result = np.empty(len(order), dtype=np.int64)
    result[order] = latest
    return result[: len(later)]


def pairing_budget(ctx: Context) -> int:
    """The most pairs one pairing may make: [limits] max_pairs_per_observation for each observation
    of the dataset, and never less than one key group may make (max_pairs_per_key)."""
    return max(ctx.settings.max_pairs_per_key, ctx.settings.max_pairs_per_observation * len(ctx.obs))


def _bounded(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str]):
    """`left` and `right` without the key groups left out: each group over max_pairs_per_key, then,
    while the pairing as a whole would exceed its budget, the largest groups left (many groups just
    under the per-key limit must not add up to an allocation of gigabytes either)."""
    per_key, budget = ctx.settings.max_pairs_per_key, pairing_budget(ctx)
    if len(left) * len(right) <= min(per_key, budget):  # no group, nor all of them, can be over a limit: skip the counting
        return left, right
    sizes = left.groupby(left_on, dropna=False).size().rename("left").to_frame().join(
        right.groupby(right_on, dropna=False).size().rename("right").rename_axis(left_on), how="inner")
    sizes["pairs"] = sizes["left"] * sizes["right"]
    over_key = sizes[sizes["pairs"] > per_key]
    rest = sizes[sizes["pairs"] <= per_key].sort_values("pairs", ascending=False, kind="stable")
    # the largest groups first, as long as what would remain is over the budget
    over_budget = rest[rest["pairs"].sum() - (rest["pairs"].cumsum() - rest["pairs"]) > budget]
    if over_key.empty and over_budget.empty:
        return left, right
    for over, limit in ((over_key, "max_pairs_per_key"), (over_budget, "max_pairs_per_observation")):
        for key, row in over.iterrows():  # one entry per group left out, never per pair
            values = key if isinstance(key, tuple) else (key,)
            ctx.oversized.append(OversizedGroup(tuple(str(v) for v in values), tuple(left_on), int(row["left"]), int(row["right"]), limit))
    drop = over_key.index.append(over_budget.index)
    keep_left = ~pd.MultiIndex.from_frame(left[left_on]).isin(drop) if len(left_on) > 1 else ~left[left_on[0]].isin(drop)
    keep_right = ~pd.MultiIndex.from_frame(right[right_on]).isin(drop) if len(right_on) > 1 else ~right[right_on[0]].isin(drop)
    return left[keep_left], right[keep_right]


# --- the series pairings the target and plausibility rules share (computed once per run) ---

@per_run
def with_as_of(ctx: Context) -> pd.DataFrame:
    """The observations with their document's as-of date (`YYYY` or `YYYY-MM`, compared as text)."""
    as_of = ctx.dataset.documents.set_index("id")["as_of"]
    return ctx.obs.assign(as_of=ctx.obs["document"].map(as_of).fillna(""))


def known_by(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs whose earlier figure was printed no later than the target (as-of dates)."""
    return pairs[pairs["b_as_of"] <= pairs["as_of"]]


@per_run
def baseline_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with the latest earlier baseline of its own document, and with the latest
    earlier status figure (baseline or actual, any section or document printed by the target's
    as-of date). Columns of the earlier figure carry the prefix b_; a pair found both ways once."""
    obs = with_as_of(ctx)
    keys = obs[KEYS]  # paired on these few columns; the pairs get every column once, at the end
    targets = keys[keys["role"] == "target"]
    own = latest_earlier(ctx, targets, keys[keys["role"] == "baseline"], ["document", *SERIES])
    status = keys[keys["role"].isin(["baseline", "actual"])]
    known = known_by(earlier_pairs(ctx, targets, status, SERIES))
    latest = known[known["b_year"] == known.groupby("id")["b_year"].transform("max")]
    # one latest figure per target: its own document's first, then the first by id
    anywhere = latest.assign(other=latest["b_document"] != latest["document"]).sort_values(["id", "other", "b_id"]).drop_duplicates("id")
    ids = pd.concat([own[["id", "b_id"]], anywhere[["id", "b_id"]]], ignore_index=True).drop_duplicates()
    return widened(obs, ids)


@per_run
def target_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with every earlier target of its series printed by its as-of date."""
    obs = with_as_of(ctx)
    targets = obs.loc[obs["role"] == "target", KEYS]
    return widened(obs, known_by(earlier_pairs(ctx, targets, targets, SERIES))[["id", "b_id"]])


def widened(obs: pd.DataFrame, ids: pd.DataFrame, columns: list[str] = COLUMNS) -> pd.DataFrame:
    """Pairs of ids (`id`, `b_id`) with the `columns` of both observations (the earlier one's
    prefixed b_), in the order of `ids`: a wide frame built once, after pairing on the few key
    columns, never carried through every step of the pairing."""
    wide = obs[columns]
    pairs = ids.merge(wide, on="id").merge(wide.add_prefix("b_"), on="b_id")
    return pairs[[*columns, *(f"b_{c}" for c in columns)]].reset_index(drop=True)


def comparable(pairs: pd.DataFrame, need_direction: bool = True) -> tuple[pd.DataFrame, dict[str, int]]:
    """Pairs a numeric comparison can decide, and why the others cannot. Whether a change is
    better or worse needs a direction; how large it is does not (need_direction=False)."""
    reasons = {
        "no better direction": (pairs["direction"] == "none") & need_direction,
        "target or baseline has no number (delegated, qualitative, state, —)": ~(pairs["numeric"] & pairs["b_numeric"]),
        "a five-year cumulative figure against a one-year value": pairs["cumulative"] != pairs["b_cumulative"],
        "units that do not convert": ~(pairs["converted"] & pairs["b_converted"]),
    }
    undecided = pd.Series(False, index=pairs.index)
    counts = {}
    for reason, mask in reasons.items():
        new = mask & ~undecided
        if new.any():
            counts[reason] = int(new.sum())
        undecided |= mask
    return pairs[~undecided], counts


def numeric_pairs(pairs: pd.DataFrame, prefix: str, reason: str = "one side has no number") -> tuple[pd.DataFrame, int, dict[str, int]]:
    """The pairs whose two sides both have a number (the other side's columns carry `prefix`),
    how many do not, and that count under `reason` (empty when none)."""
    decided = pairs[pairs["numeric"] & pairs[f"{prefix}numeric"]]
    undecided = len(pairs) - len(decided)
    return decided, undecided, ({reason: undecided} if undecided else {})
