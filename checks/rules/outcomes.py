"""outcomes: a year's target (set in one document) against that year's actual (printed in a
later one) — the yearly cycle of work reports and statistical communiqués.

A target (role target) is met by the actual level (actual or baseline) of the same indicator,
region, scope and period; a target for a change (role change_target: 增长5%左右, 降低2.5%左右)
by the actual change. Approximate targets (左右, 约) are met within their tolerance; a figure
beyond the target in the indicator's better direction has met it too.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, meets
from checks.pairs import keyed_join, numeric_pairs, side_by_side

# The same figure: indicator, region, scope, period, unit dimension (a change in % is not one in
# 个百分点 or in 万吨), five-year cumulative or not.
SAME_FIGURE = ["indicator", "region", "scope", "period_key", "unit_dimension", "cumulative"]
SIDE = ["id", "document", "line", "value_printed", "lower", "upper", "numeric", "quote", "as_of"]
# Which role states the outcome of which kind of target.
OUTCOME_ROLES = pd.DataFrame([("target", "baseline"), ("target", "actual"), ("change_target", "change")], columns=["role", "a_role"])
# A document saying the target was reached: 完成/实现/达到 … 目标/任务, or 超额完成.
CLAIM = re.compile(r"超额完成|(?:完成|实现|达到|达成)[^，,。；;]{0,12}(?:目标|任务)")


@per_run
def target_outcome_pairs(ctx: Context) -> tuple[pd.DataFrame, int, dict[str, int]]:
    """Each target with each actual of its year printed in a later document (prefix a_ for the
    actual), the pairs a comparison can decide, and why the others cannot."""
    as_of = ctx.dataset.documents.set_index("id")["as_of"]
    obs = ctx.obs.assign(as_of=ctx.obs["document"].map(as_of).astype("str"))  # text: compared with >
    # paired on the key, the role and where each is printed; the pairs kept get the other columns at the end
    keys = [*SAME_FIGURE, "document", "as_of", "role"]
    aims, outcomes = obs["role"].isin(OUTCOME_ROLES["role"]).to_numpy(), obs["role"].isin(OUTCOME_ROLES["a_role"]).to_numpy()
    for column in ("indicator", "period_key"):  # outcomes of an indicator and period some target is of (the others pair with none)
        outcomes = outcomes & obs[column].isin(obs.loc[aims, column].unique()).to_numpy()
    pairs = keyed_join(ctx, obs.loc[aims, keys].assign(at=np.flatnonzero(aims)), obs.loc[outcomes, keys].assign(at=np.flatnonzero(outcomes)),
                       SAME_FIGURE, prefix="a_")
    pairs = pairs.merge(OUTCOME_ROLES, on=["role", "a_role"])
    pairs = pairs[(pairs["a_document"] != pairs["document"]) & (pairs["a_as_of"] > pairs["as_of"])]
    target_side, actual_side = [*SAME_FIGURE, *SIDE, "direction", "target_limit", "role", "kind"], [*SAME_FIGURE, *SIDE, "role"]
    pairs = side_by_side(obs[target_side], obs[actual_side], pairs["at"].to_numpy(), pairs["a_at"].to_numpy(), "a_")
    return numeric_pairs(pairs, "a_", "target or actual has no number")


def _met(p: pd.DataFrame) -> pd.Series:
    """Within the target's interval (its tolerance for 左右), or beyond it in the better direction,
    or on the allowed side of a target the catalogue calls a limit (target_limit: a price-rise
    target 3%左右 is a ceiling, met by any rise up to about 3 %)."""
    within = meets(p["lower"], p["upper"], p["a_lower"], p["a_upper"])
    at_least = (p["direction"] == "up") | (p["target_limit"] == "floor")
    at_most = (p["direction"] == "down") | (p["target_limit"] == "ceiling")
    return within | (at_least & (p["a_lower"] >= p["lower"])) | (at_most & (p["a_upper"] <= p["upper"]))


def _claims(p: pd.DataFrame) -> pd.Series:
    return p["a_quote"].astype(str).str.contains(CLAIM)


def _message(p, verdict: str) -> str:
    return (f"target {p.value_printed!r} for {p.period_key} ({p.document} line {p.line}: {p.quote}) {verdict} "
            f"{p.a_value_printed!r} ({p.a_document} line {p.a_line}: {p.a_quote}): "
            f"{fmt(p.a_lower, p.a_upper)} against {fmt(p.lower, p.upper)}")


def _violations(bad: pd.DataFrame, verdict: str) -> list[Violation]:
    return [Violation(_message(p, verdict), (p.id, p.a_id),
                      {"target": {"id": p.id, "interval": [p.lower, p.upper]}, "actual": {"id": p.a_id, "interval": [p.a_lower, p.a_upper]}})
            for p in bad.itertuples(index=False)]


@rule("outcomes.target-missed", "warning")
def target_missed(ctx: Context) -> Outcome:
    """A year's target that the actual of that year, printed in a later document, did not meet.

    Fires on 增长7.5%左右 for 2023 (a 2023 report) against 增长5.3% for 2023 (the 2024 report).
    Does not fire when the actual is within the target's tolerance (5%左右 met by 5.2%) or beyond
    it in the indicator's better direction (1200万人以上 met by 1244万人; a 5.5%左右 unemployment
    ceiling met by 5.2%), nor within one document. A missed target is news for an auditor, not a
    data error; when the later document claims the target was met, the error rule below fires.
    """
    decided, undecided, reasons = target_outcome_pairs(ctx)
    missed = decided[~_met(decided) & ~_claims(decided)]
    return Outcome(len(decided), _violations(missed, "was not met by"), undecided, reasons)


@rule("outcomes.claimed-met-but-missed", "error")
def claimed_met_but_missed(ctx: Context) -> Outcome:
    """A document that says a target was met (完成/实现/达到…目标, 超额完成) while its figure misses it.

    Fires when the quote of the actual claims the target was reached and the actual's interval
    is outside the target's, on the worse side. Does not fire when the figures agree with the
    claim, nor on a missed target that no document claims was met (that is a warning).
    """
    decided, undecided, reasons = target_outcome_pairs(ctx)
    claimed = decided[_claims(decided)]
    return Outcome(len(claimed), _violations(claimed[~_met(claimed)], "is claimed as met, but the figure misses it:"), undecided, reasons)
