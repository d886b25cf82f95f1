"""plausibility: changes too large to take on trust, for a person to confirm."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.pairs import SERIES, baseline_pairs, comparable, latest_earlier_blocks, per_distinct, rows, rows_at, widened

COLUMNS = ["id", "document", "section", "quote", *SERIES, "year", "kind", "value", "value_printed", "quantity", "numeric", "cumulative",
           "direction", "lower", "upper", "converted"]


KINDS = ["point", "floor", "ceiling", "approx", "range"]


def _consecutive_actuals(ctx: Context) -> tuple[np.ndarray, Iterator[tuple[np.ndarray, np.ndarray]]]:
    """Each status figure with the previous year's status figure of the same series (any document),
    ordered by the later figure's year: the figures' positions in the parsed frame (`at`), and the pairs
    as positions in `at`, a block at a time (pairs.latest_earlier_blocks)."""
    obs = ctx.obs
    yearly = (obs["role_class"] == "status") & obs["numeric"] & ~obs["cumulative"] & per_distinct(obs["period_key"], lambda keys: keys.str.len() == 4)
    at = np.flatnonzero(yearly)
    at = at[obs["year"].to_numpy()[at].argsort(kind="quicksort")]  # as sort_values("year") orders them
    keys = rows_at(obs, at, [*SERIES, "year"]).assign(at=at)  # paired on the keys; the failing pairs get every COLUMN, at the end
    kept, blocks = latest_earlier_blocks(ctx, keys, SERIES, _BLOCK)
    return kept["at"].to_numpy(), blocks


def _over_limit(ctx: Context, value, b_value, year, b_year, kind_ok, share) -> tuple[int, np.ndarray, pd.DataFrame]:
    """Of pairs given column by column (the values, years, whether the later figure's kind has a
    value and is a share or rate): how many have a size of change to judge (both values positive,
    of a kind with a value), the positions of those over the limit, and their `ratio`, `years`, `limit`."""
    judged = np.flatnonzero((value > 0) & (b_value > 0) & kind_ok)
    settings = ctx.settings
    # (the same arithmetic in place where an operand is a temporary: 1.7 M pairs at 1 M, each array 13 MB)
    value, b_value = value[judged].astype(float, copy=False), b_value[judged].astype(float, copy=False)
    ratio = np.maximum(value, b_value)
    ratio /= np.minimum(value, b_value)
    gap = year[judged] - b_year[judged]
    years = np.clip(gap, 1, None, out=gap).astype(float)
    per_period = np.where(share[judged], float(settings.max_ratio_share), float(settings.max_ratio_other))
    exponent = np.maximum(years / settings.ratio_years, 1.0)
    limit = np.power(per_period, exponent, out=exponent)
    over = ratio > limit
    return len(judged), judged[over], pd.DataFrame({"ratio": ratio[over], "years": years[over], "limit": limit[over]})


def _consecutive_over_limit(ctx: Context, at: np.ndarray, blocks: Iterator[tuple[np.ndarray, np.ndarray]]) -> tuple[int, np.ndarray, np.ndarray, pd.DataFrame]:
    """_over_limit of pairs of the parsed frame's rows (`at[a]`, `at[b]` of each block of pairs (a, b)), a block at a
    time: the same arithmetic per pair, without temporaries of every pair (1.7 M consecutive pairs at 1 M: 0.2 GB of
    fresh memory a run, where a block's arrays stay under numpy's 4 MB huge-page threshold and are taken again).
    The positions of the pairs over the limit (later, earlier), in the blocks' order."""
    value, year, kind_ok, share = _columns(ctx.obs)
    checked = 0
    over: list[tuple[np.ndarray, np.ndarray]] = []
    sizes: list[pd.DataFrame] = []
    for later, earlier in blocks:
        a, b = at[later], at[earlier]
        judged, block_over, block_sizes = _over_limit(ctx, value[a], value[b], year[a], year[b], kind_ok[a], share[a])
        checked += judged
        over.append((a[block_over], b[block_over]))
        sizes.append(block_sizes)
    return checked, np.concatenate([a for a, _ in over]), np.concatenate([b for _, b in over]), pd.concat(sizes, ignore_index=True)


_BLOCK = 1 << 17  # later figures whose consecutive pairs are judged at once (at 1 M, 2 pairs each: float arrays of 2 MB)


def _columns(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """What _over_limit reads of the later figure of each pair (the unprefixed columns), or of each figure:
    its value, year, whether its kind has a value, whether it is a share or rate."""
    return (frame["value"].to_numpy(dtype=float), frame["year"].to_numpy(), frame["kind"].isin(KINDS).to_numpy(),
            frame["quantity"].isin(["share", "rate"]).to_numpy())


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
    value, year, kind_ok, share = _columns(pairs)
    checked, over, sizes = _over_limit(ctx, value, pairs["b_value"].to_numpy(dtype=float), year, pairs["b_year"].to_numpy(), kind_ok, share)
    over_target = pd.concat([pairs.take(over).reset_index(drop=True), sizes], axis=1)
    consecutive, at, b_at, sizes = _consecutive_over_limit(ctx, *_consecutive_actuals(ctx))  # judged on the parsed frame's columns
    over_consecutive = pd.concat([widened(ctx.obs, pd.DataFrame({"at": at, "b_at": b_at}), COLUMNS), sizes], axis=1)  # every column, failures only
    jumps = pd.concat([over_target.assign(what="target against the figure before it"), over_consecutive.assign(what="consecutive figures")],
                      ignore_index=True)
    bad = jumps[~narrated(jumps)]  # only a jump over the limit is read for a sentence narrating it
    return Outcome(checked + consecutive, [
        Violation(f"{p.b_value_printed!r} ({p.b_year}) → {p.value_printed!r} ({p.year}): a factor of {p.ratio:.2f} in {int(p.years)} year(s), "
                  f"above the {p.limit:.2f} allowed ({p.what}); please confirm",
                  (p.b_id, p.id), {"ratio": float(p.ratio), "limit": float(p.limit), "years": int(p.years)})
        for p in rows(bad[["id", "b_id", "value_printed", "b_value_printed", "year", "b_year", "ratio", "years", "limit", "what"]])],
        sum(undecided.values()), undecided)
