"""The parse step: observations + catalogue → one frame every rule reads.

Adds to each observation its reading (kind, interval, trend, footnote year), its unit resolved
and converted to the catalogue unit, the catalogue facts of its indicator, and keys that rules
group on (period_key with the footnote year applied, role_class).

Work is done per distinct thing, never per row: a printed form is parsed once however often it
repeats (with the role, column note and kind of unit that change its reading), a printed unit is
resolved once, and the catalogue reaches the observations by one merge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.dataset import REPEATED, Dataset, categorical
from checks.grammar import CHANGE_ROLES, ParsedValue, parse
from checks.unit_table import magnitude_of

STATUS_ROLES = {"baseline", "actual"}  # both state what a figure was in a period
SHARE_DIMENSIONS = {"share", "share_difference"}
READING = ["kind", "trend", "cumulative", "aspirational", "footnote_year", "cell_unit", "parse_error", "number", "lower", "upper"]
# Text columns that repeat a few values across the rows: the loaded ones (dataset.REPEATED, categoricals from the
# load) and the parse's codes and catalogue facts, held as categoricals whose categories are sorted, so they sort and
# group as the text does, at one or two bytes a row instead of a pointer (schemas/parsed.py). Those that may be None
# stay text.
CATEGORICAL = [*REPEATED, "kind", "cell_unit", "period_key", "role_class", "indicator_name", "direction", "quantity", "parent_indicator",
               "share_part", "share_whole", "minuend", "subtrahend", "target_limit"]
CATALOGUE = {"name": "indicator_name", "direction": "direction", "quantity": "quantity", "additive": "additive",
             "parent": "parent_indicator", "share_part": "share_part", "share_whole": "share_whole",
             "minuend": "minuend", "subtrahend": "subtrahend", "target_limit": "target_limit"}


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
    obs = dataset.observations
    units = dataset.unit_table
    index = pd.RangeIndex(len(obs))

    # the catalogue unit and facts of each observation's indicator: one merge
    catalogue = dataset.indicators[["id", "unit", *CATALOGUE]].rename(columns={"id": "indicator", "unit": "catalogue_unit", **CATALOGUE})
    facts = obs[["indicator"]].merge(catalogue, on="indicator", how="left").set_index(index)
    canonical = _unit_columns(facts["catalogue_unit"], units.by_id.get, "catalogue")

    # the printed unit: resolved once per distinct printed form
    printed = _unit_columns(obs["unit_printed"], lambda text: units.resolve(text) if text else None, "printed").set_index(index)
    has_printed = printed["printed_unit_id"].notna()
    share_unit = np.where(has_printed, printed["printed_dimension"], canonical["catalogue_dimension"].to_numpy())
    share_unit = pd.Series(share_unit, index=index).isin(SHARE_DIMENSIONS)

    # A change in percent printed as a bare number is a price index on base 100 (103 → +3 %):
    # decided from the catalogue and the role, never from the document.
    index_base = ((obs["unit_printed"] == "").to_numpy() & (canonical["catalogue_dimension"] == "share").to_numpy()
                  & (obs["role"].isin(CHANGE_ROLES).to_numpy() | (facts["quantity"] == "change").to_numpy()))
    reading = _readings(obs["value_printed"], obs["role"], obs["period_note"], share_unit, index_base, dataset.settings.tolerances).set_index(index)

    # 突破3万家 entered with unit 家: never a silent ×10⁴
    lost = _per_distinct(reading["cell_unit"], magnitude_of).where((obs["unit_printed"] != "").to_numpy(), "")
    lacking = ((lost != "") & (lost != _per_distinct(obs["unit_printed"], magnitude_of).to_numpy())).to_numpy()
    _unreadable(reading, lacking, "the value prints the magnitude " + lost[lacking].map(repr) + " (" + reading.loc[lacking, "cell_unit"].map(repr)
                + ") but the unit entered is " + obs.loc[lacking, "unit_printed"].astype("str").map(repr).to_numpy()
                + ": enter unit_printed " + reading.loc[lacking, "cell_unit"].map(repr))

    # a unit printed inside the value, when the row names none; never fall back silently to the catalogue unit
    in_value = ~has_printed & (reading["cell_unit"] != "")
    cell = _unit_columns(reading["cell_unit"].where(in_value, ""), lambda text: units.resolve(text) if text else None, "printed").set_index(index)
    unknown = (in_value & cell["printed_unit_id"].isna()).to_numpy()
    _unreadable(reading, unknown, "unknown unit " + reading.loc[unknown, "cell_unit"].map(repr) + " inside the value")
    resolved = printed.where(np.repeat(has_printed.to_numpy()[:, None], printed.shape[1], axis=1), cell)
    assumed = resolved["printed_unit_id"].isna()
    unit_id = resolved["printed_unit_id"].where(~assumed, canonical["catalogue_unit_id"].to_numpy())
    dimension = resolved["printed_dimension"].where(~assumed, canonical["catalogue_dimension"].to_numpy())
    unit_factor = resolved["printed_factor"].where(~assumed, canonical["catalogue_factor"].to_numpy()).astype(float)
    convertible = dimension.to_numpy() == canonical["catalogue_dimension"].to_numpy()
    factor = np.where(convertible, unit_factor.to_numpy() / canonical["catalogue_factor"].to_numpy(dtype=float), 1.0)

    footnote = reading["footnote_year"]
    key = obs["period"].astype("str")  # a copy, as text: footnote years are written into it
    noted = (footnote.notna() & (footnote != 0)).to_numpy()
    key[noted] = footnote[noted].astype(int).astype(str).to_numpy()
    codes, keys = pd.factorize(key.to_numpy())  # first and last year read once per distinct key (a few dozen), not sliced per row
    years = np.array([period_years(k) for k in keys], dtype=np.int64).reshape(-1, 2)
    start, end = years[codes, 0], years[codes, 1]

    number = reading["number"].astype(float)
    frame = obs.copy(deep=False)  # copy-on-write: the loaded columns are shared, not copied; new columns are its own
    columns = {
        "kind": reading["kind"], "trend": reading["trend"], "cumulative": reading["cumulative"].astype(bool),
        "aspirational": reading["aspirational"].astype(bool), "average_annual": reading["average_annual"].astype(bool),
        "footnote_year": footnote, "cell_unit": reading["cell_unit"],
        "parse_error": reading["parse_error"], "number": number, "value": number * factor,
        "lower": _scale(reading["lower"].astype(float), factor), "upper": _scale(reading["upper"].astype(float), factor),
        "unit_id": unit_id, "unit_dimension": dimension, "unit_assumed": assumed, "converted": convertible,
        "catalogue_unit": canonical["catalogue_unit_id"], "catalogue_dimension": canonical["catalogue_dimension"],
        "period_key": key, "year_start": start, "year": end,
        "role_class": pd.Series(np.where(obs["role"].isin(STATUS_ROLES), "status", obs["role"].to_numpy(dtype=object)), index=index, dtype="str"),
        "is_change": obs["role"].isin(CHANGE_ROLES),
        "indicator_name": facts["indicator_name"], "direction": facts["direction"], "quantity": facts["quantity"],
        "additive": facts["additive"] == "true", "parent_indicator": facts["parent_indicator"], "share_part": facts["share_part"],
        "share_whole": facts["share_whole"], "minuend": facts["minuend"], "subtrahend": facts["subtrahend"],
        "target_limit": facts["target_limit"],
        "numeric": reading["kind"].isin(["point", "floor", "ceiling", "approx", "range", "zero"]),
    }
    for name, column in columns.items():
        frame[name] = column.set_axis(frame.index) if isinstance(column, pd.Series) else column
    return typed(frame)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its CATEGORICAL columns as categoricals (dataset.categorical), also a parsed frame put
    together from parts."""
    return categorical(frame, CATEGORICAL)


