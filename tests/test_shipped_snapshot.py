"""The shipped dataset's findings, pinned: rule, fingerprint, severity and message of each, in
tests/snapshots/shipped-findings.csv. A change that alters them shows as a diff of that file.

    SEED_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_shipped_snapshot.py   # rewrite it, then review `git diff`
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from pathlib import Path

import pytest

from checks import pipeline
from checks.dataset import load
from checks.rules import RULES
from checks.waivers import known_rule_ids

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"
SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "shipped-findings.csv"
COLUMNS = ["rule", "fingerprint", "severity", "message"]
UPDATE = os.environ.get("SEED_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def shipped_run():
    return pipeline.execute(load(SHIPPED), RULES, with_suites=True)


def _render(findings) -> str:
    """One CSV row per finding, sorted; the dataset's own path is left out of messages."""
    root = str(SHIPPED) + os.sep
    rows = sorted((f.rule, f.fingerprint, f.severity, f.message.replace(root, "")) for f in findings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def test_shipped_findings_match_the_snapshot(shipped_run):
    current = _render(shipped_run.findings)
    if UPDATE:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
        pytest.skip(f"{SNAPSHOT.name} rewritten: review `git diff {SNAPSHOT}`")
    recorded = SNAPSHOT.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(recorded.splitlines(), current.splitlines(), "recorded", "now", lineterm="", n=0))
    assert not diff, ("the shipped dataset's findings changed; if that is meant, rewrite the snapshot with "
                      "SEED_UPDATE_SNAPSHOTS=1 and say why in the commit:\n" + "\n".join(diff))


def test_the_snapshot_fingerprints_are_unique():
    rows = list(csv.DictReader(SNAPSHOT.open(encoding="utf-8")))
    assert rows and len({r["fingerprint"] for r in rows}) == len(rows)


def test_no_waiver_is_stale(shipped_run):
    """Every waiver of the shipped dataset accepts a finding of today (rule and fingerprint)."""
    assert [(w["fingerprint"], w["rule"]) for w in shipped_run.stale_waivers] == []
    waived = {(f.fingerprint, f.rule) for f in shipped_run.findings if f.status == "waived"}
    assert waived == {(w.fingerprint, w.rule) for w in shipped_run.dataset.waivers.itertuples()}


def test_every_waiver_names_a_known_rule(shipped_run):
    known = known_rule_ids()
    assert [w.rule for w in shipped_run.dataset.waivers.itertuples() if w.rule not in known] == []
