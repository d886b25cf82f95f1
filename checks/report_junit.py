"""JUnit XML: one test case per rule (and per GE suite); the findings that fail the run are its
failure, so a CI system shows them as failed tests.

The document validates against both common JUnit schemas, Jenkins' junit-10.xsd and Ant's
JUnit.xsd (tests/schemas/). Neither allows `file`/`line` attributes on a test case, so each
failing finding is a `path:line: rule  message [fingerprint]` line of the failure's text (the
first one also its message): the form CI systems and editors link. The suite carries the run's
hostname, UTC timestamp and time; each case its rule's time.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from checks.report_model import Finding, Report
from checks.terminal import finding_line

# XML 1.0 forbids most control characters even escaped; a source text may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report: Report) -> str:
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    suite = ET.Element("testsuite", name="seed", tests=str(len(report.rules)), failures="0", errors="0", skipped="0",
                       time=_seconds(report.run.seconds), timestamp=report.run.started[:19], hostname=report.run.hostname or "localhost")
    properties = ET.SubElement(suite, "properties")
    scope = report.run.scope
    for name, value in (("schema_version", report.schema_version), ("seed_version", report.tool.version),
                        ("dataset", report.dataset.path), ("dataset_fingerprint", report.dataset.fingerprint),
                        ("fail_on", report.run.fail_on), ("new_only", str(report.run.new_only).lower()),
                        ("complete_run", str(scope.complete).lower()), ("families", ",".join(scope.families)),
                        ("select", ",".join(scope.select)), ("ignore", ",".join(scope.ignore))):
        ET.SubElement(properties, "property", name=name, value=_text(value))
    failures = errors = 0
    for rule in report.rules:
        case = ET.SubElement(suite, "testcase", name=rule.rule, classname=f"seed.{rule.family}", time=_seconds(rule.seconds))
        failing = [f for f in by_rule.get(rule.rule, []) if f.fails]
        if rule.crashed:
            errors += 1
            crash = by_rule.get(rule.rule, [])
            element = ET.SubElement(case, "error", message=_text(f"rule {rule.rule} crashed"), type="crash")
            element.text = _text("\n".join(f.message for f in crash))
        elif failing:
            failures += 1
            more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
            element = ET.SubElement(case, "failure", message=_text(finding_line(failing[0]) + more), type=rule.severity)
            element.text = _text("\n".join(f"{finding_line(f)} [{f.fingerprint}]" for f in failing))
    others = [f for f in report.findings if not f.fails]
    ET.SubElement(suite, "system-out").text = _text("\n".join(f"[{f.status}] [{f.severity}] {finding_line(f)} [{f.fingerprint}]" for f in others))
    ET.SubElement(suite, "system-err").text = ""
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", str(value))
