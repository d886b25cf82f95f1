"""targets: a plan's targets against its own baselines and against each other, in the
indicator's better direction."""

from __future__ import annotations

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, worse

SERIES = ["document", "indicator", "region", "scope"]
COLUMNS = ["id", *SERIES, "year", "kind", "trend", "lower", "upper", "value", "cumulative", "direction", "quantity", "value_printed", "numeric", "unit_id", "converted"]


def latest_earlier(later: pd.DataFrame, earlier: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """Each row of `later` with the latest row of `earlier` in the same series and an earlier
    year; the earlier row's columns carry the prefix b_."""
    pairs = later.merge(earlier.add_prefix("b_"), left_on=series, right_on=[f"b_{c}" for c in series])
    pairs = pairs[pairs["b_year"] < pairs["year"]]
    return pairs[pairs["b_year"] == pairs.groupby("id")["b_year"].transform("max")]


def baseline_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with the latest baseline before it in the same document and series
    (indicator, region, scope). Columns of the baseline carry the prefix b_."""
    if "baseline_pairs" not in ctx.cache:
        obs = ctx.obs[COLUMNS + ["role"]]
        ctx.cache["baseline_pairs"] = latest_earlier(obs[obs["role"] == "target"], obs[obs["role"] == "baseline"], SERIES)
    return ctx.cache["baseline_pairs"]


def target_pairs(ctx: Context) -> pd.DataFrame:
    """Each target with the next earlier target of the same series in the same document."""
    obs = ctx.obs[COLUMNS + ["role"]]
    targets = obs[obs["role"] == "target"]
    return latest_earlier(targets, targets, SERIES)


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


def _worse_outcome(pairs: pd.DataFrame, what: str) -> Outcome:
    """Pairs whose later figure lies wholly on the worse side of the earlier one."""
    decided, undecided = comparable(pairs)
    bad = decided[worse(decided["lower"], decided["upper"], decided["b_lower"], decided["b_upper"], decided["direction"])]
    return Outcome(len(decided), [Violation(_message(p, what), (p.b_id, p.id), _evidence(p)) for p in bad.itertuples(index=False)],
                   sum(undecided.values()), undecided)


def _message(p, what: str) -> str:
    return (f"{what}: {p.value_printed!r} for {p.year} against {p.b_value_printed!r} for {p.b_year} "
            f"(better is {p.direction}; {fmt(p.lower, p.upper)} vs {fmt(p.b_lower, p.b_upper)})")


def _evidence(p) -> dict:
    return {"compared": [{"id": p.b_id, "year": int(p.b_year), "interval": [p.b_lower, p.b_upper]},
                         {"id": p.id, "year": int(p.year), "interval": [p.lower, p.upper]}], "direction": p.direction}


@rule("targets.worse-than-baseline", "error")
def worse_than_baseline(ctx: Context) -> Outcome:
    """A target worse than its own baseline in the indicator's better direction.

    Compares each target with the latest earlier baseline of the same indicator, region and scope
    in the same document, using the footnote year of starred cells. Fires when the whole target
    interval lies on the worse side (96.1 in 2025 against 100 in 2020 for a share that should
    rise). Does not fire within printed precision, for a floor that still allows the baseline,
    for indicators with no better direction, or for a cumulative [..] figure against a one-year value.
    """
    return _worse_outcome(baseline_pairs(ctx), "target worse than its baseline")


@rule("targets.later-worse", "error")
def later_worse(ctx: Context) -> Outcome:
    """A later target worse than an earlier target of the same plan.

    Fires when a 2035 target lies wholly on the worse side of the 2025 target for the same
    indicator, region and scope. Does not fire for equal targets or qualitative ones.
    """
    return _worse_outcome(target_pairs(ctx), "later target worse than the earlier one")


@rule("targets.qualitative-wrong-way", "error")
def qualitative_wrong_way(ctx: Context) -> Outcome:
    """A qualitative target that points against the indicator's better direction.

    Fires on 持续提升 (keep rising) for PM2.5 or on 稳定下降 for a coverage rate. Does not fire on
    持续改善 / 稳中向好 (improve, whichever way that is), on 保持稳定 (hold), or where the indicator
    has no better direction.
    """
    qualitative = ctx.obs[(ctx.obs["role"] == "target") & (ctx.obs["kind"] == "qualitative")]
    decided = qualitative[qualitative["direction"] != "none"]
    opposite = {"up": "down", "down": "up"}
    bad = decided[decided["trend"] == decided["direction"].map(opposite)]
    return Outcome(len(decided), [
        Violation(f"qualitative target {r.value_printed!r} ({r.trend}) for {r.year}, but {r.indicator_name} is better {r.direction}", (r.id,))
        for r in bad.itertuples(index=False)], len(qualitative) - len(decided),
        {"no better direction": len(qualitative) - len(decided)} if len(qualitative) > len(decided) else {})


def _at_ideal(p) -> bool:
    """Holding a share at 100 % or a 'down' quantity at 0 is not a weak target."""
    return (p.direction == "down" and p.value == 0) or (p.direction == "up" and p.unit_id == "percent" and p.value >= 100)


@rule("targets.weak-bound", "warning")
def weak_bound(ctx: Context) -> Outcome:
    """A floor below its baseline (or a ceiling above it): the target permits getting worse.

    Fires on ≥76 against a baseline of 76.23 for a share that should rise, or <1.3 against 0 for
    accidents. The threshold as printed is compared, not its rounding interval, so ≥10 against
    9.95 does not fire. A warning: weaker, not contradictory.
    """
    pairs, undecided = comparable(baseline_pairs(ctx))
    pairs = pairs[~worse(pairs["lower"], pairs["upper"], pairs["b_lower"], pairs["b_upper"], pairs["direction"])]
    up = (pairs["direction"] == "up") & (pairs["kind"] == "floor") & (pairs["value"] < pairs["b_value"])
    down = (pairs["direction"] == "down") & (pairs["kind"] == "ceiling") & (pairs["value"] > pairs["b_value"])
    bad = pairs[(up | down) & ~pairs["b_kind"].isin(["floor", "ceiling"])]
    return Outcome(len(pairs), [Violation(_message(p, "target bound permits a fall below the baseline"), (p.b_id, p.id), _evidence(p))
                                for p in bad.itertuples(index=False)], sum(undecided.values()), undecided)


@rule("targets.flat", "warning")
def flat(ctx: Context) -> Outcome:
    """A target equal to its baseline for an indicator that should improve.

    Fires on 16.7 → 16.7 for a share of bad groundwater, or ≥93 → ≥93. Does not fire when the
    baseline is already at the ideal (0 for a 'down' quantity, 100 % for an 'up' share), nor on
    qualitative hold targets (保持稳定), which say so on purpose.
    """
    pairs, undecided = comparable(baseline_pairs(ctx))
    same = (pairs["value"] == pairs["b_value"]) & (pairs["kind"] == pairs["b_kind"]) & pairs["kind"].isin(["point", "floor", "ceiling"])
    candidates = pairs[same]
    bad = [p for p in candidates.itertuples(index=False) if not _at_ideal(p)]
    return Outcome(len(pairs), [Violation(_message(p, "target no better than its baseline"), (p.b_id, p.id), _evidence(p))
                                for p in bad], sum(undecided.values()), undecided)
