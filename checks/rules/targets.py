"""targets: every target against what was known before it, in the indicator's better direction.

Two pairings, both dataframe work (merges and group-bys, never loops over rows):
- each target against the latest earlier status (baseline or actual) of its series — its own
  document's baseline column, and the latest status printed anywhere (any section, any document
  known by the target's as-of date), so a 2025 target below a figure the plan reports for 2021 is
  compared too;
- each later target against every earlier target of its series.
A series is an indicator, region and scope. Floors and ceilings are compared as bounds: a later
floor below an earlier figure permits a fall (a warning); a target interval wholly on the worse
side is a contradiction (an error).
"""

from __future__ import annotations

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, worse
from checks.pairs import baseline_pairs, comparable, target_pairs

NO_EARLIER_STATUS = "no earlier status figure (baseline or actual) of the series"
NO_EARLIER_TARGET = "no earlier target of the series"
BOUND_KINDS = ("floor", "ceiling")


def unpaired(ctx: Context, pairs: pd.DataFrame, reason: str) -> dict[str, int]:
    """Targets that found no counterpart at all: undecided, with the reason."""
    obs = ctx.obs
    alone = int((~obs.loc[obs["role"] == "target", "id"].isin(pairs["id"])).sum())
    return {reason: alone} if alone else {}


