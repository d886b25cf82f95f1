"""same-figure: one figure printed in two places (two documents, or a plan's text and its own
table) must agree within printed precision.

Two documents of different years printing what a past period was (its level or its change) may
differ: figures are revised (初步核算, then 最终核实), and such a restatement is shown as a warning
naming both documents. Two documents of one year, or one document with itself, that disagree
state one figure two ways: an error."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.intervals import fmt, meets
from checks.pairs import as_of_dates, dimensions, judged, numeric_among, ordered_pairs, parsed_ids_ascend, widened, with_as_of

# Same indicator, region, scope, period (footnote year applied), kind of role, cumulative or not,
# unit dimension (a change in % is not a change in 个百分点), and binding or aspirational (力争).
KEY = ["indicator", "region", "scope", "period_key", "role_class", "cumulative", "unit_dimension", "aspirational"]
COLUMNS = ["id", "document", "section", "line", "kind", "value", "lower", "upper", "value_printed", "numeric",
           "quote", "as_of", "as_of_year", "year"]  # compared, per side
# What a period was: a level (baseline, actual) or a change; a target can be reset, never restated.
RESTATABLE = {"status", "change"}


COMPARED = ["role_class", "year", "as_of_year", "basis", "kind", "value", "lower", "upper", "numeric"]  # what the rules compare, per side


@per_run
def observations(ctx: Context) -> pd.DataFrame:
    """The parsed observations with their document's as-of date and its year, and the growth basis; the
    unit dimension (a key) as the shared categorical (pairs.dimensions: coded through its categories, a
    missing one matching a missing one and named nan in an oversized group's key, as the text was)."""
    obs = with_as_of(ctx)
    dates, distinct = as_of_dates(ctx)  # each document's date read once, not each row's
    as_of_year = pd.to_numeric(pd.Series(distinct).str[:4], errors="coerce").to_numpy()[dates]
    return obs.assign(basis=obs.get("basis", ""), as_of_year=as_of_year, unit_dimension=dimensions(ctx)["unit"])[[*KEY, *COLUMNS, "basis"]]


@per_run
def pairs(ctx: Context) -> pd.DataFrame:
    """Every pair of observations of the same figure (a before b by id), with `restatement`: the
    two documents are of different years and both print the period after it ended. The COMPARED
    columns of both, and where each stands in `observations` (at, b_at): what a message prints is
    taken for the failures only (`shown`)."""
    obs = observations(ctx)
    keys = obs[["id", *KEY]].assign(at=np.arange(len(obs)))  # paired on the key; both sides' columns joined once, to the pairs kept
    joined = _same_basis(judged(obs, ordered_pairs(ctx, keys, KEY, columns=["at"], ids_ascend=parsed_ids_ascend(ctx)), COMPARED))
    past = (joined["year"] < joined["as_of_year"]) & (joined["b_year"] < joined["b_as_of_year"])
    return joined.assign(restatement=joined["role_class"].isin(RESTATABLE) & past & (joined["as_of_year"] != joined["b_as_of_year"]))


def shown(ctx: Context, pairs: pd.DataFrame, columns: list[str] = COLUMNS) -> pd.DataFrame:
    """The `columns` of both sides of `pairs` (failures), for their messages."""
    return widened(observations(ctx), pairs, columns)


def _by_date(joined: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two sides of each pair as two frames of the COLUMNS: the earlier document's, the later's."""
    a = joined[COLUMNS].set_axis(joined.index)
    b = joined[[f"b_{c}" for c in COLUMNS]].set_axis(COLUMNS, axis=1)
    swap = joined["as_of_year"] > joined["b_as_of_year"]
    return a.mask(swap, b), b.mask(swap, a)


def _same_basis(joined: pd.DataFrame) -> pd.DataFrame:
    """A nominal and a real growth are two figures. A growth whose basis is not printed stands for
    whichever printed definition it agrees with: it disagrees only when it meets none of them.
    (Judged on the columns, the pairs filtered once; a figure is known by its position `at`.)"""
    stated, b_stated = (joined["basis"] != "").to_numpy(), (joined["b_basis"] != "").to_numpy()
    two_bases = stated & b_stated & (joined["basis"] != joined["b_basis"]).to_numpy()
    one_unstated = (stated != b_stated) & ~two_bases
    agree = meets(joined["lower"], joined["upper"], joined["b_lower"], joined["b_upper"]).to_numpy()
    unstated_at = np.where(stated, joined["b_at"].to_numpy(), joined["at"].to_numpy())
    rescued = one_unstated & ~agree & np.isin(unstated_at, unstated_at[one_unstated & agree])
    return joined[~two_bases & ~rescued]


def _decided(ctx: Context, restatement: bool | None = None) -> tuple[pd.DataFrame, np.ndarray, int, dict]:
    """Every pair, which of them both of whose figures have a number (of all pairs, or of only
    restatements or only the others: a mask, each rule filtering the 505 k pairs of 1 M once, by it
    and its own test), how many are left undecided, and why."""
    both = pairs(ctx)
    among = None if restatement is None else (both["restatement"] == restatement).to_numpy()
    return both, *numeric_among(both, "b_", among=among)


def _apart(pairs: pd.DataFrame) -> np.ndarray:
    """The pairs whose intervals do not meet."""
    return ~meets(pairs["lower"], pairs["upper"], pairs["b_lower"], pairs["b_upper"]).to_numpy()


def _where(doc: str, section: str, line: int) -> str:
    return f"{doc} {section} line {line}"


@rule("same-figure.disagree", "error")
def disagree(ctx: Context) -> Outcome:
    """The same figure printed differently in two places.

    Fires when two observations of the same indicator, region, scope, period and role (baseline
    and actual count as one) have intervals that do not meet: 96.3%以上 in a plan's text against
    96.1 in its table for the same year, or two documents of the same year printing a past year
    differently. Does not fire within rounding (76.2%以上 vs 76.23), within 左右/约, across
    different years or scopes, across different indicators (累计发放 vs 余额), between a binding
    goal and a 力争 (strive-for) goal, nor on a restatement by a later year's document (below).
    """
    both, decided, undecided, reasons = _decided(ctx, restatement=False)
    bad = shown(ctx, both[decided & _apart(both)])
    return Outcome(int(decided.sum()), [
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
    both, decided, undecided, reasons = _decided(ctx)  # restated bounds too: a later document never restates a goal
    bounds = both[decided & (both["kind"].isin(["floor", "ceiling"]) & (both["kind"] == both["b_kind"])).to_numpy()]
    half = (bounds["value"] - bounds["lower"].where(bounds["kind"] == "floor", bounds["upper"])).abs()
    b_half = (bounds["b_value"] - bounds["b_lower"].where(bounds["b_kind"] == "floor", bounds["b_upper"])).abs()
    differ = ~meets(bounds["value"], bounds["value"], bounds["b_value"], bounds["b_value"], slack=pd.concat([half, b_half], axis=1).max(axis=1))
    bad = shown(ctx, bounds[differ])
    return Outcome(len(bounds), [
        Violation(f"{p.value_printed!r} ({_where(p.document, p.section, p.line)}) and {p.b_value_printed!r} "
                  f"({_where(p.b_document, p.b_section, p.b_line)}) set different {p.kind}s for the same figure",
                  (p.id, p.b_id), {"compared": [{"id": p.id, "value": p.value}, {"id": p.b_id, "value": p.b_value}]})
        for p in bad.itertuples(index=False)], undecided, reasons)


@rule("same-figure.restated", "warning")
def restated(ctx: Context) -> Outcome:
    """A past period's figure that a later year's document prints differently (a restatement).

    Fires when a document of one year and a document of a later year (documents.csv as_of) both
    print the level or the change of the same indicator, region, scope and period, the period
    ended before either was issued, and the two intervals do not meet: a 2022 level printed
    5.67万亿元 in a 2023 report and 5.60万亿元 in a 2024 one. Revisions are normal (初步核算, then
    最终核实) but must be visible; the finding names both documents and both quotes. Does not
    fire within printed precision, on two documents of the same year or one document with itself
    (same-figure.disagree, an error), on a period not yet ended when a document printed it, nor
    on targets.
    """
    both, decided, undecided, reasons = _decided(ctx, restatement=True)
    bad = shown(ctx, both[decided & _apart(both)], [*COLUMNS, "period_key"])
    earlier, later = _by_date(bad)
    return Outcome(int(decided.sum()), [
        Violation(f"{e.value_printed!r} for {period} ({e.document} {e.section} line {e.line}, as of {e.as_of}: {e.quote}) is printed "
                  f"{n.value_printed!r} by {n.document} ({n.section} line {n.line}, as of {n.as_of}: {n.quote}): "
                  f"{fmt(e.lower, e.upper)} restated as {fmt(n.lower, n.upper)}",
                  (e.id, n.id), {"earlier": {"id": e.id, "interval": [e.lower, e.upper]}, "later": {"id": n.id, "interval": [n.lower, n.upper]}})
        for period, e, n in zip(bad["period_key"], earlier.itertuples(index=False), later.itertuples(index=False), strict=True)], undecided, reasons)
