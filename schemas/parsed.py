"""Pandera schemas of the frames every rule reads: the parsed observations (`Context.obs`, built by
checks/observations.py) and where each figure stands in its source (`Context.located`, built by
checks/locator.py), joined by `id`.

Validated by the tests on the shipped and synthetic datasets, and on every run in debug mode
(`check --debug ...` or SEED_CHECK_SHAPES=1). A new column of the parsed frame is added here in
the same commit (the schema is strict), so a rule's column names are the ones written below.
"""

from __future__ import annotations

import os

import pandas as pd
import pandera.pandas as pa

from schemas.tables import PERIOD

DEBUG_VARIABLE = "SEED_CHECK_SHAPES"

ROLES = ["baseline", "target", "actual", "change", "change_target"]
ROLE_CLASSES = ["status", "target", "change", "change_target"]
KINDS = ["point", "floor", "ceiling", "approx", "range", "qualitative", "zero", "delegated", "state", "none", "unreadable"]
TRENDS = ["up", "down", "better", "hold"]


def _text(*checks: pa.Check, required: bool = True) -> pa.Column:
    """A text column (never None; may be empty); `required=False`: the column may be absent."""
    return pa.Column(str, checks=list(checks), nullable=False, required=required)


def _key(*checks: pa.Check, required: bool = True) -> pa.Column:
    """A text column of few distinct values, held as a categorical (checks/observations.CATEGORICAL)."""
    return pa.Column("category", checks=list(checks), nullable=False, required=required)


def _one_of(values: list[str]) -> pa.Check:
    return pa.Check.isin(values, error=f"must be one of {', '.join(values)}")


def _maybe_text(*checks: pa.Check) -> pa.Column:
    """A text cell or None (no reading: no trend, no parse error, no unit)."""
    return pa.Column(object, checks=list(checks), nullable=True)


INTEGER = pa.Column("int64", nullable=False)
FLAG = pa.Column(bool, nullable=False)
NUMBER = pa.Column("float64", nullable=True)  # NaN where the value has no number; ±inf for an open end

# the observation table's own columns, as read (schemas/tables.py checked their text)
_READ = {name: _key() for name in ["document", "indicator", "region", "scope", "period", "period_note", "unit_printed",
                                   "note", "basis", "table", "row_group", "row_label", "column_header", "file"]}
_READ.update({"value_printed": _text(), "quote": _text()})
_READ["scope_printed"] = _key(required=False)  # only with scopes.csv: the scope as printed before it was resolved

PARSED_OBSERVATIONS = pa.DataFrameSchema({
    **_READ,
    "id": _text(),
    "role": _key(_one_of(ROLES)),
    "section": _key(_one_of(["table", "text"])),
    "line": INTEGER,
    "file_line": INTEGER,
    # the printed value's reading (checks/grammar.py)
    "kind": _key(_one_of(KINDS)),
    "trend": _maybe_text(pa.Check.isin(TRENDS)),
    "cumulative": FLAG,
    "aspirational": FLAG,
    "average_annual": FLAG,
    "footnote_year": NUMBER,
    "cell_unit": _key(),
    "parse_error": _maybe_text(),
    "number": NUMBER,
    "value": NUMBER,
    "lower": NUMBER,
    "upper": NUMBER,
    # the unit (checks/unit_table.py), converted to the catalogue's
    "unit_id": _maybe_text(),
    "unit_dimension": _maybe_text(),
    "unit_assumed": FLAG,
    "converted": FLAG,
    "catalogue_unit": _maybe_text(),
    "catalogue_dimension": _maybe_text(),
    # the period and role, as compared
    "period_key": _key(pa.Check.str_matches(PERIOD, error="must be a period key (YYYY, YYYY-YYYY, YYYYH1/H2, YYYYQ1-4)")),
    "year_start": INTEGER,
    "year": INTEGER,
    "role_class": _key(_one_of(ROLE_CLASSES)),
    "is_change": FLAG,
    # the catalogue's columns (indicators.csv)
    "indicator_name": _key(),
    "direction": _key(_one_of(["up", "down", "none"])),
    "quantity": _key(),
    "additive": FLAG,
    "parent_indicator": _key(),
    "share_part": _key(),
    "share_whole": _key(),
    "minuend": _key(),
    "subtrahend": _key(),
    "target_limit": _key(_one_of(["", "ceiling", "floor"])),
    "numeric": FLAG,
}, name="parsed observations", strict=True, ordered=False, unique=["id"], coerce=False, checks=[
    pa.Check(lambda obs: ~obs["numeric"] | (obs["lower"] <= obs["upper"]), error="a numeric figure's interval has lower <= upper"),
    pa.Check(lambda obs: obs["year_start"] <= obs["year"], error="a period starts no later than it ends"),
])

LOCATED = pa.DataFrameSchema({
    "id": _text(),
    "quote_found": FLAG,
    "figure_found": FLAG,
    "figure_start": INTEGER,
    "figure_end": INTEGER,
    "figure_line": INTEGER,
    "figure_in_quote": pa.Column(object, nullable=True),  # (start, end) of the figure within its quote, or None
}, name="located figures", strict=True, ordered=False, unique=["id"], coerce=False, checks=[
    pa.Check(lambda located: located["figure_start"] <= located["figure_end"], error="a figure's span ends after it starts"),
])


def validate(obs: pd.DataFrame, located: pd.DataFrame) -> None:
    """Raise pandera's SchemaError (all failures at once: SchemaErrors) when a frame is not of its
    shape, and ValueError when the two frames do not hold the same observations (joined by id)."""
    PARSED_OBSERVATIONS.validate(obs, lazy=True)
    LOCATED.validate(located, lazy=True)
    if set(obs["id"]) != set(located["id"]):
        missing = sorted(set(obs["id"]) ^ set(located["id"]))[:5]
        raise ValueError(f"the parsed observations and where they stand hold different ids (e.g. {', '.join(missing)})")


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")