def _merge_counts(*parts: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for part in parts:
        for reason, count in part.items():
            merged[reason] = merged.get(reason, 0) + count
    return merged


def _judged(ctx: Context, pairs: pd.DataFrame, failing, what: str, alone: str) -> Outcome:
    """The pairs a comparison can decide, judged by `failing` (a mask of the decided pairs); the
    others, and the targets with no counterpart (`alone`: why), undecided."""
    decided, undecided = comparable(pairs)
    return _outcome(len(decided), decided[failing(decided)], what, _merge_counts(undecided, unpaired(ctx, pairs, alone)))


def _outcome(checked: int, bad: pd.DataFrame, what: str, undecided: dict[str, int]) -> Outcome:
    return Outcome(checked, [Violation(_message(p, what), (p.b_id, p.id), _evidence(p)) for p in bad.itertuples(index=False)],
                   sum(undecided.values()), undecided)


def _message(p, what: str) -> str:
    where = "" if p.b_document == p.document else f" ({p.b_document} line {p.b_line})"
    return (f"{what}: {p.value_printed!r} for {p.year} against {p.b_value_printed!r} ({p.b_role}) for {p.b_year}{where} "
            f"(better is {p.direction}; {fmt(p.lower, p.upper)} vs {fmt(p.b_lower, p.b_upper)})")


def _evidence(p) -> dict:
    return {"compared": [{"id": p.b_id, "role": p.b_role, "year": int(p.b_year), "interval": [p.b_lower, p.b_upper]},
                         {"id": p.id, "role": p.role, "year": int(p.year), "interval": [p.lower, p.upper]}], "direction": p.direction}


def _wholly_worse(pairs: pd.DataFrame) -> pd.Series:
    return worse(pairs["lower"], pairs["upper"], pairs["b_lower"], pairs["b_upper"], pairs["direction"])


def _weaker_bound(pairs: pd.DataFrame) -> pd.Series:
    """A floor (better up) or ceiling (better down) whose threshold lets the figure end worse than
    the earlier figure: below an earlier point or floor, above an earlier point or ceiling. The
    threshold as printed is compared with the earlier value (or threshold) as printed."""
    up = ((pairs["direction"] == "up") & (pairs["kind"] == "floor") & pairs["b_kind"].isin(["point", "floor", "approx"])
          & (pairs["value"] < pairs["b_value"]))
    down = ((pairs["direction"] == "down") & (pairs["kind"] == "ceiling") & pairs["b_kind"].isin(["point", "ceiling", "approx"])
            & (pairs["value"] > pairs["b_value"]))
    return (up | down) & ~_wholly_worse(pairs)


@rule("targets.worse-than-baseline", "error", marks_chart=True)
def worse_than_baseline(ctx: Context) -> Outcome:
    """A target worse than the latest figure known before it, in the indicator's better direction.

    Compares each target with the latest earlier baseline of its own document and with the latest
    earlier status figure (baseline or actual) of the same indicator, region and scope printed
    anywhere by the target's as-of date, using the footnote year of starred cells. Fires when the
    whole target interval lies on the worse side (96.1 in 2025 against 100 in 2020 for a share that
    should rise; 35 against a baseline printed as ≥40). Does not fire within printed precision, for
    a floor that still allows the earlier figure, for indicators with no better direction, or for a
    cumulative [..] figure against a one-year value. A target with no earlier figure is undecided.
    """
    return _judged(ctx, baseline_pairs(ctx), _wholly_worse, "target worse than the figure before it", NO_EARLIER_STATUS)


@rule("targets.later-worse", "error", marks_chart=True)
def later_worse(ctx: Context) -> Outcome:
    """A later target wholly worse than an earlier target of the same series.

    Compares each target with every earlier target of the same indicator, region and scope.
    Fires when a 2035 target lies wholly on the worse side of a 2025 target (95 after 96.1 for a
    share that should rise). Does not fire for equal targets, within printed precision, or for
    qualitative ones (undecided); a later floor that merely permits worse is the warning
    targets.later-weaker-bound.
    """
    return _judged(ctx, target_pairs(ctx), _wholly_worse, "later target worse than an earlier one", NO_EARLIER_TARGET)


@rule("targets.later-weaker-bound", "warning")
def later_weaker_bound(ctx: Context) -> Outcome:
    """A later floor (or ceiling) that permits less than an earlier target of the same series.

    Fires on a 2035 target of ≥35 after a 2025 target of 50 (or ≥50) for a share that should rise,
    or a ceiling ≤35 after ≤30 for PM2.5. Does not fire when the later threshold is at least the
    earlier figure (≥60 after ≥60, ≥70 after 60), nor when the later target is wholly worse (that is
    the error targets.later-worse). A warning: weaker, not contradictory.
    """
    return _judged(ctx, target_pairs(ctx), _weaker_bound, "later target bound permits less than an earlier target", NO_EARLIER_TARGET)


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


def _at_ideal(pairs: pd.DataFrame) -> pd.Series:
    """Holding a share at 100 % or a 'down' quantity at 0 is not a weak target."""
    return (((pairs["direction"] == "down") & (pairs["value"] == 0))
            | ((pairs["direction"] == "up") & (pairs["unit_id"] == "percent") & (pairs["value"] >= 100)))


@rule("targets.weak-bound", "warning")
def weak_bound(ctx: Context) -> Outcome:
    """A floor below the figure before it (or a ceiling above it): the target permits getting worse.

    Compares each target with the same earlier figures as targets.worse-than-baseline. Fires on ≥76
    against a baseline of 76.23 for a share that should rise, <1.3 against 0 for accidents, or ≥44
    against a baseline that is itself a floor ≥80 (bound against bound). The threshold as printed is
    compared, not its rounding interval, so ≥10 against 9.95 does not fire. A warning: weaker, not
    contradictory.
    """
    return _judged(ctx, baseline_pairs(ctx), _weaker_bound, "target bound permits a fall below the figure before it", NO_EARLIER_STATUS)


@rule("targets.flat", "warning")
def flat(ctx: Context) -> Outcome:
    """A target equal to the figure before it for an indicator that should improve.

    Fires on 16.7 → 16.7 for a share of bad groundwater. Does not fire when the earlier figure is
    already at the ideal (0 for a 'down' quantity, 100 % for an 'up' share), on qualitative hold
    targets (保持稳定), which say so on purpose, nor against an earlier figure that is itself a bound
    (≥93 → ≥93: the baseline's value is not known, so the pair is undecided).
    """
    pairs = baseline_pairs(ctx)
    decided, undecided = comparable(pairs)
    bound = decided["b_kind"].isin(BOUND_KINDS)
    if bound.any():
        undecided = _merge_counts(undecided, {"the earlier figure is a bound: its value is not known": int(bound.sum())})
    decided = decided[~bound]
    same = (decided["value"] == decided["b_value"]) & (decided["kind"] == "point") & (decided["b_kind"] == "point")
    return _outcome(len(decided), decided[same & ~_at_ideal(decided)], "target no better than the figure before it",
                    _merge_counts(undecided, unpaired(ctx, pairs, NO_EARLIER_STATUS)))


@rule("targets.approximate-centre-worse", "warning")
def approximate_centre_worse(ctx: Context) -> Outcome:
    """An approximate target (左右, 约) whose centre is worse than the figure before it.

    Fires on 96%左右 for 2025 against 96.5 for 2020 for a share that should rise: its tolerance
    still reaches the baseline, but the figure it names is a fall. Does not fire when the centre is
    at or beyond the earlier figure in the better direction (97%左右 against 96.5), nor when the whole
    interval is worse (that is the error targets.worse-than-baseline). Only approximate targets are
    checked; others are not counted.
    """
    pairs = baseline_pairs(ctx)
    decided, undecided = comparable(pairs[pairs["kind"] == "approx"])
    comparable_earlier = decided["b_kind"].isin(["point", "approx"])
    if (~comparable_earlier).any():
        undecided = _merge_counts(undecided, {"the earlier figure is a bound or range": int((~comparable_earlier).sum())})
    decided = decided[comparable_earlier]
    centre_worse = (((decided["direction"] == "up") & (decided["value"] < decided["b_value"]))
                    | ((decided["direction"] == "down") & (decided["value"] > decided["b_value"])))
    return _outcome(len(decided), decided[centre_worse & ~_wholly_worse(decided)], "approximate target centred below the figure before it",
                    undecided)