def _readings(values: pd.Series, roles: pd.Series, notes: pd.Series, share_unit: pd.Series, index_base: np.ndarray, tolerances) -> pd.DataFrame:
    """ParsedValue fields per row, parsing each distinct (printed, role, note, share unit, index base) once."""
    keys = pd.DataFrame({"value": values.to_numpy(), "role": roles.to_numpy(), "note": notes.to_numpy(), "share": share_unit.to_numpy(),
                         "index_base": index_base})
    codes, distinct = _factorize(keys)
    parsed = [parse(v, role=r, period_note=n, share_unit=s, tolerances=tolerances, index_base=i)
              for v, r, n, s, i in zip(distinct["value"], distinct["role"], distinct["note"], distinct["share"], distinct["index_base"], strict=False)]
    table = pd.DataFrame({
        "kind": [p.kind for p in parsed],
        "trend": pd.Series([p.trend for p in parsed], dtype=object),
        "cumulative": [p.cumulative for p in parsed],
        "aspirational": [p.aspirational for p in parsed],
        "average_annual": [p.average_annual for p in parsed],
        "footnote_year": pd.Series([p.footnote_year for p in parsed], dtype=float),
        "cell_unit": [p.cell_unit for p in parsed],
        "parse_error": pd.Series([p.error for p in parsed], dtype=object),
        "number": pd.Series([p.number for p in parsed], dtype=float),
        "lower": [p.lower for p in parsed],
        "upper": [p.upper for p in parsed],
    })
    return table.take(codes).reset_index(drop=True)


