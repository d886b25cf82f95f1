"""Pairs of observations for the rules that compare two figures, built as dataframe merges
(never a Python loop over pairs) and bounded by key.

- `keyed_join`: each row of one frame with each row of another of the same key (same-figure,
  part-whole, derived, growth, outcomes); the second frame's columns carry a prefix.
- `earlier_pairs` / `latest_earlier`: each row with every (the latest) earlier row of its series
  (targets, plausibility).
- `ordered_pairs`: every pair of rows of one frame within a key, each pair once (a before b by id).

A key group whose pairs would outnumber `[limits] max_pairs_per_key` is left out of the join
and recorded on the context (`Context.oversized`); the engine reports each one as a finding and
an undecided comparison of the rule that paired it, so a hostile or broken dataset costs a
finding, never a huge allocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from checks.engine import Context


@dataclass(frozen=True)
class OversizedGroup:
    """A key group left unpaired: `left` × `right` rows would exceed the limit."""

    key: tuple[str, ...]  # the key values, as text
    columns: tuple[str, ...]
    left: int
    right: int


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
    year; the earlier row's columns carry the prefix b_."""
    pairs = earlier_pairs(ctx, later, earlier, series)
    return pairs[pairs["b_year"] == pairs.groupby("id")["b_year"].transform("max")]


def _bounded(ctx: Context, left: pd.DataFrame, right: pd.DataFrame, left_on: list[str], right_on: list[str]):
    limit = ctx.settings.max_pairs_per_key
    if len(left) * len(right) <= limit:  # no group can be over the limit: skip the counting
        return left, right
    sizes = left.groupby(left_on, dropna=False).size().rename("left").to_frame().join(
        right.groupby(right_on, dropna=False).size().rename("right").rename_axis(left_on), how="inner")
    over = sizes[sizes["left"] * sizes["right"] > limit]
    if over.empty:
        return left, right
    for key, row in over.iterrows():  # one entry per oversized group, never per pair
        values = key if isinstance(key, tuple) else (key,)
        ctx.oversized.append(OversizedGroup(tuple(str(v) for v in values), tuple(left_on), int(row["left"]), int(row["right"])))
    drop = over.index
    keep_left = ~pd.MultiIndex.from_frame(left[left_on]).isin(drop) if len(left_on) > 1 else ~left[left_on[0]].isin(drop)
    keep_right = ~pd.MultiIndex.from_frame(right[right_on]).isin(drop) if len(right_on) > 1 else ~right[right_on[0]].isin(drop)
    return left[keep_left], right[keep_right]
