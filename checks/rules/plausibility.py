"""plausibility: changes too large to take on trust, for a person to confirm."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.pairs import SERIES, baseline_pairs, comparable, judged, latest_earlier, per_distinct, rows, widened

COLUMNS = ["id", "document", "section", "quote", *SERIES, "year", "kind", "value", "value_printed", "quantity", "numeric", "cumulative",
           "direction", "lower", "upper", "converted"]


JUMP = ["value", "year", "kind", "quantity"]  # what judging the size of a change reads of each figure
KINDS = ["point", "floor", "ceiling", "approx", "range"]


def _consecutive_actuals(ctx: Context) -> pd.DataFrame:
    """Each status figure with the previous year's status figure of the same series (any document):
    their positions in the parsed frame (`at`, `b_at`) and the JUMP columns of both."""
    obs = ctx.obs
    yearly = (obs["role_class"] == "status") & obs["numeric"] & ~obs["cumulative"] & per_distinct(obs["period_key"], lambda keys: keys.str.len() == 4)
    # paired on the keys; the pairs get the JUMP columns of both sides, and the failing ones every COLUMN, at the end
    keys = obs.loc[yearly, [*SERIES, "year"]].assign(at=np.flatnonzero(yearly)).sort_values("year")
    return judged(obs, latest_earlier(ctx, keys, keys, SERIES), JUMP)


def _over_limit(ctx: Context, pairs: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """How many pairs have a size of change to judge (both values positive, of a kind with a value),
    and those over the limit, with their `ratio`, `years` and `limit`."""
    judged = pairs[(pairs["value"] > 0) & (pairs["b_value"] > 0)]
    judged = judged[judged["kind"].isin(KINDS)]
    settings = ctx.settings
    value, b_value = judged["value"].to_numpy(dtype=float), judged["b_value"].to_numpy(dtype=float)
    ratio = np.maximum(value, b_value) / np.minimum(value, b_value)
    years = np.clip(judged["year"].to_numpy() - judged["b_year"].to_numpy(), 1, None).astype(float)
    per_period = np.where(judged["quantity"].isin(["share", "rate"]).to_numpy(), float(settings.max_ratio_share), float(settings.max_ratio_other))
    limit = per_period ** np.maximum(1.0, years / settings.ratio_years)
    over = ratio > limit
    return len(judged), judged[over].assign(ratio=ratio[over], years=years[over], limit=limit[over])


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
    checked, over_target = _over_limit(ctx, pairs)
    consecutive, over_consecutive = _over_limit(ctx, _consecutive_actuals(ctx))  # the failing pairs only get every column
    over_consecutive = pd.concat([widened(ctx.obs, over_consecutive, COLUMNS), over_consecutive[["ratio", "years", "limit"]].reset_index(drop=True)], axis=1)
    jumps = pd.concat([over_target.assign(what="target against the figure before it"), over_consecutive.assign(what="consecutive figures")],
                      ignore_index=True)
    bad = jumps[~narrated(jumps)]  # only a jump over the limit is read for a sentence narrating it
    return Outcome(checked + consecutive, [
        Violation(f"{p.b_value_printed!r} ({p.b_year}) → {p.value_printed!r} ({p.year}): a factor of {p.ratio:.2f} in {int(p.years)} year(s), "
                  f"above the {p.limit:.2f} allowed ({p.what}); please confirm",
                  (p.b_id, p.id), {"ratio": float(p.ratio), "limit": float(p.limit), "years": int(p.years)})
        for p in rows(bad[["id", "b_id", "value_printed", "b_value_printed", "year", "b_year", "ratio", "years", "limit", "what"]])],
        sum(undecided.values()), undecided)
