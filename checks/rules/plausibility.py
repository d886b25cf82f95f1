"""plausibility: changes too large to take on trust, for a person to confirm."""

from __future__ import annotations

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.rules.targets import baseline_pairs, comparable, latest_earlier

SERIES = ["indicator", "region", "scope"]


def _consecutive_actuals(ctx: Context) -> pd.DataFrame:
    """Each status figure with the previous year's status figure of the same series (any document)."""
    obs = ctx.obs[(ctx.obs["role_class"] == "status") & ctx.obs["numeric"] & ~ctx.obs["cumulative"]]
    obs = obs[obs["period_key"].str.len() == 4].sort_values("year")
    cols = ["id", *SERIES, "year", "kind", "value", "value_printed", "quantity", "numeric", "cumulative", "direction", "lower", "upper", "converted"]
    return latest_earlier(obs[cols], obs[cols], SERIES)


@rule("plausibility.large-jump", "warning")
def large_jump(ctx: Context) -> Outcome:
    """A change so large between two figures that a person should confirm it.

    Compares each target with its baseline, and each status figure with the latest earlier one of
    the same series. Fires when the larger value exceeds the smaller by more than
    `max_ratio_share` (shares and rates) or `max_ratio_other` (counts, levels, amounts): a share of
    20.25 becoming ≥60 in four years. A warning, never an error: big programmes do happen.
    """
    pairs, undecided = comparable(baseline_pairs(ctx), need_direction=False)
    both = pd.concat([pairs.assign(what="target against baseline"), _consecutive_actuals(ctx).assign(what="consecutive figures")], ignore_index=True)
    both = both[(both["value"] > 0) & (both["b_value"] > 0)]
    both = both[both["kind"].isin(["point", "floor", "ceiling", "approx", "range"])]
    ratio = both[["value", "b_value"]].max(axis=1) / both[["value", "b_value"]].min(axis=1)
    ctx_settings = ctx.settings
    limit = both["quantity"].isin(["share", "rate"]).map({True: ctx_settings.max_ratio_share, False: ctx_settings.max_ratio_other})
    bad = both[ratio > limit]
    return Outcome(len(both), [
        Violation(f"{p.b_value_printed!r} ({p.b_year}) → {p.value_printed!r} ({p.year}): a factor of {ratio[i]:.2f} ({p.what}); please confirm",
                  (p.b_id, p.id), {"ratio": float(ratio[i]), "limit": float(limit[i])})
        for i, p in zip(bad.index, bad.itertuples(index=False))], sum(undecided.values()), undecided)
