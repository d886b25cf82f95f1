"""One pandera schema per table. Every cell is read as text; these schemas say which text is
allowed, so a wrong type reaches the steward as a message, never as a NaN."""

from __future__ import annotations

import math
import re

import pandera.pandas as pa

SLUG = r"^[a-z0-9][a-z0-9_\-]*$"
INTEGER = r"^[1-9][0-9]{0,8}$"  # a line number; nine digits is beyond any document
FLOATING = r"^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
YEAR_OR_EMPTY = r"^([12][0-9]{3})?$"
PERIOD = r"^[12][0-9]{3}(-[12][0-9]{3}|H[12]|Q[1-4])?$"
PLAIN_FILE_NAME = r"^(?!\.\.?$)[^/\\\x00]+$"  # a name inside sources/: no folder, no '..', no absolute path
BOOLEAN = ["true", "false"]


def text(*checks: pa.Check, required: bool = True, unique: bool = False) -> pa.Column:
    """A text column; `required` means no empty (or blank) cell."""
    all_checks = list(checks)
    if required:
        all_checks.insert(0, pa.Check(lambda cells: cells.str.strip().str.len() > 0, error="must not be empty or blank"))
    return pa.Column(str, checks=all_checks, unique=unique, nullable=False)


def one_of(values: list[str]) -> pa.Check:
    return pa.Check.isin(values, error=f"must be one of {', '.join(values)}")


def matches(pattern: str, what: str) -> pa.Check:
    return pa.Check.str_matches(pattern, error=f"must be {what}")


def period_in_order() -> pa.Check:
    """A period printed backwards (`2025-2020`) is a typo, never a period."""
    def in_order(cells):
        start, end = cells.str.slice(0, 4), cells.str.slice(5, 9)
        return ~(cells.str.match(r"^[0-9]{4}-[0-9]{4}$") & (end < start))
    return pa.Check(in_order, error="must not end before it starts (YYYY-YYYY, the earlier year first)")


def positive_number() -> pa.Check:
    def positive(cells):
        numbers = cells.map(lambda c: float(c) if re.fullmatch(FLOATING, c) else 1.0)
        return (numbers > 0) & numbers.map(math.isfinite)
    return pa.Check(positive, error="must be a positive, finite number")


def schema(name: str, columns: dict[str, pa.Column], unique: list[str] | None = None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=False, unique=unique, coerce=False)


DOCUMENTS = schema("documents", {
    "id": text(matches(SLUG, "a lower-case slug"), unique=True),
    "source_file": text(matches(PLAIN_FILE_NAME, "a plain file name in sources/ (no folder, no '..')"), unique=True),
    "sha256": text(matches(r"^[0-9a-f]{64}$", "64 lower-case hex digits")),
    "title": text(),
    "issuer": text(),
    "region": text(),
    "kind": text(one_of(["plan", "progress_report", "article", "summary"])),
    "as_of": text(matches(r"^[12][0-9]{3}(-(0[1-9]|1[0-2]))?$", "YYYY or YYYY-MM")),
    "base_year": text(matches(YEAR_OR_EMPTY, "a year or empty"), required=False),
    "origin_repository": text(required=False),
    "origin_path": text(required=False),
    "origin_commit": text(matches(r"^([0-9a-f]{40})?$", "40 lower-case hex digits (a git commit) or empty"), required=False),
    "base_year_line": text(matches(r"^([1-9][0-9]*)?$", "a line number or empty"), required=False),
    "base_year_quote": text(required=False),
})

# Administrative levels, then areas that are no administration (a river basin, a development or
# economic zone, a named river section, any other named area); each may have a parent.
REGION_LEVELS = ["country", "province", "prefecture", "county", "district", "township", "basin", "zone", "section", "area"]

REGIONS = schema("regions", {
    "id": text(matches(SLUG, "a lower-case slug"), unique=True),
    "name": text(),  # not unique: 鼓楼区 is a district of several cities; ids are unique
    "level": text(one_of(REGION_LEVELS)),
    "parent": text(required=False),
})

UNITS = schema("units", {
    "id": text(matches(SLUG, "a lower-case slug"), unique=True),
    "name": text(),
    "dimension": text(matches(SLUG, "a lower-case slug")),
    "factor": text(matches(FLOATING, "a positive number"), positive_number()),
    "aliases": text(),
})

