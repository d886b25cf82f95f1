"""One runner for every rule case in tests/rule_cases/*.toml (the format: tests/rule_cases/README.md).

Each case is a tiny dataset; the runner builds it, runs the file's rule family, and asserts
exactly which findings every rule of the family reports (rule, observations or document and
line, message), that no rule crashed, and the checked / failed / undecided counts the case pins.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builders import build_dataset, indicator, observation, run_rules

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"
COUNT_KEYS = {"checked", "failed", "undecided", "undecided_reasons"}


def load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
            params.append(pytest.param(data, case, id=f"{path.stem}: {case['name']}", marks=marks))
    return params


def _observation(given: dict) -> dict:
    fields = {k: str(v) for k, v in given.items()}
    return observation(fields.pop("id"), fields.pop("indicator"), fields.pop("value"), **fields)


def _key(rule: str, observations, document, line) -> tuple:
    """What identifies a finding in a case: its observations, or the document and line it is about."""
    ids = tuple(sorted(observations))
    return (rule, ids, "" if ids else (document or ""), 0 if ids else (line or 0))


def _build(tmp_path: Path, data: dict, case: dict) -> Path:
    indicators = [indicator(**{k: str(v) for k, v in i.items()}) for i in case.get("indicators", data.get("indicators", []))]
    return build_dataset(tmp_path / "d", indicators, [_observation(o) for o in case["observations"]],
                         documents=case.get("documents", data.get("documents")), sources=case.get("sources"),
                         scopes=case.get("scopes", data.get("scopes")))


@pytest.mark.parametrize("data, case", load_cases())
def test_rule_case(tmp_path, data, case):
    assert case.get("counts"), "every case pins the counts of the rule it is about (near misses above all)"
    assert all(set(want) <= COUNT_KEYS and {"checked", "undecided"} <= set(want) for want in case["counts"].values()), \
        "counts name checked and undecided (failed and undecided_reasons optional)"
    findings, summaries = run_rules(_build(tmp_path, data, case), families=[data["family"]])
    assert [s.rule for s in summaries.values() if s.crashed] == []
    expected = case.get("findings", [])
    assert all("message" in e for e in expected), "every expected finding pins its message (or a fragment of it)"
    assert set(case["counts"]) <= set(summaries), "counts of a rule outside the family"
    got = sorted((_key(f.rule, [o["id"] for o in f.observations], f.document, f.line), f.message) for f in findings)
    want = sorted((_key(e["rule"], e.get("observations", []), e.get("document"), e.get("line")), e["message"]) for e in expected)
    assert [k for k, _ in got] == [k for k, _ in want]
    for (key, message), (_, fragment) in zip(got, want, strict=False):
        assert fragment in message, key
    for rule_id, pinned in case["counts"].items():
        summary = summaries[rule_id]
        assert {k: getattr(summary, k) for k in pinned} == pinned, rule_id


def test_every_rule_has_a_case_that_fires_and_one_that_does_not():
    """A rule family with a case file: each of its rules fires in some case and is pinned by a near miss."""
    from checks.rules import RULES

    fired, pinned_quiet, families = set(), set(), set()
    for param in load_cases():
        data, case = param.values
        families.add(data["family"])
        fired |= {e["rule"] for e in case.get("findings", [])}
        pinned_quiet |= {r for r, c in case["counts"].items() if c.get("failed", 0) == 0 and r not in {e["rule"] for e in case.get("findings", [])}}
    covered = [r.id for r in RULES if r.family in families]
    assert [r for r in covered if r not in fired] == []
    assert [r for r in covered if r not in pinned_quiet] == []
