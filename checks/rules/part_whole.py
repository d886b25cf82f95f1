"""part-whole: a part cannot exceed its whole, in regions and in sub-categories."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.intervals import exceeds, fmt
from checks.pairs import judged, keyed_join, numeric_among, rows_at, widened

SAME_FIGURE = ["scope", "period_key", "role_class", "cumulative"]
COLUMNS = ["id", "indicator", "region", "lower", "upper", "value_printed", "numeric", "additive", "parent_indicator", "indicator_name", *SAME_FIGURE]


def ancestors(regions: pd.DataFrame) -> pd.DataFrame:
    """(region, ancestor) for every region and every region above it."""
    parent = dict(zip(regions["id"], regions["parent"], strict=False))
    rows = []
    for region in parent:
        above = parent[region]
        while above:
            rows.append((region, above))
            above = parent.get(above, "")
    return pd.DataFrame(rows, columns=["region", "ancestor"])


def levels(ctx: Context, columns: list[str] = COLUMNS) -> pd.DataFrame:
    """Figures of a level (status or target): a sub-category's growth rate may well exceed its
    category's, so changes are never compared as parts and wholes. Their `columns` and their
    positions in the parsed frame (`at`)."""
    at = np.flatnonzero(~ctx.obs["is_change"].to_numpy())
    return rows_at(ctx.obs, at, columns).assign(at=at)


def _outcome(ctx: Context, pairs: pd.DataFrame, describe) -> Outcome:
    pairs = judged(ctx.obs, pairs, ["lower", "upper", "numeric"], "w_")
    decided, undecided, reasons = numeric_among(pairs, "w_")
    bad = widened(ctx.obs, pairs[decided & exceeds(pairs["lower"], pairs["w_upper"]).to_numpy()], COLUMNS, "w_")  # what a message prints, for the failures only
    return Outcome(int(decided.sum()), [
        Violation(describe(p) + f": {p.value_printed!r} {fmt(p.lower, p.upper)} > {p.w_value_printed!r} {fmt(p.w_lower, p.w_upper)}",
                  (p.id, p.w_id), {"part": {"id": p.id, "interval": [p.lower, p.upper]}, "whole": {"id": p.w_id, "interval": [p.w_lower, p.w_upper]}})
        for p in bad.itertuples(index=False)], undecided, reasons)


@rule("part-whole.region-exceeds-parent", "error")
def region_exceeds_parent(ctx: Context) -> Outcome:
    """A region's figure larger than the same figure of a region that contains it.

    For additive indicators only (capacity, loans, counts, areas): a county cannot exceed its
    city, a city its province, for the same period, scope and role. Does not fire for shares,
    rates or concentrations (a county may be cleaner than its city), nor across different years.
    """
    obs = levels(ctx, ["indicator", "region", "additive", *SAME_FIGURE])
    # the ancestor a categorical: paired with the parsed frame's categorical regions through their categories, not row by row as text;
    # the region one of the same categories (regions no figure is of left out): merged on codes (0.04 -> 0.02 s at 1 M)
    above = ancestors(ctx.dataset.regions)
    above = above[above["region"].isin(obs["region"].cat.categories)].astype({"region": obs["region"].dtype, "ancestor": "category"})
    additive = obs[obs["additive"]].merge(above, on="region")
    pairs = keyed_join(ctx, additive, obs, ["indicator", "ancestor", *SAME_FIGURE], ["indicator", "region", *SAME_FIGURE], prefix="w_", columns=["at"])
    return _outcome(ctx, pairs, lambda p: f"{p.indicator_name} of {p.region} exceeds that of {p.w_region}")


@rule("part-whole.subcategory-exceeds-category", "error")
def subcategory_exceeds_category(ctx: Context) -> Outcome:
    """A sub-category larger than its category (混凝土装配式 > 装配式, 新能源 > 可再生能源).

    Uses the catalogue's parent column; compares the same region, scope, period and role. Does not
    fire across regions or years, nor on growth rates (a sub-category may grow faster).
    """
    obs = levels(ctx, ["indicator", "region", "parent_indicator", *SAME_FIGURE])
    children = obs[obs["parent_indicator"] != ""]
    pairs = keyed_join(ctx, children, obs, ["parent_indicator", "region", *SAME_FIGURE], ["indicator", "region", *SAME_FIGURE], prefix="w_",
                       columns=["at"])
    return _outcome(ctx, pairs, lambda p: f"{p.indicator_name} exceeds its category {p.w_indicator_name}")
