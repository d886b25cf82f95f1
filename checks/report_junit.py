"""JUnit XML: one test case per rule (and per GE suite); unwaived findings at or above the
failing severity are its failures, so a CI system shows them as failed tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.findings import severity_rank


def render_junit(report: dict) -> str:
    fail_on = report["run"]["fail_on"]
    new_only = report["run"]["new_only"]
    threshold = severity_rank(fail_on) if fail_on != "never" else 99
    suite = ET.Element("testsuite", name="seed", timestamp=report["run"]["started"], time=str(report["run"]["seconds"]))
    failures = 0
    for rule in report["rules"]:
        case = ET.SubElement(suite, "testcase", classname=f"seed.{rule['family']}", name=rule["rule"])
        findings = [f for f in report["findings"] if f["rule"] == rule["rule"]]
        failing = [f for f in findings if f["status"] != "waived" and severity_rank(f["severity"]) >= threshold
                   and (not new_only or f["status"] == "new")]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", message=f"{len(failing)} {rule['severity']} finding(s): {failing[0]['message'][:200]}",
                                    type=rule["severity"])
            failure.text = "\n".join(f"[{f['fingerprint']}] {_where(f)}{f['message']}" for f in failing)
        others = [f for f in findings if f not in failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(f"[{f['status']}] [{f['fingerprint']}] {_where(f)}{f['message']}" for f in others)
    suite.set("tests", str(len(report["rules"])))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def _where(finding: dict) -> str:
    if finding["observations"]:
        first = finding["observations"][0]
        return f"{first['file']}:{first['file_line']}: "
    return f"{finding['document']}:{finding['line']}: " if finding["document"] else ""
