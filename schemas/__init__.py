"""Pandera schemas of the dataset's tables, and of the references between them; the Great
Expectations suites Seed ships (expectations/<name>.json, generic: a suite that names an indicator,
a document or a region belongs in the dataset's own expectations/ folder)."""

from pathlib import Path

SHIPPED_SUITES = Path(__file__).resolve().parent / "expectations"
