"""plausibility: changes too large to take on trust, for a person to confirm."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.pairs import SERIES, baseline_pairs, comparable, latest_earlier, rows, widened

COLUMNS = ["id", "document", "section", "quote", *SERIES, "year", "kind", "value", "value_printed", "quantity", "numeric", "cumulative",
           "direction", "lower", "upper", "converted"]


def _consecutive_actuals(ctx: Context) -> pd.DataFrame:
    """Each status figure with the previous year's status figure of the same series (any document)."""
    obs = ctx.obs.loc[(ctx.obs["role_class"] == "status") & ctx.obs["numeric"] & ~ctx.obs["cumulative"], [*COLUMNS, "period_key"]]
    obs = obs[obs["period_key"].str.len() == 4]
    keys = obs[["id", *SERIES, "year"]].sort_values("year")  # paired on the keys; the pairs get the COLUMNS of both sides once, at the end
    return widened(obs, latest_earlier(ctx, keys, keys, SERIES)[["id", "b_id"]], COLUMNS)


def narrated(pairs: pd.DataFrame) -> pd.Series:
    """The sentence states the change itself: both figures in the text of one document, one quote
    printing the other figure (从356家增长到近7000家). The quotes are read only for pairs of one
    document's text."""
    same = (pairs["section"] == "text") & (pairs["b_section"] == "text") & (pairs["document"] == pairs["b_document"])
    told = np.zeros(len(pairs), dtype=bool)
    texts = pairs.loc[same, ["value_printed", "quote", "b_value_printed", "b_quote"]]
    told[same.to_numpy(dtype=bool)] = np.array([str(b) in str(q) or str(v) in str(bq) for v, q, b, bq in rows(texts)], dtype=bool)
    return pd.Series(told, index=pairs.index, dtype=bool)


@rule("plausibility.large-jump", "warning")
def large_jump(ctx: Context) -> Outcome:
    """A change so large between two figures that a person should confirm it.

    Compares each target with the figure before it, and each status figure with the latest earlier
    one of the same series. Fires when the larger value exceeds the smaller by more than
    `max_ratio_share` (shares and rates) or `max_ratio_other` (counts, levels, amounts) per
    `ratio_years` years — a share of 20.25 becoming ≥60 in four years. Over a longer span the
    limit compounds per year (×2 per five years allows ×8 over fifteen: 6.2 → ≥15 from 2020 to 2035
    does not fire). Does not fire when the sentence itself narrates the change (从356家增长到近7000家:
    the document states it, so it is context, not a doubt). A warning, never an error.
    """
    pairs, undecided = comparable(baseline_pairs(ctx), need_direction=False)
    both = pd.concat([pairs.assign(what="target against the figure before it"), _consecutive_actuals(ctx).assign(what="consecutive figures")],
                     ignore_index=True)
    both = both[(both["value"] > 0) & (both["b_value"] > 0)]
    both = both[both["kind"].isin(["point", "floor", "ceiling", "approx", "range"])]
    settings = ctx.settings
    ratio = both[["value", "b_value"]].max(axis=1) / both[["value", "b_value"]].min(axis=1)
    years = (both["year"] - both["b_year"]).clip(lower=1).astype(float)
    per_period = both["quantity"].isin(["share", "rate"]).map({True: settings.max_ratio_share, False: settings.max_ratio_other}).astype(float)
    limit = per_period ** np.maximum(1.0, years / settings.ratio_years)
    jumps = both[ratio > limit]
    bad = jumps[~narrated(jumps)]  # only a jump over the limit is read for a sentence narrating it
    return Outcome(len(both), [
        Violation(f"{p.b_value_printed!r} ({p.b_year}) → {p.value_printed!r} ({p.year}): a factor of {ratio[i]:.2f} in {int(years[i])} year(s), "
                  f"above the {limit[i]:.2f} allowed ({p.what}); please confirm",
                  (p.b_id, p.id), {"ratio": float(ratio[i]), "limit": float(limit[i]), "years": int(years[i])})
        for i, p in zip(bad.index, bad.itertuples(index=False), strict=False)], sum(undecided.values()), undecided)
