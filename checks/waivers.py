"""Accepted findings and pull-request mode: mark each finding waived / new / open, list the
resolved ones and the stale waivers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from checks.errors import InputError, InputProblem, Problems
from checks.findings import Finding
from checks.input_files import Unreadable, read_text


def known_rule_ids(dataset_suites: Iterable[str] = ()) -> set[str]:
    """Every rule id a finding can carry: the registered rules, the Great Expectations suites Seed
    ships and those of the dataset (`dataset_suites`, their names)."""
    from checks.rules import RULES  # the registry imports the loader, which validates waivers
    from checks.suites import suite_names

    return {r.id for r in RULES} | {f"suites.{name}" for name in [*suite_names(), *dataset_suites]}


def waiver_problems(waivers: pd.DataFrame, dataset_suites: Iterable[str] = ()) -> list[InputProblem]:
    """A waiver must name a rule that exists, or it would accept nothing while looking like it
    does (a blank reason is refused by the schema)."""
    if waivers.empty:
        return []
    known = known_rule_ids(dataset_suites)
    return [InputProblem(row.file, f"rule {row.rule!r} does not exist (see `check rules`): a waiver names the rule of the finding it accepts",
                         line=int(row.file_line), column="rule")
            for row in waivers.itertuples(index=False) if row.rule not in known]


def apply_waivers(findings: list[Finding], waivers: pd.DataFrame) -> list[dict]:
    """Mark waived findings; return the waivers that match no finding (stale). A waiver accepts a
    finding only when both its fingerprint and its rule match."""
    by_fingerprint = {w["fingerprint"]: w for w in waivers.drop(columns=["file", "file_line"], errors="ignore").to_dict("records")}
    matched = set()
    for finding in findings:
        waiver = by_fingerprint.get(finding.fingerprint)
        if waiver is not None and waiver["rule"] == finding.rule:
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


PREVIOUS_SUBJECT = "the --previous file"
PREVIOUS_LIMIT = 1024 * 1024 * 1024  # a previous run's JSON; far above any real one
FINDING_FIELDS = ("fingerprint", "rule", "severity", "message")


def read_previous(path: Path) -> dict:
    """A previous run's JSON (`check all --json`), read and checked for the shape
    `compare_with_previous` uses; anything else is an InputError naming the --previous file."""
    name = str(path)
    try:
        data = json.loads(read_text(Path(path), PREVIOUS_LIMIT, what="--previous file"))
    except Unreadable as error:
        raise InputError([error.problem], PREVIOUS_SUBJECT) from None
    except json.JSONDecodeError as exc:
        raise InputError([InputProblem(name, f"not JSON ({exc.msg}): --previous takes the JSON of a previous `check all --json`",
                                       line=exc.lineno, column=exc.colno)], PREVIOUS_SUBJECT) from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting thousands deep
        raise InputError([InputProblem(name, f"not a JSON report Seed can read: {type(exc).__name__}: {str(exc)[:200]}")], PREVIOUS_SUBJECT) from None
    problems = Problems(20)
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(tool, dict) or tool.get("name") != "seed":
        made_by = f" (made by {str(tool.get('name'))[:60]!r})" if isinstance(tool, dict) and tool.get("name") else ""
        problems.append(InputProblem(name, f"not the JSON report of a Seed run{made_by}: --previous takes the output of `check all --json`"))
    elif not isinstance(data.get("findings"), list):
        problems.append(InputProblem(name, "has no 'findings' list: not the JSON report of a Seed run"))
    else:
        for index, finding in enumerate(data["findings"]):
            if not isinstance(finding, dict):
                problems.append(InputProblem(name, f"findings[{index}] is not an object"))
                continue
            wrong = [f for f in FINDING_FIELDS if not isinstance(finding.get(f), str)]
            if wrong:
                problems.append(InputProblem(name, f"findings[{index}] has no text {', '.join(repr(f) for f in wrong)}"))
    if problems:
        raise InputError(problems.listed(), PREVIOUS_SUBJECT)
    return data
