"""provenance: sources unchanged, every quote found in its source, every figure in its quote."""

import numpy as np

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.locator import located
from checks.pairs import rows


@rule("provenance.source-changed", "error")
def source_changed(ctx: Context) -> Outcome:
    """A source file whose sha256 no longer matches documents.csv.

    Fires when a file in datasets/sources/ was edited, re-extracted or replaced. Why: every quote
    and line number was checked against the bytes that were hashed; a changed source must be
    re-reviewed before its figures are trusted.
    """
    violations = []
    for doc in rows(ctx.dataset.documents[["id", "sha256", "source_file"]]):  # (itertuples reads text columns value by value)
        source = ctx.dataset.sources[doc.id]
        if source.sha256 != doc.sha256:
            violations.append(Violation(f"source {doc.source_file} has sha256 {source.sha256[:12]}…, documents.csv records {doc.sha256[:12]}…",
                                        document=doc.id, key="sha256"))
    return Outcome(len(ctx.dataset.documents), violations)


@rule("provenance.quote-not-found", "error")
def quote_not_found(ctx: Context) -> Outcome:
    """An observation's quote is not in its source near the stated line.

    White space is ignored (page breaks inside words such as 水\\n\\n土保持率 match), nothing else
    is. Fires when the quote was retyped, cleaned or points at the wrong line (more than
    `line_window` lines away).
    """
    quote_found, _ = _found(ctx)
    bad = ctx.obs[["id", "document", "line"]].take(np.flatnonzero(~quote_found))
    return Outcome(len(quote_found), [
        Violation(f"quote not found in {r.document} within {ctx.settings.line_window} lines of line {r.line}", (r.id,))
        for r in bad.itertuples(index=False)])


@rule("provenance.value-not-in-quote", "error")
def value_not_in_quote(ctx: Context) -> Outcome:
    """An observation's printed value does not appear in its own quote.

    Fires when `value_printed` was cleaned or retyped (a converted unit, a dropped 以上) so it no
    longer reads as printed. Does not fire for white-space differences. An empty `value_printed`
    says the source leaves a table cell blank: it fires unless the quote's row has a blank cell
    under the column printed as the row's `column_header` (a blank is never proven by an empty
    value found anywhere).
    """
    quote_found, figure_found = _found(ctx)
    bad = ctx.obs[["id", "document", "line", "value_printed", "column_header"]].take(np.flatnonzero(quote_found & ~figure_found))
    return Outcome(int(quote_found.sum()), [Violation(_not_in_quote(r), (r.id,)) for r in bad.itertuples(index=False)])


def _found(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Per observation: whether its quote and its figure were found (the located frame's, by id: no join
    when both frames hold the same ids in the same order); what a message prints is read for the failures only."""
    return located(ctx, "quote_found").astype(bool), located(ctx, "figure_found").astype(bool)


def _not_in_quote(row) -> str:
    if str(row.value_printed).strip():
        return f"value {row.value_printed!r} does not appear in its quote"
    header = str(getattr(row, "column_header", "") or "")
    if not header.strip():
        return "value_printed is empty (a blank table cell) but column_header does not say which column is blank"
    return f"value_printed is empty (a blank table cell) but the row of its quote has no blank cell under the column {header!r}"
