"""same-figure: one figure printed in two places (two documents, or a plan's text and its own
table) must agree within printed precision."""

from __future__ import annotations

import pandas as pd

from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, meets
from checks.pairs import numeric_pairs, ordered_pairs

# Same indicator, region, scope, period (footnote year applied), kind of role, cumulative or not,
# unit dimension (a change in % is not a change in 个百分点), and binding or aspirational (力争).
KEY = ["indicator", "region", "scope", "period_key", "role_class", "cumulative", "unit_dimension", "aspirational"]
COLUMNS = ["id", "document", "section", "line", "kind", "value", "lower", "upper", "value_printed", "numeric"]  # compared, per side


@per_run
def pairs(ctx: Context) -> pd.DataFrame:
    """Every pair of observations of the same figure (a before b by id)."""
    obs = ctx.obs.assign(basis=ctx.obs.get("basis", ""))[[*KEY, *COLUMNS, "basis"]]
    return _same_basis(ordered_pairs(ctx, obs, KEY))


def _same_basis(joined: pd.DataFrame) -> pd.DataFrame:
    """A nominal and a real growth are two figures. A growth whose basis is not printed stands for
    whichever printed definition it agrees with: it disagrees only when it meets none of them."""
    stated, b_stated = joined["basis"] != "", joined["b_basis"] != ""
    joined = joined[~(stated & b_stated & (joined["basis"] != joined["b_basis"]))]
    stated, b_stated = joined["basis"] != "", joined["b_basis"] != ""
    one_unstated = stated != b_stated
    unstated_id = joined["id"].where(~stated, joined["b_id"])
    agree = meets(joined["lower"], joined["upper"], joined["b_lower"], joined["b_upper"])
    agrees_with_some = agree[one_unstated].groupby(unstated_id[one_unstated]).any()
    rescued = one_unstated & ~agree & unstated_id.map(agrees_with_some).fillna(False).astype(bool)
    return joined[~rescued]


def _decided(ctx: Context) -> tuple[pd.DataFrame, int, dict]:
    return numeric_pairs(pairs(ctx), "b_")


def _where(doc: str, section: str, line: int) -> str:
    return f"{doc} {section} line {line}"


@rule("same-figure.disagree", "error")
def disagree(ctx: Context) -> Outcome:
    """The same figure printed differently in two places.

    Fires when two observations of the same indicator, region, scope, period and role (baseline
    and actual count as one) have intervals that do not meet: 96.3%以上 in a plan's text against
    96.1 in its table for the same year. Does not fire within rounding (76.2%以上 vs 76.23), within
    左右/约, across different years or scopes, across different indicators (累计发放 vs 余额), or
    between a binding goal and a 力争 (strive-for) goal.
    """
    decided, undecided, reasons = _decided(ctx)
    bad = decided[~meets(decided["lower"], decided["upper"], decided["b_lower"], decided["b_upper"])]
    return Outcome(len(decided), [
        Violation(f"{p.value_printed!r} ({_where(p.document, p.section, p.line)}) and {p.b_value_printed!r} "
                  f"({_where(p.b_document, p.b_section, p.b_line)}) state the same figure differently: "
                  f"{fmt(p.lower, p.upper)} and {fmt(p.b_lower, p.b_upper)} do not meet",
                  (p.id, p.b_id), {"compared": [{"id": p.id, "interval": [p.lower, p.upper]}, {"id": p.b_id, "interval": [p.b_lower, p.b_upper]}]})
        for p in bad.itertuples(index=False)], undecided, reasons)


@rule("same-figure.different-bounds", "warning")
def different_bounds(ctx: Context) -> Outcome:
    """The same goal stated as two different floors (or ceilings).

    Fires on 82.57%以上 in the text against ≥83.5 in the table for the same year: both can hold,
    but they cannot both be the goal. Does not fire when the thresholds agree within printed
    precision (76.2%以上 vs ≥76.23).
    """
    decided, undecided, reasons = _decided(ctx)
    bounds = decided[decided["kind"].isin(["floor", "ceiling"]) & (decided["kind"] == decided["b_kind"])]
    half = (bounds["value"] - bounds["lower"].where(bounds["kind"] == "floor", bounds["upper"])).abs()
    b_half = (bounds["b_value"] - bounds["b_lower"].where(bounds["b_kind"] == "floor", bounds["b_upper"])).abs()
    differ = ~meets(bounds["value"], bounds["value"], bounds["b_value"], bounds["b_value"], slack=pd.concat([half, b_half], axis=1).max(axis=1))
    bad = bounds[differ]
    return Outcome(len(bounds), [
        Violation(f"{p.value_printed!r} ({_where(p.document, p.section, p.line)}) and {p.b_value_printed!r} "
                  f"({_where(p.b_document, p.b_section, p.b_line)}) set different {p.kind}s for the same figure",
                  (p.id, p.b_id), {"compared": [{"id": p.id, "value": p.value}, {"id": p.b_id, "value": p.b_value}]})
        for p in bad.itertuples(index=False)], undecided, reasons)
