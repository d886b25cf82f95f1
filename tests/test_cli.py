"""The CLI as CI and stewards use it: exit codes, JSON, JUnit, waivers, pull-request mode."""

import json
import xml.etree.ElementTree as ET

from click.testing import CliRunner

import cli
from builders import SHIPPED, build_dataset, indicator, observation, write_csv


def plan(tmp_path, target="94.1", name="d"):
    """A plan whose 2025 target of a share that should rise is `target` against a baseline of 95
    (94.1 is worse: an error; 95 is flat: a warning; 97 is fine)."""
    return build_dataset(tmp_path / name, [indicator("water_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95"),
        observation("o2", "water_good_share", target, role="target", period="2025", quote=f"2025年优良比例为{target}"),
    ])


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def check_all(root, json_path, *args):
    """`check all` on `root` without the suites or the HTML report, writing its JSON report to
    `json_path`: the result and that report."""
    result = invoke("all", "--dataset", root, "--no-suites", "--no-report", *args, "--json", json_path)
    return result, json.loads(json_path.read_text())


def test_findings_fail_the_run_and_outputs_are_written(tmp_path):
    root = plan(tmp_path)
    out = tmp_path / "out"
    result = invoke("all", "--dataset", root, "--no-suites", "--report", out / "r.html", "--json", out / "r.json", "--junit", out / "r.xml")
    assert result.exit_code == 1, result.output
    assert "targets.worse-than-baseline" in result.output and "FAILED" in result.output
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == ["targets.worse-than-baseline"]
    assert (out / "r.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_junit_has_one_case_per_rule_and_failures_as_failures(tmp_path):
    from checks.rules import RULES
    root = plan(tmp_path)
    invoke("all", "--dataset", root, "--no-suites", "--no-report", "--junit", tmp_path / "r.xml")
    suite = ET.parse(tmp_path / "r.xml").getroot()
    cases = suite.findall("testcase")
    default = [r.id for r in RULES if not r.opt_in]
    assert sorted(c.get("name") for c in cases) == sorted(default)
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["targets.worse-than-baseline"]
    assert suite.get("failures") == "1" and suite.get("tests") == str(len(default))


def test_opt_in_rule_runs_only_when_selected(tmp_path):
    """derived.implied-total is opt-in: a default run leaves it out, `--select` by id or family runs it,
    and `--ignore` still wins."""
    from checks.rules import RULES
    assert [r.id for r in RULES if r.opt_in] == ["derived.implied-total"]

    def ran(*options):
        out = tmp_path / f"r{len(list(tmp_path.glob('r*.json')))}.json"
        invoke("all", "--dataset", SHIPPED, "--no-suites", "--no-report", "--fail-on", "never", "--json", out, *options)
        data = json.loads(out.read_text(encoding="utf-8"))
        return {r["rule"] for r in data["rules"]}, sum(f["rule"] == "derived.implied-total" for f in data["findings"])

    rules, implied = ran()
    assert "derived.implied-total" not in rules and implied == 0
    assert "derived.implied-totals-disagree" in rules  # the near miss: its sibling in the same family still runs
    for select in ("derived.implied-total", "derived"):
        rules, implied = ran("--select", select)
        assert "derived.implied-total" in rules and implied > 0
    rules, implied = ran("--select", "derived", "--ignore", "derived.implied-total")
    assert "derived.implied-total" not in rules and implied == 0


def test_fail_on_warning_and_never(tmp_path):
    root = plan(tmp_path, target="95")  # a flat target: a warning only
    assert invoke("all", "--dataset", root, "--no-suites", "--no-report").exit_code == 0
    assert invoke("all", "--dataset", root, "--no-suites", "--no-report", "--fail-on", "warning").exit_code == 1
    assert invoke("all", "--dataset", plan(tmp_path, name="e"), "--no-suites", "--no-report", "--fail-on", "never").exit_code == 0


def test_a_waiver_accepts_a_finding_and_a_stale_one_is_reported(tmp_path):
    root = plan(tmp_path)
    first, data = check_all(root, tmp_path / "a.json")
    assert first.exit_code == 1
    finding = next(f for f in data["findings"] if f["severity"] == "error")
    write_csv(root / "waivers.csv", [
        {"fingerprint": finding["fingerprint"], "rule": finding["rule"], "reason": "printed so in the plan", "who": "steward", "when": "2026-11-22"},
        {"fingerprint": "0123456789abcdef", "rule": "targets.flat", "reason": "old", "who": "steward", "when": "2026-01-01"},
    ], ["fingerprint", "rule", "reason", "who", "when"])
    second, data = check_all(root, tmp_path / "b.json")
    assert second.exit_code == 0, second.output
    waived = [f for f in data["findings"] if f["status"] == "waived"]
    assert [f["fingerprint"] for f in waived] == [finding["fingerprint"]] and waived[0]["waiver"]["reason"] == "printed so in the plan"
    assert [w["fingerprint"] for w in data["stale_waivers"]] == ["0123456789abcdef"]
    assert "1 stale waiver" in second.output


def test_pull_request_mode_new_and_resolved(tmp_path):
    main = plan(tmp_path, target="97", name="main")
    assert check_all(main, tmp_path / "main.json")[0].exit_code == 0
    # A pull request that introduces one contradiction: exactly one new finding, and the run fails.
    broken = plan(tmp_path, target="94.1", name="broken")
    result, data = check_all(broken, tmp_path / "pr.json", "--previous", tmp_path / "main.json", "--new-only")
    assert result.exit_code == 1
    assert [(f["rule"], f["status"]) for f in data["findings"] if f["status"] == "new"] == [("targets.worse-than-baseline", "new")]
    # A pull request that fixes it again: the finding is resolved and the run passes.
    fixed = plan(tmp_path, target="97", name="fixed")
    result, data = check_all(fixed, tmp_path / "fixed.json", "--previous", tmp_path / "pr.json", "--new-only")
    assert result.exit_code == 0
    assert [r["rule"] for r in data["resolved"]] == ["targets.worse-than-baseline"]
    assert "1 resolved" in result.output


def refused(*args) -> str:
    """What `check ARGS` prints when it refuses them (exit 2)."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    return result.output


def test_new_only_needs_previous(tmp_path):
    assert "--previous" in refused("all", "--dataset", plan(tmp_path), "--new-only")


def test_previous_that_is_not_a_report_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert "bad.json" in refused("all", "--dataset", plan(tmp_path), "--previous", bad, "--no-report")


def test_family_runs_only_that_family_and_rejects_unknown(tmp_path):
    root = plan(tmp_path)
    result = invoke("family", "units", "--dataset", root, "--no-report", "--json", tmp_path / "u.json")
    assert result.exit_code == 0
    assert {r["family"] for r in json.loads((tmp_path / "u.json").read_text())["rules"]} == {"units"}
    bad = CliRunner().invoke(cli.main, ["family", "nonsense", "--dataset", str(root)])
    assert bad.exit_code == 2 and "unknown family nonsense" in bad.output


def test_rules_lists_every_rule_with_severity():
    from checks.rules import RULES
    result = invoke("rules")
    for current in RULES:
        assert f"{current.id}" in result.output and current.summary in result.output


def test_schemas_command(tmp_path):
    result = invoke("schemas", "--dataset", plan(tmp_path))
    assert result.exit_code == 0 and "every table is valid" in result.output


def test_no_half_written_report_when_rendering_fails(tmp_path, monkeypatch):
    import checks.report_html
    report = tmp_path / "r.html"
    report.write_text("previous report")
    def half_then_boom(data, out, **options):  # the page is written as it is made: fail half way through
        out.write("<!doctype html><html>half")
        raise RuntimeError("boom")

    monkeypatch.setattr(checks.report_html, "write_html", half_then_boom)
    result = invoke("all", "--dataset", plan(tmp_path), "--no-suites", "--report", report)
    assert result.exit_code == 3 and "internal error" in result.output and "RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    assert report.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left