INDICATORS = schema("indicators", {
    "id": text(matches(SLUG, "a lower-case slug"), unique=True),
    "name": text(),
    "printed_names": text(required=False),
    "unit": text(),
    "direction": text(one_of(["up", "down", "none"])),
    "quantity": text(one_of(["level", "share", "rate", "count", "cumulative", "balance", "change", "index", "qualitative"])),
    "additive": text(one_of(BOOLEAN)),
    "parent": text(required=False),
    "share_part": text(required=False),
    "share_whole": text(required=False),
    "minuend": text(required=False),
    "subtrahend": text(required=False),
    "definition": text(required=False),
    "target_limit": text(one_of(["", "ceiling", "floor"]), required=False),
})

OBSERVATIONS = schema("observations", {
    "id": text(matches(SLUG, "a lower-case slug")),
    "document": text(),
    "indicator": text(),
    "region": text(),
    "scope": text(required=False),
    "period": text(matches(PERIOD, "YYYY, YYYY-YYYY, YYYYH1/H2 or YYYYQ1-4"), period_in_order()),
    "period_note": text(required=False),
    "role": text(one_of(["baseline", "target", "actual", "change", "change_target"])),
    "basis": text(one_of(["nominal", "real", ""]), required=False),
    # empty: a table cell the source leaves blank, proven at its row and column_header by provenance
    "value_printed": text(required=False),
    "unit_printed": text(required=False),
    "section": text(one_of(["table", "text"])),
    "line": text(matches(INTEGER, "a line number (1, 2, ...)")),
    "quote": text(),
    "note": text(required=False),
    "table": text(required=False),
    "row_group": text(required=False),
    "row_label": text(required=False),
    "column_header": text(required=False),
})

EXCLUSIONS = schema("exclusions", {
    "document": text(),
    "line": text(matches(INTEGER, "a line number (1, 2, ...)")),
    "line_end": text(matches(r"^([1-9][0-9]*)?$", "a line number or empty"), required=False),
    "printed": text(),
    "reason": text(),
}, unique=["document", "line", "printed"])

WAIVERS = schema("waivers", {
    "fingerprint": text(matches(r"^[0-9a-f]{16}$", "16 hex digits (a finding's fingerprint)"), unique=True),
    "rule": text(),
    "reason": text(),
    "who": text(),
    "when": text(matches(r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "a date YYYY-MM-DD")),
})

# Columns a table may leave out: read as empty when absent (the shipped files predate them).
OPTIONAL_COLUMNS = {
    "documents": ["origin_repository", "origin_path", "origin_commit", "base_year_line", "base_year_quote"],
    "observations": ["basis", "table", "row_group", "row_label", "column_header"],
    "exclusions": ["line_end"],
    "indicators": ["target_limit"],
}

SCOPES = schema("scopes", {
    "id": text(matches(SLUG, "a lower-case slug"), unique=True),
    "name": text(unique=True),
    "printed_forms": text(),
    "definition": text(required=False),
})

OPTIONAL_TABLES = {"waivers.csv", "scopes.csv"}

TABLES = {
    "documents.csv": DOCUMENTS,
    "regions.csv": REGIONS,
    "units.csv": UNITS,
    "indicators.csv": INDICATORS,
    "exclusions.csv": EXCLUSIONS,
    "waivers.csv": WAIVERS,
    "scopes.csv": SCOPES,
}


def references(ids: dict[str, set[str]]) -> dict[str, pa.DataFrameSchema]:
    """Schemas that check one table's references into the others, built from the ids loaded."""

    def ref(table: str, required: bool = True) -> pa.Column:
        allowed = sorted(ids[table]) + ([] if required else [""])
        check = pa.Check.isin(allowed, error=f"must name an existing {table[:-1]} id in {table}.csv")
        return pa.Column(str, checks=[check], nullable=False)

    return {
        "documents": pa.DataFrameSchema({"region": ref("regions")}, name="documents"),
        "regions": pa.DataFrameSchema({"parent": ref("regions", required=False)}, name="regions"),
        "indicators": pa.DataFrameSchema({
            "unit": ref("units"),
            "parent": ref("indicators", required=False),
            "share_part": ref("indicators", required=False),
            "share_whole": ref("indicators", required=False),
            "minuend": ref("indicators", required=False),
            "subtrahend": ref("indicators", required=False),
        }, name="indicators"),
        "observations": pa.DataFrameSchema({
            "document": ref("documents"),
            "indicator": ref("indicators"),
            "region": ref("regions"),
        }, name="observations"),
        "exclusions": pa.DataFrameSchema({"document": ref("documents")}, name="exclusions"),
    }
