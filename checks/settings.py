"""Every threshold a rule uses, read from the dataset's settings.toml.

Each setting is declared here once with its default and meaning; the file may override any of
them, and an unknown key is an input error (a typo must not silently fall back to a default).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from checks.errors import InputError, InputProblem
from checks.grammar import Tolerances


@dataclass(frozen=True)
class Settings:
    # [tolerances]
    approx_share_points: float = field(default=1.0, metadata={"section": "tolerances", "help": "half-width of 左右/约 on a % figure, in percentage points"})
    approx_relative: float = field(default=0.05, metadata={"section": "tolerances", "help": "half-width of 左右/约/近 on other figures, as a share of the value"})
    derived_relative: float = field(default=0.002, metadata={"section": "tolerances", "help": "extra relative slack when comparing totals implied by shares"})
    # [plausibility]
    max_ratio_share: float = field(default=2.0, metadata={"section": "plausibility", "help": "a share or rate that grows or shrinks by more than this factor between two figures is flagged"})
    max_ratio_other: float = field(default=5.0, metadata={"section": "plausibility", "help": "the same for counts, levels and amounts"})
    # [provenance]
    line_window: int = field(default=2, metadata={"section": "provenance", "help": "how many lines a quote may stand from its stated line"})
    # [source_text]
    injected_markers: tuple[str, ...] = field(default=("投注", "博彩", "娱乐城", "备用网址", "彩票", "赌场", "http://", "https://", "www."), metadata={"section": "source_text", "help": "words that betray text injected by a web page"})
    damage_characters: str = field(default="★▲△▼◆■□●○◎☆※^「」�", metadata={"section": "source_text", "help": "characters that do not belong inside printed Chinese text (OCR damage)"})
    redaction_marker: str = field(default="**", metadata={"section": "source_text", "help": "how a redacted name is printed"})

    @property
    def tolerances(self) -> Tolerances:
        return Tolerances(self.approx_share_points, self.approx_relative)


def describe() -> list[tuple[str, str, object, str]]:
    """(section, key, default, meaning) for every setting, for `check settings` and the docs."""
    return [(f.metadata["section"], f.name, f.default, f.metadata["help"]) for f in fields(Settings)]


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([InputProblem(str(path), f"not valid TOML: {exc}")]) from None
    known = {f.name: f for f in fields(Settings)}
    values, problems = {}, []
    for section, table in data.items():
        if not isinstance(table, dict):
            problems.append(InputProblem(str(path), f"'{section}' must be a [section]"))
            continue
        for key, value in table.items():
            spec = known.get(key)
            if spec is None or spec.metadata["section"] != section:
                problems.append(InputProblem(str(path), f"unknown setting [{section}] {key}"))
                continue
            expected = type(spec.default)
            if expected is tuple and isinstance(value, list):
                value = tuple(value)
            elif expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, expected):
                problems.append(InputProblem(str(path), f"[{section}] {key} must be a {expected.__name__}"))
                continue
            values[key] = value
    if problems:
        raise InputError(problems)
    return Settings(**values)
