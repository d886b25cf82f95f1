"""metadata: what a document says about itself agrees with its own figures, and points at the
sentence that says it (documents.csv: base_year, base_year_line, base_year_quote)."""

from __future__ import annotations

from collections import Counter

from checks.engine import Context, rule
from checks.findings import Outcome, Violation


def _declared(ctx: Context):
    """Documents that declare a base year, with the line and quote that declare it."""
    documents = ctx.dataset.documents
    for column in ("base_year_line", "base_year_quote"):
        if column not in documents:
            documents = documents.assign(**{column: ""})
    return documents[documents["base_year"] != ""]


def _evidence(doc) -> dict:
    return {"declared": doc.base_year, "line": int(doc.base_year_line) if doc.base_year_line else None, "quote": doc.base_year_quote}


@rule("metadata.base-year-mismatch", "warning")
def base_year_mismatch(ctx: Context) -> Outcome:
    """A document's declared base year that its own table's baseline column contradicts.

    Fires when documents.csv records a base year (规划基准年为 2021 年) but the baseline cells of
    the document's table are, after footnotes, mostly of another year; the finding points at the
    line that declares the base year and quotes it. Does not fire on documents that declare none,
    or when the footnoted cells make the column the declared year.
    """
    violations, checked = [], 0
    baseline_cells = ctx.obs.loc[(ctx.obs["section"] == "table") & (ctx.obs["role"] == "baseline"), ["document", "period_key"]]
    by_document = dict(iter(baseline_cells.groupby("document", sort=False)))  # one group-by, never a mask per document
    # the years printed per document (as text: a categorical would count every category), counted in one pass;
    # a document's value_counts (whose order the message prints) only where it fires
    counted: dict[str, Counter] = {}
    for document, year in zip(baseline_cells["document"].tolist(), baseline_cells["period_key"].astype(str).tolist(), strict=True):
        if isinstance(year, str):  # (a missing one is not counted, as value_counts leaves it out)
            counted.setdefault(document, Counter())[year] += 1
    for doc in _declared(ctx).itertuples(index=False):
        cells = by_document.get(doc.id)
        if cells is None:
            continue
        checked += 1
        years_counted = counted.get(doc.id, Counter())
        if years_counted.get(doc.base_year, 0) < max(years_counted.values(), default=float("nan")):  # another year holds more cells (a tie does not fire)
            years = cells["period_key"].astype(str).value_counts()
            other = {k: int(v) for k, v in years.items()}
            said = f" (line {doc.base_year_line}: {doc.base_year_quote})" if doc.base_year_line else ""
            violations.append(Violation(
                f"{doc.id} declares base year {doc.base_year}{said}, but its table's baseline column is {years.index[0]} "
                f"for {int(years.iloc[0])} of {len(cells)} cells (by year: {other})",
                document=doc.id, line=int(doc.base_year_line) if doc.base_year_line else None, key="base_year",
                evidence={**_evidence(doc), "baseline_years": other}))
    return Outcome(checked, violations)


@rule("metadata.base-year-unsupported", "error")
def base_year_unsupported(ctx: Context) -> Outcome:
    """A declared base year whose evidence is missing or not in the source.

    Fires when documents.csv records a base year but no base_year_line and base_year_quote, or the
    quote is not found within `line_window` lines of its line, or does not print the year: the
    declaration cannot be traced, as every figure must be. Does not fire on documents that declare
    no base year.
    """
    violations, checked = [], 0
    window = ctx.settings.line_window
    for doc in _declared(ctx).itertuples(index=False):
        checked += 1
        source = ctx.dataset.sources.get(doc.id)
        if not (doc.base_year_line and doc.base_year_quote):
            problem = "no base_year_line and base_year_quote say where"
        elif doc.base_year not in "".join(doc.base_year_quote.split()):
            problem = f"its quote {doc.base_year_quote!r} does not print {doc.base_year}"
        elif source is None or source.locate_figure(doc.base_year_quote, doc.base_year, int(doc.base_year_line), window)[0] is None:
            problem = f"its quote {doc.base_year_quote!r} is not in the source near line {doc.base_year_line}"
        else:
            continue
        violations.append(Violation(f"{doc.id} declares base year {doc.base_year}, but {problem}", document=doc.id,
                                    line=int(doc.base_year_line) if doc.base_year_line else None, key="base_year_evidence",
                                    evidence=_evidence(doc)))
    return Outcome(checked, violations)
