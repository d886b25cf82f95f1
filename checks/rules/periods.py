"""periods: the periods of a series in order, and no figure dated after its document.

(A period range printed backwards, `2025-2020`, is rejected when the tables are loaded: the
observations schema reads it as a typo, never a period, so no rule sees one.)
"""

from __future__ import annotations

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.rules.targets import SERIES, with_as_of

STATUS_ROLES = ("baseline", "actual", "change")  # figures that state what was, not what is aimed at


@rule("periods.target-not-after-baseline", "error")
def target_not_after_baseline(ctx: Context) -> Outcome:
    """A target whose period is not after every baseline of its series in the same document.

    Fires on a 2019 target in a plan whose baseline column is 2020 (the target was dated on or
    before the year it starts from), using the footnote year of starred cells. Does not fire on a
    2025 target against a 2021 baseline. A target whose document prints no baseline of its series
    is undecided.
    """
    obs = ctx.obs
    keys = ["document", *SERIES]
    targets = obs.loc[obs["role"] == "target", ["id", *keys, "year", "value_printed"]]
    baselines = obs.loc[obs["role"] == "baseline", ["id", *keys, "year", "value_printed"]]
    pairs = targets.merge(baselines.add_prefix("b_"), left_on=keys, right_on=[f"b_{k}" for k in keys])
    late = pairs[pairs["b_year"] >= pairs["year"]]
    late = late[late["b_year"] == late.groupby("id")["b_year"].transform("max")].drop_duplicates("id")
    alone = int((~targets["id"].isin(pairs["id"])).sum())
    return Outcome(int(pairs["id"].nunique()), [
        Violation(f"target {p.value_printed!r} is dated {p.year}, not after its series' baseline {p.b_value_printed!r} of {p.b_year}",
                  (p.b_id, p.id), {"target_year": int(p.year), "baseline_year": int(p.b_year)})
        for p in late.itertuples(index=False)], alone, {"no baseline of the series in the document": alone} if alone else {})


def _as_of_year(as_of: pd.Series) -> pd.Series:
    return pd.to_numeric(as_of.str[:4], errors="coerce")


@rule("periods.status-after-as-of", "error")
def status_after_as_of(ctx: Context) -> Outcome:
    """A baseline or actual dated after the document that prints it.

    Fires on an actual for 2024 in a report dated 2023-04, or a baseline for 2023 in a plan dated
    2022: a document cannot state what a later year was. Does not fire on a figure of the as-of
    year itself (a report of 2024 on 2024), nor on targets, which look ahead on purpose.
    """
    obs = with_as_of(ctx)
    status = obs[obs["role"].isin(STATUS_ROLES)]
    year = _as_of_year(status["as_of"])
    dated = status[year.notna()]
    bad = dated[dated["year_start"] > year[year.notna()]]
    undated = len(status) - len(dated)
    return Outcome(len(dated), [
        Violation(f"{r.role} {r.value_printed!r} is dated {r.period_key}, after its document {r.document} (as of {r.as_of})", (r.id,),
                  {"period": r.period_key, "as_of": r.as_of})
        for r in bad.itertuples(index=False)], undated, {"document has no as-of date": undated} if undated else {})