def _factorize(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """(code per row, distinct rows in order of first appearance)."""
    codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = ~keys.duplicated()
    return codes, keys[first].reset_index(drop=True)


def _unit_columns(texts: pd.Series, resolve, prefix: str) -> pd.DataFrame:
    """unit id, dimension and factor per row, resolving each distinct text once."""
    texts = pd.Series(texts.to_numpy(dtype=object), index=texts.index)  # mapped as text (a categorical maps to a categorical)
    distinct = pd.unique(texts.to_numpy())
    found = {text: resolve(text) for text in distinct}
    ids = {t: (u.unit_id if u else None) for t, u in found.items()}
    dims = {t: (u.dimension if u else None) for t, u in found.items()}
    factors = {t: (u.factor if u else np.nan) for t, u in found.items()}
    return pd.DataFrame({f"{prefix}_unit_id": texts.map(ids).astype(object), f"{prefix}_dimension": texts.map(dims).astype(object),
                         f"{prefix}_factor": texts.map(factors).astype(float)})


def _per_distinct(texts: pd.Series, function) -> pd.Series:
    """function(text) per row, called once per distinct text."""
    values = texts.to_numpy(dtype=object)  # mapped as text (a categorical maps to a categorical)
    return pd.Series(values, index=texts.index).map({text: function(text) for text in pd.unique(values)})


def _unreadable(reading: pd.DataFrame, rows: np.ndarray, errors: pd.Series) -> None:
    """Replace the readings of `rows` by an unreadable one carrying its error."""
    if not rows.any():
        return
    blank = ParsedValue("unreadable")
    values = {"kind": blank.kind, "trend": blank.trend, "cumulative": blank.cumulative, "aspirational": blank.aspirational,
              "footnote_year": np.nan, "cell_unit": blank.cell_unit, "number": np.nan, "lower": blank.lower, "upper": blank.upper}
    for column, value in values.items():
        reading.loc[rows, column] = value
    reading.loc[rows, "parse_error"] = errors.to_numpy()


def _scale(bound: pd.Series, factor: np.ndarray) -> np.ndarray:
    """A bound times the unit factor; an unbounded end stays unbounded."""
    scaled = bound.to_numpy() * factor
    return np.where(np.isfinite(bound.to_numpy()), scaled, bound.to_numpy())
