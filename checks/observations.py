"""The parse step: observations + catalogue → one frame every rule reads.

Adds to each observation its reading (kind, interval, trend, footnote year), its unit resolved
and converted to the catalogue unit, the catalogue facts of its indicator, and keys that rules
group on (period_key with the footnote year applied, role_class).
"""

from __future__ import annotations

import math

import pandas as pd

from checks.dataset import Dataset
from checks.grammar import CHANGE_ROLES, ParsedValue, parse
from checks.unit_table import magnitude_of

STATUS_ROLES = {"baseline", "actual"}  # both state what a figure was in a period


def role_class(role: str) -> str:
    return "status" if role in STATUS_ROLES else role


def period_key(period: str, footnote_year: int | None) -> str:
    return str(footnote_year) if footnote_year else period


def period_years(key: str) -> tuple[int, int]:
    """First and last year of a period key ("2021", "2016-2020", "2024H1")."""
    start = int(key[:4])
    end = int(key[5:9]) if len(key) >= 9 and key[4] == "-" else start
    return start, end


def build(dataset: Dataset) -> pd.DataFrame:
    catalogue = dataset.indicators.set_index("id")
    units = dataset.unit_table
    rows = []
    for obs in dataset.observations.to_dict("records"):
        indicator = catalogue.loc[obs["indicator"]]
        canonical = units.by_id[indicator["unit"]]
        printed_unit = obs["unit_printed"]
        reading_unit = units.resolve(printed_unit) if printed_unit else None
        share_unit = (reading_unit or canonical).dimension in {"share", "share_difference"}
        # A change in percent printed as a bare number is a price index on base 100 (103 → +3 %):
        # decided from the catalogue and the role, never from the document.
        index_base = (not printed_unit and canonical.dimension == "share"
                      and (obs["role"] in CHANGE_ROLES or indicator["quantity"] == "change"))
        reading = parse(obs["value_printed"], role=obs["role"], period_note=obs["period_note"],
                        share_unit=share_unit, tolerances=dataset.settings.tolerances, index_base=index_base)
        lost = magnitude_of(reading.cell_unit) if printed_unit else ""
        if lost and magnitude_of(printed_unit) != lost:  # 突破3万家 entered with unit 家: never a silent ×10⁴
            reading = ParsedValue("unreadable", error=f"the value prints the magnitude {lost!r} ({reading.cell_unit!r}) but the unit entered is {printed_unit!r}: enter unit_printed {reading.cell_unit!r}")
        if reading_unit is None and reading.cell_unit:
            reading_unit = units.resolve(reading.cell_unit)
            if reading_unit is None:  # never fall back silently to the catalogue unit
                reading = ParsedValue("unreadable", error=f"unknown unit {reading.cell_unit!r} inside the value")
        unit = reading_unit or canonical
        convertible = unit.dimension == canonical.dimension
        factor = unit.factor / canonical.factor if convertible else 1.0
        key = period_key(obs["period"], reading.footnote_year)
        start, end = period_years(key)
        rows.append({
            **obs,
            "kind": reading.kind,
            "trend": reading.trend,
            "cumulative": reading.cumulative,
            "aspirational": reading.aspirational,
            "footnote_year": reading.footnote_year,
            "cell_unit": reading.cell_unit,
            "parse_error": reading.error,
            "number": reading.number,
            "value": reading.number * factor if reading.number is not None else None,
            "lower": _scale(reading.lower, factor),
            "upper": _scale(reading.upper, factor),
            "unit_id": unit.unit_id,
            "unit_dimension": unit.dimension,
            "unit_assumed": reading_unit is None,
            "converted": convertible,
            "catalogue_unit": canonical.unit_id,
            "catalogue_dimension": canonical.dimension,
            "period_key": key,
            "year_start": start,
            "year": end,
            "role_class": role_class(obs["role"]),
            "is_change": obs["role"] in CHANGE_ROLES,
            "indicator_name": indicator["name"],
            "direction": indicator["direction"],
            "quantity": indicator["quantity"],
            "additive": indicator["additive"] == "true",
            "parent_indicator": indicator["parent"],
            "share_part": indicator["share_part"],
            "share_whole": indicator["share_whole"],
            "minuend": indicator["minuend"],
            "subtrahend": indicator["subtrahend"],
            "numeric": reading.is_numeric,
        })
    return pd.DataFrame(rows)


def _scale(bound: float, factor: float) -> float:
    return bound * factor if math.isfinite(bound) else bound
