"""coverage: every number printed in a source is an observation or an explained exclusion."""

import numpy as np
import pandas as pd

from checks import scan_cache, scanner
from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.locator import by_id


@per_run
def _gaps(ctx: Context) -> list:
    """(document, tokens scanned, (missing, stale)) per source, computed once per run. The located
    figures and the exclusions are digested once for all documents (arrays of spans, lists of
    rows, grouped by document), never filtered once per document; the scanned numbers of all
    documents are compared with the figures in one sorted search (each document's offsets moved
    past the one before's), and tokens are made only for the numbers no figure covers."""
    pattern = scanner.scan_pattern(ctx.dataset.units)
    scans = list(scan_cache.scans(ctx.dataset.sources, pattern, ctx.dataset.scan_cache))
    exclusions: dict[str, list[dict]] = {}
    for row in scanner.exclusion_records(ctx.dataset.exclusions):
        exclusions.setdefault(row["document"], []).append(row)
    # joined by id (never by row position); a figure of a document without a source covers nothing
    found = ctx.located["figure_found"].to_numpy(dtype=bool)
    ranks = pd.Index([doc_id for doc_id, _ in scans], dtype=object).get_indexer(by_id(ctx.located, ctx.obs, "document")[found])
    starts, ends = ctx.located["figure_start"].to_numpy(dtype=np.int64)[found], ctx.located["figure_end"].to_numpy(dtype=np.int64)[found]
    stride = 1 + max((len(scanned.text) for _, scanned in scans), default=0)  # past every offset of a text
    sizes = np.array([len(scanned) for _, scanned in scans], dtype=np.int64)
    shifts = np.repeat(np.arange(len(scans), dtype=np.int64) * stride, sizes)
    known = ranks >= 0
    figure_shifts = ranks[known] * stride
    covered = scanner.covered(np.concatenate([scanned.starts for _, scanned in scans] or [shifts]) + shifts,
                              np.concatenate([scanned.ends for _, scanned in scans] or [shifts]) + shifts,
                              starts[known] + figure_shifts, ends[known] + figure_shifts)
    bounds = np.concatenate(([0], np.cumsum(sizes))).tolist()
    results = []
    for rank, (doc_id, scanned) in enumerate(scans):
        uncovered = np.flatnonzero(~covered[bounds[rank]:bounds[rank + 1]])
        results.append((doc_id, len(scanned), scanner.excluded(scanned.tokens(uncovered), exclusions.get(doc_id, []))))
    return results


@rule("coverage.unaccounted-figure", "error")
def unaccounted(ctx: Context) -> Outcome:
    """A number printed in a source that no observation and no exclusion accounts for.

    Scans prose for digits followed by a unit, % or 万/亿, and every numeric table cell (but the
    row numbering). Fires when such a number is neither the figure of an observation (located
    through its quote) nor listed in exclusions.csv with a reason. Why: this is how a steward
    knows a document was entered completely.
    """
    violations, checked = [], 0
    for doc_id, scanned, (missing, _) in _gaps(ctx):
        checked += scanned
        for token in missing:
            violations.append(Violation(f"{token.text!r} on line {token.line} of {doc_id} is not entered as an observation nor excluded",
                                        document=doc_id, line=token.line, key=f"{token.span.start}:{token.printed}",
                                        evidence={"printed": token.text}))
    return Outcome(checked, violations)


@rule("coverage.stale-exclusion", "warning")
def stale_exclusion(ctx: Context) -> Outcome:
    """An exclusion that matches no printed number any more.

    Fires when exclusions.csv names a line and number that the scanner does not find (a typo, or
    the source changed). Why: stale exclusions hide nothing today but will hide the wrong number
    tomorrow.
    """
    violations = []
    for doc_id, _, (_, stale) in _gaps(ctx):
        for row in stale:
            violations.append(Violation(f"exclusion of {row['printed']!r} on line {row['line']} of {doc_id} matches no printed number",
                                        document=doc_id, line=int(row["line"]), key=str(row["printed"])))
    return Outcome(len(ctx.dataset.exclusions), violations)


@rule("coverage.blind-scan", "warning")
def blind_scan(ctx: Context) -> Outcome:
    """A source in which the scanner finds no number, or far fewer than the figures entered from it.

    Fires when a document's numeric observations outnumber the numbers its scan finds by more
    than `blind_scan_ratio` allows (no number at all, or fewer than half by default): the scanner
    cannot read that layout (a table drawn as an image, a layout it does not know), so "no
    unaccounted figure" proves nothing there. Does not fire for a document whose scan finds about
    as many numbers as it has numeric observations, or that has fewer numeric observations than
    `blind_scan_min_figures` (5 by default: too few to judge a layout). Why: a
    coverage check that silently reads nothing is worse than none.
    """
    numeric = ctx.obs.loc[ctx.obs["numeric"], ["document"]].groupby("document").size().to_dict() if len(ctx.obs) else {}
    violations, checked = [], 0
    for doc_id, scanned, _ in _gaps(ctx):
        entered = int(numeric.get(doc_id, 0))
        if entered < ctx.settings.blind_scan_min_figures:
            continue
        checked += 1
        if scanned < ctx.settings.blind_scan_ratio * entered:
            violations.append(Violation(f"the scan of {doc_id} finds {scanned} number(s) but {entered} numeric figures are entered from it: "
                                        "the scanner cannot read this source's layout, so its coverage proves nothing",
                                        document=doc_id, key=doc_id, evidence={"scanned": scanned, "entered": entered}))
    return Outcome(checked, violations)
