"""Printed unit → catalogue unit, with Chinese magnitude words (万, 亿) as factors."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from checks.grammar import fold  # NFKC folds full-width forms and superscripts (³ → 3); white space is dropped

# Longest first: 万亿 (10¹²) is one magnitude, not 万 before 亿.
MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4}
# 余 / 多 between a magnitude and a classifier ("1.9万余个") say "more than"; they are not unit text.
MORE_THAN_MARKERS = "余多"


@dataclass(frozen=True)
class ResolvedUnit:
    unit_id: str
    dimension: str
    factor: float  # to the dimension's base unit


class UnitTable:
    """Looks printed units up in units.csv's aliases."""

    def __init__(self, units: pd.DataFrame):
        self.by_id: dict[str, ResolvedUnit] = {}
        self.by_alias: dict[str, ResolvedUnit] = {}
        for row in units.itertuples(index=False):
            resolved = ResolvedUnit(row.id, row.dimension, float(row.factor))
            self.by_id[row.id] = resolved
            for alias in [row.name, *str(row.aliases).split("|")]:
                key = fold(alias)
                if key:
                    self.by_alias[key] = resolved

    def resolve(self, printed: str) -> ResolvedUnit | None:
        """The unit a printed form stands for, or None when it is unknown."""
        text = fold(printed).strip("()（）")
        if not text:
            return None
        if text in self.by_alias:
            return self.by_alias[text]
        magnitude = next((word for word in MAGNITUDES if text.startswith(word)), None)
        if magnitude:
            rest = text[len(magnitude):].lstrip(MORE_THAN_MARKERS)
            base = self.by_alias.get(rest)
            if base is not None:
                return ResolvedUnit(base.unit_id, base.dimension, base.factor * MAGNITUDES[magnitude])
        return None


def magnitude_of(printed: str) -> str:
    """The magnitude word a printed unit starts with ("万亿", "亿", "万"), or ""."""
    text = fold(printed)
    return next((word for word in MAGNITUDES if text.startswith(word)), "")
