"""metadata: what a document says about itself agrees with its own figures."""

from checks.engine import Context, rule
from checks.findings import Outcome, Violation


@rule("metadata.base-year-mismatch", "warning")
def base_year_mismatch(ctx: Context) -> Outcome:
    """A document's declared base year that its own table's baseline column contradicts.

    Fires when documents.csv records a base year (规划基准年为 2021 年) but the baseline cells of
    the document's table are, after footnotes, mostly of another year. Does not fire on documents
    that declare none, or when the footnoted cells make the column the declared year.
    """
    violations, checked = [], 0
    baseline_cells = ctx.obs[(ctx.obs["section"] == "table") & (ctx.obs["role"] == "baseline")]
    by_document = dict(iter(baseline_cells.groupby("document", sort=False)))  # one group-by, never a mask per document
    for doc in ctx.dataset.documents.itertuples(index=False):
        if not doc.base_year:
            continue
        cells = by_document.get(doc.id)
        if cells is None:
            continue
        checked += 1
        years = cells["period_key"].value_counts()
        if years.get(doc.base_year, 0) < years.max():  # another year holds more cells (a tie does not fire)
            other = {k: int(v) for k, v in years.items()}
            violations.append(Violation(
                f"{doc.id} declares base year {doc.base_year}, but its table's baseline column is {years.index[0]} "
                f"for {int(years.iloc[0])} of {len(cells)} cells (by year: {other})",
                document=doc.id, key="base_year", evidence={"declared": doc.base_year, "baseline_years": other}))
    return Outcome(checked, violations)
