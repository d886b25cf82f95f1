"""A finding's evidence in words and small tables, and numbers at the precision they were printed.

Rules put the values they compared into `evidence` as plain JSON (intervals as [low, high] with
null for an open end, observation ids, ratios, settings). This module turns that dict into rows
of typed cells the HTML template lays out; it never formats HTML itself, so everything from the
data stays escaped and isolated by the template. Unknown keys (a new rule's evidence) still read
as "key: value" rather than as JSON.

Cells are (kind, value):
  ("num", "96.05–96.15")  a number or interval Seed formatted
  ("text", "higher ↑")    interface words in the report's language
  ("data", "96.3%以上")   text from the dataset or a source, shown as written
  ("ref", {...})          an observation: document, line, role, period, id
"""

from __future__ import annotations

import math

from checks.number_text import decimal_places, decimal_text, number

INTERVAL_KEYS = {"interval", "difference", "printed_start", "implied_start"}
Cell = tuple[str, object]


def interval(value) -> str:
    """[low, high] in words: "≥ 83.5", "≤ 1.3", "95–97", "96.05–96.15" (both ends at the precision
    their difference needs), one figure when the ends meet."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        return number(value)
    low, high = (_finite(v) for v in value)
    if low is None and high is None:
        return "—"
    if high is None:
        return f"≥ {number(low)}"
    if low is None:
        return f"≤ {number(high)}"
    if low == high:
        return number(low)
    width = abs(high - low)
    places = max(0, 2 - math.floor(math.log10(width)))
    places = min(places, max(decimal_places(f"{low:.15g}"), decimal_places(f"{high:.15g}")))  # never more digits than either end has
    a, b = decimal_text(low, places, strip=False), decimal_text(high, places, strip=False)
    while places > 0 and a.endswith("0") and b.endswith("0"):  # strip the zeros both ends share
        a, b, places = a[:-1], b[:-1], places - 1
    a, b = (a.rstrip("."), b.rstrip(".")) if places == 0 else (a, b)
    joiner = "–" if low >= 0 else " … "
    return f"{a}{joiner}{b}"


def is_interval(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in value)
            and any(v is not None for v in value)
            and (None in value or value[0] <= value[1]))


def _finite(v):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return float(v)


def printed_with_unit(value_printed: str | None, unit_printed: str | None) -> str:
    """The printed value and its unit, without doubling a unit the value already carries
    ('95%以上' with unit '%' stays '95%以上'; '85' with unit '万千瓦' reads '85 万千瓦')."""
    value, unit = (value_printed or "").strip(), (unit_printed or "").strip()
    if not unit or unit in value or (unit in {"%", "％"} and ("%" in value or "％" in value)):
        return value
    return f"{value} {unit}" if value else unit


class EvidenceView:
    """Turns one finding's evidence into rows; knows the finding's observations for references
    and the indicator names seen in the report for ids."""

    def __init__(self, observations: list[dict], names: dict[str, str], text: dict[str, str]):
        self.observations = {o.get("id"): o for o in observations if o.get("id")}
        self.names = names
        self.text = text

    def rows(self, evidence: dict | None) -> list[dict]:
        """[{"label", "cells"}] for a line, [{"label", "columns", "rows"}] for a small table."""
        out = []
        for key, value in (evidence or {}).items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                out.append(self._table(key, value))
            else:
                out.append({"label": self.label(key), "cells": self.cells(key, value)})
        return out

    def label(self, key) -> str:
        return self.text.get(f"ev_{key}") or str(key).replace("_", " ")

    def _table(self, key, items: list[dict]) -> dict:
        keys: list[str] = []
        for item in items:
            keys += [k for k in item if k not in keys]
        columns = []
        for k in keys:
            columns += [self.label("figure"), self.label("printed")] if k == "id" else [self.label(k)]
        rows = []
        for item in items:
            row = []
            for k in keys:
                if k == "id":
                    row += [[self._ref(item.get(k))], [self._printed(item.get(k))]]
                else:
                    row.append(self.cells(k, item.get(k)) if k in item else [])
            rows.append(row)
        return {"label": self.label(key), "columns": columns, "rows": rows}

    def cells(self, key, value) -> list[Cell]:
        if key == "id" and isinstance(value, str):
            return [self._ref(value), ("text", " · "), self._printed(value)]
        if key == "direction" and value in ("up", "down"):
            return [("text", self.text[f"dir_{value}"])]
        if key == "indicator" and isinstance(value, str):
            return [("data", self.names.get(value, value))]
        if (key in INTERVAL_KEYS and isinstance(value, (list, tuple))) or is_interval(value):
            return [("num", interval(value))]
        if value is None or isinstance(value, (bool, int, float)):
            return [("num", number(value))]
        if isinstance(value, str):
            return [("data", value)]
        if isinstance(value, dict):
            if "indicator" in value and "name" in value:
                value = {"name": value["name"], **{k: v for k, v in value.items() if k not in ("indicator", "name")}}
            out: list[Cell] = []
            for k, v in value.items():
                if out:
                    out.append(("text", " · "))
                if k in ("interval", "name", "id"):  # self-explanatory: no label
                    out += self.cells(k, v) if k != "name" else [("data", v)]
                else:
                    out += [("text", f"{self.label(k)}: "), *self.cells(k, v)]
            return out
        if isinstance(value, (list, tuple)):
            out = []
            for v in value:
                if out:
                    out.append(("text", ", "))
                out += self.cells(None, v)
            return out
        return [("data", str(value))]

    def _ref(self, obs_id) -> Cell:
        o = self.observations.get(obs_id) or {}
        return ("ref", {"id": obs_id or "", "document": o.get("document") or "", "line": o.get("line"),
                        "role": o.get("role") or "", "period": o.get("period") or ""})

    def _printed(self, obs_id) -> Cell:
        o = self.observations.get(obs_id) or {}
        return ("data", printed_with_unit(o.get("value_printed"), o.get("unit_printed")))
