"""Every threshold a rule uses, read from the dataset's settings.toml.

Each setting is declared here once with its default and meaning; the file may override any of
them, and an unknown key is an input error (a typo must not silently fall back to a default).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from checks.errors import InputError, InputProblem
from checks.findings import plain
from checks.grammar import Tolerances
from checks.input_files import MEGABYTE, Unreadable, read_text

SETTINGS_LIMIT = MEGABYTE  # settings.toml itself is read before any limit is known


def setting(default: Any, section: str, help: str, **bounds: Any):
    """A setting's field: its default, the settings.toml section it is read from, what it means (shown
    by `check settings` and in the reports) and its allowed range (`min`, `max`; `nonblank` for text)."""
    return field(default=default, metadata={"section": section, "help": help, **bounds})


@dataclass(frozen=True)
class Settings:
    # [tolerances]
    approx_share_points: float = setting(1.0, "tolerances", "half-width of 左右/约 on a % figure, in percentage points", min=0.0)
    approx_relative: float = setting(0.05, "tolerances", "half-width of 左右/约/近 on other figures, as a share of the value", min=0.0, max=1.0)
    derived_relative: float = setting(0.002, "tolerances", "extra relative slack when comparing totals implied by shares", min=0.0, max=1.0)
    # [plausibility]
    max_ratio_share: float = setting(
        2.0, "plausibility",
        "a share or rate that grows or shrinks by more than this factor between two figures is flagged", min=1.0)
    max_ratio_other: float = setting(5.0, "plausibility", "the same for counts, levels and amounts", min=1.0)
    ratio_years: int = setting(5, "plausibility", "the two ratios are allowed per this many years; over a longer span they compound per year", min=1)
    # [provenance]
    line_window: int = setting(2, "provenance", "how many lines a quote may stand from its stated line", min=0)
    # [coverage]
    blind_scan_ratio: float = setting(
        0.5, "coverage",
        "a document whose scan finds fewer numbers than this share of its numeric observations is one the scanner cannot read "
        "(coverage.blind-scan)", min=0.0)
    blind_scan_min_figures: int = setting(
        5, "coverage",
        "coverage.blind-scan judges only documents with at least this many numeric observations (fewer say too little about a "
        "layout)", min=1)
    # [source_text]
    injected_markers: tuple[str, ...] = setting(
        ("投注", "博彩", "娱乐城", "备用网址", "彩票", "赌场", "http://", "https://", "www."), "source_text",
        "words that betray text injected by a web page")
    damage_characters: str = setting("★▲△▼◆■□●○◎☆※^「」�", "source_text", "characters that do not belong inside printed Chinese text (OCR damage)")
    redaction_marker: str = setting("**", "source_text", "how a redacted name is printed", nonblank=True)
    # [limits]
    max_source_bytes: int = setting(20 * MEGABYTE, "limits", "largest source document read, in bytes (a real one is well under 1 MB)", min=1)
    max_table_bytes: int = setting(200 * MEGABYTE, "limits", "largest CSV table read, in bytes", min=1)
    max_workbook_bytes: int = setting(
        200 * MEGABYTE, "limits",
        "largest .xlsx workbook read as a dataset, in bytes, both as stored and unpacked (a workbook is a zip file)", min=1)
    max_field_chars: int = setting(100_000, "limits", "longest CSV cell, in characters", min=1)
    max_region_depth: int = setting(12, "limits", "most levels of regions below the top one (country > province > prefecture > county > ...)", min=1)
    max_pairs_per_key: int = setting(
        1_000_000, "limits",
        "most pairs one key group may make when a rule pairs figures; a larger group is a finding, not compared", min=1)
    max_pairs_per_observation: int = setting(
        30, "limits",
        "most pairs one pairing may make per observation of the dataset (at least max_pairs_per_key); beyond, its largest key "
        "groups are findings, not compared", min=1)
    max_problems_per_file: int = setting(20, "limits", "input problems listed per file; the rest are counted", min=1)
    # [report]
    max_findings_per_rule: int = setting(
        200, "report",
        "findings shown per rule in the HTML report; the rest are counted there and all are in its CSV/JSON download", min=1)
    max_charts: int = setting(150, "report", "baseline/target charts drawn in the HTML report (flagged ones first); the rest are counted", min=1)

    @property
    def tolerances(self) -> Tolerances:
        return Tolerances(self.approx_share_points, self.approx_relative)


def describe() -> list[tuple[str, str, object, str]]:
    """(section, key, default, meaning) for every setting, for `check settings` and the docs."""
    return [(f.metadata["section"], f.name, f.default, f.metadata["help"]) for f in fields(Settings)]


def in_use(settings: Settings) -> list[dict]:
    """Every setting with the value this run used, its default and meaning (for the reports)."""
    return [{"section": f.metadata["section"], "key": f.name, "value": plain(getattr(settings, f.name)),
             "default": plain(f.default), "meaning": f.metadata["help"]} for f in fields(Settings)]


def load_settings(path: Path) -> Settings:
    """Read settings.toml (a byte-order mark is accepted, as in every CSV) and validate every
    value: known key in its section, its type (`true` is not a number), a finite number in range."""
    if not os.path.lexists(path):
        return Settings()
    try:
        text = read_text(path, SETTINGS_LIMIT, inside=Path(path).parent, what="settings file")
    except Unreadable as error:
        raise InputError([error.problem]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([_toml_problem(str(path), exc)]) from None
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    problems: list[InputProblem] = []
    for section, table in data.items():
        if not isinstance(table, dict):
            problems.append(InputProblem(str(path), f"'{section}' must be a [section]", line=_line_of(text, section)))
            continue
        for key, value in table.items():
            spec = known.get(key)
            line = _line_of(text, key)
            if spec is None or spec.metadata["section"] != section:
                problems.append(InputProblem(str(path), f"unknown setting [{section}] {key}", line=line))
                continue
            checked, wrong = _checked(spec, value)
            if wrong:
                problems.append(InputProblem(str(path), f"[{section}] {key} {wrong}", line=line))
                continue
            values[key] = checked
    if problems:
        raise InputError(problems)
    return Settings(**values)


def _checked(spec, value) -> tuple[object, str | None]:
    """(the value converted to the setting's type, None), or (None, what is wrong with it)."""
    expected = type(spec.default)
    meta = spec.metadata
    if expected is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, "must be a list of non-empty strings"
        return tuple(value), None
    if expected is str:
        if not isinstance(value, str):
            return None, "must be a string"
        if meta.get("nonblank") and not value.strip():
            return None, "must not be blank"
        return value, None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (expected is int and not isinstance(value, int)):
        return None, f"must be {'an integer' if expected is int else 'a number'}, not {_toml_type(value)}"
    if not math.isfinite(value):
        return None, f"must be a finite number, not {value}"
    if "min" in meta and value < meta["min"]:
        return None, f"must be at least {meta['min']}, not {value}"
    if "max" in meta and value > meta["max"]:
        return None, f"must be at most {meta['max']}, not {value}"
    return expected(value), None


def _toml_type(value) -> str:
    names = {bool: "true/false", str: "a string", list: "a list", dict: "a table", float: "a decimal number", int: "an integer"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


def _line_of(text: str, key: str) -> int | None:
    """The line where `key` is set or its [section] opens (for the message; None if not found)."""
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_problem(name: str, exc: tomllib.TOMLDecodeError) -> InputProblem:
    match = re.search(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$", str(exc))
    if match:
        return InputProblem(name, f"not valid TOML: {match[1]}", line=int(match[2]), column=int(match[3]))
    return InputProblem(name, f"not valid TOML: {exc}")
