"""Accepted findings and pull-request mode: mark each finding waived / new / open, list the
resolved ones and the stale waivers."""

from __future__ import annotations

import pandas as pd

from checks.findings import Finding


def apply_waivers(findings: list[Finding], waivers: pd.DataFrame) -> list[dict]:
    """Mark waived findings; return the waivers that match no finding (stale)."""
    by_fingerprint = {w["fingerprint"]: w for w in waivers.drop(columns=["file", "file_line"], errors="ignore").to_dict("records")}
    matched = set()
    for finding in findings:
        waiver = by_fingerprint.get(finding.fingerprint)
        if waiver is not None:
            finding.status, finding.waiver = "waived", waiver
            matched.add(finding.fingerprint)
    return [w for fp, w in by_fingerprint.items() if fp not in matched]


def compare_with_previous(findings: list[Finding], previous: dict) -> list[dict]:
    """Against a previous run's JSON: each unwaived finding is new or open; return the resolved ones."""
    before = {f["fingerprint"]: f for f in previous.get("findings", [])}
    now = {f.fingerprint for f in findings}
    for finding in findings:
        if finding.status != "waived":
            finding.status = "open" if finding.fingerprint in before else "new"
    return [{"fingerprint": fp, "rule": f["rule"], "severity": f["severity"], "message": f["message"]}
            for fp, f in before.items() if fp not in now]
