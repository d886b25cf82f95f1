"""SARIF 2.1.0, the format GitHub code scanning (and other code-review tools) read: one result
per finding at its CSV row or source line, the rules with their descriptions, waived findings
as suppressed results, and in pull-request mode each result's baseline state (new / unchanged).

Validated in a test against the OASIS SARIF 2.1.0 JSON schema (tests/schemas/).
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import TextIO

from checks import json_text
from checks.report_model import Finding, Report

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/seed-checks/seed#readme"


def render_sarif(report: Report, descriptions: dict[str, str] | None = None) -> str:
    """`descriptions` maps a rule id to its full description (the rule's docstring)."""
    out = io.StringIO()
    write_sarif(report, out, descriptions)
    return out.getvalue()


def write_sarif(report: Report, out: TextIO, descriptions: dict[str, str] | None = None) -> None:
    """The SARIF log written result by result: the text of 100,000 results is never held whole."""
    descriptions = descriptions or {}
    rules: list[dict] = []
    index: dict[str, int] = {}
    for rule in report.rules:
        index[rule.rule] = len(rules)
        entry = {"id": rule.rule, "name": _pascal(rule.rule), "shortDescription": {"text": rule.summary or rule.rule},
                 "defaultConfiguration": {"level": LEVELS[rule.severity]},
                 "properties": {"tags": ["seed", rule.family], "family": rule.family}}
        if descriptions.get(rule.rule):
            entry["fullDescription"] = {"text": descriptions[rule.rule]}
        rules.append(entry)
    scope = report.run.scope
    results = f"\x00results {uuid.uuid4().hex}"  # stands for the results in the log's text, each written in its place
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "seed", "version": report.tool.version, "semanticVersion": report.tool.version,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "automationDetails": {"id": "seed/" + ("all" if scope.complete else "+".join(scope.families) or "none") + "/"},
            "invocations": [{"executionSuccessful": True, "startTimeUtc": _utc(report.run.started),
                             "machine": report.run.hostname,
                             "properties": {"failOn": report.run.fail_on, "newOnly": report.run.new_only,
                                            "completeRun": scope.complete, "families": scope.families,
                                            "select": scope.select, "ignore": scope.ignore,
                                            "failing": report.counts.failing, "reportSchemaVersion": report.schema_version}}],
            "columnKind": "unicodeCodePoints",
            "results": [results],
            "properties": {"dataset": report.dataset.path, "datasetFingerprint": report.dataset.fingerprint},
        }],
    }
    before, after = json_text.dumps(log).split(json_text.dumps(results), 1)
    indent = before[before.rindex("\n") + 1:]  # the results' own: before ends with '"results": [' and a line break
    artifacts: dict[str, dict] = {}  # each file's artifactLocation made once (a path parsed and quoted part by part)
    if not report.findings:
        out.write(before[:-1 - len(indent)] + after[len(indent):] + "\n")  # "results": []
        return
    out.write(before)
    for k, finding in enumerate(report.findings):
        out.write(("" if k == 0 else ",\n" + indent) + json_text.dumps(_result(finding, index, report.run.compared_with_previous, artifacts), len(indent)))
    out.write(after + "\n")


def _result(finding: Finding, index: dict[str, int], compared: bool, artifacts: dict[str, dict]) -> dict:
    def artifact(path: str) -> dict:
        if path not in artifacts:
            artifacts[path] = _artifact(path)
        return dict(artifacts[path])

    result: dict[str, object] = {"ruleId": finding.rule, "level": LEVELS[finding.severity], "message": {"text": finding.message},
              "partialFingerprints": {"seedFingerprint/v1": finding.fingerprint},
              "properties": {"status": finding.status, "fails": finding.fails, "observations": [o.id for o in finding.observations]}}
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.location:
        physical: dict[str, object] = {"artifactLocation": artifact(finding.location.file)}
        if finding.location.line:
            physical["region"] = {"startLine": finding.location.line}
        result["locations"] = [{"physicalLocation": physical}]
    related = []
    for number, obs in enumerate(finding.observations[:-1], start=1):
        related.append({"id": number, "physicalLocation": {"artifactLocation": artifact(obs.file), "region": {"startLine": obs.file_line}},
                        "message": {"text": f"{obs.id}: {obs.value_printed}{obs.unit_printed} ({obs.quote})"}})
    if related:
        result["relatedLocations"] = related
    if finding.status == "waived" and finding.waiver:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{finding.waiver.reason} ({finding.waiver.who}, {finding.waiver.when})"}]
    if compared:
        result["baselineState"] = "new" if finding.status == "new" else "unchanged"
    return result


def _artifact(path: str) -> dict:
    """Relative paths stay relative to the repository root (%SRCROOT%); absolute ones become file URIs."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": "/".join(_quote(part) for part in Path(path).as_posix().split("/")), "uriBaseId": "%SRCROOT%"}


def _quote(part: str) -> str:
    from urllib.parse import quote
    return quote(part, safe="-._~!$&'()*+,;=@")


def _pascal(rule_id: str) -> str:
    return "".join(word.capitalize() for word in rule_id.replace(".", "-").split("-") if word)


def _utc(started: str) -> str:
    """SARIF wants UTC with a Z."""
    return started.replace("+00:00", "Z") if started.endswith("+00:00") else started
