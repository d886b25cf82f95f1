"""Every output format, parsed by its consumer's own schema or library: the report's JSON Schema,
SARIF 2.1.0 (OASIS schema), JUnit (Jenkins' and Ant's XSDs, junitparser), GitHub workflow
commands (the runner's syntax and escaping), Markdown (a CommonMark + GFM-table parser), and the
terminal's `path:line: rule  message` lines. One set of counts shows everywhere."""

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import cli
from builders import build_dataset, indicator, observation
from checks.report_model import FINDING, SCHEMA_PATH, Report, Waiver, json_schema, json_schema_text

SCHEMAS = Path(__file__).resolve().parent / "schemas"
HOSTILE = "bad | cell\r\nnew line, 100% : [link](http://x.invalid) <b>b</b> @someone `code` *em*"


def plan(tmp_path, target="94.1", name="d"):
    """A 2025 target of 94.1 against a 2020 baseline of 95 for a share that should rise: one error.
    With a second indicator whose target is flat (a warning) so that two severities show."""
    return build_dataset(tmp_path / name, [indicator("water_good_share"), indicator("air_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95"),
        observation("o2", "water_good_share", target, role="target", period="2025", quote=f"2025年优良比例为{target}"),
        observation("o3", "air_good_share", "90", role="baseline", period="2020", quote="2020年空气优良比例为90"),
        observation("o4", "air_good_share", "90", role="target", period="2025", quote="2025年空气优良比例为90"),
    ])


def invoke(*args, env=None):
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One run writing every format (no suites: they cost GE's start-up), from the folder holding
    the dataset as a repository's CI would, so paths are relative to it."""
    tmp = tmp_path_factory.mktemp("formats")
    root = plan(tmp)
    out = tmp / "out"
    here = os.getcwd()
    os.chdir(tmp)
    try:
        result = invoke("all", "--dataset", "d", "--no-suites", "--report", out / "r.html", "--json", out / "r.json",
                        "--junit", out / "r.xml", "--sarif", out / "r.sarif", "--markdown", out / "r.md", "--color", "never")
    finally:
        os.chdir(here)
    assert result.exit_code == 1, result.output
    return {"root": root, "out": out, "stdout": result.output, "report": Report.model_validate_json((out / "r.json").read_text(encoding="utf-8"))}


def hostile(report: Report) -> Report:
    """The same report with a finding whose message and quote carry every character a format must escape."""
    finding = report.failing()[0]
    obs = finding.observations[0].model_copy(update={"quote": HOSTILE, "file": "datasets/o, b:s%.csv"})
    bad = replace(finding, message=HOSTILE, observations=[obs], location=finding.location.model_copy(update={"file": "datasets/o, b:s%.csv"}))
    return report.model_copy(update={"findings": [bad, *report.findings[1:]]})


# --- the report model and its JSON Schema -------------------------------------------------------

def test_committed_schema_is_the_generated_one():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema_text(), \
        "run: python -c 'from checks.report_model import *; SCHEMA_PATH.write_text(json_schema_text())'"


def test_json_output_validates_against_the_report_schema(run):
    data = json.loads((run["out"] / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(data)
    assert data["schema_version"] == "1.0" and data["tool"]["name"] == "seed"
    broken = {**data, "counts": {**data["counts"], "error": {"unwaived": "one"}}}
    with pytest.raises(jsonschema.ValidationError):  # the schema really constrains
        jsonschema.validate(broken, json_schema())


def test_json_streamed_finding_by_finding_is_the_one_dump(run):
    """The JSON is written finding by finding; its text is exactly json.dumps of the whole model
    (indent 1, UTF-8 as written), also with text that must be escaped and with no findings."""
    written = (run["out"] / "r.json").read_text(encoding="utf-8")
    assert written == run["report"].to_text() == json.dumps(run["report"].json_dict(), ensure_ascii=False, indent=1) + "\n"
    for report in (hostile(run["report"]), run["report"].model_copy(update={"findings": []})):
        assert report.to_text() == json.dumps(report.json_dict(), ensure_ascii=False, indent=1) + "\n"


def test_a_runs_findings_are_kept_in_the_models_json_form(monkeypatch):
    """A run's report keeps the engine's findings untyped (Report.of_run) and types them on use: they
    are exactly what the model makes of them, field for field and in its order (the shipped dataset:
    findings of many families, waived ones), and `check --debug` checks it on every run."""
    from checks.dataset import load
    from checks.pipeline import _check_json_form, execute
    from checks.rules import RULES
    from schemas.parsed import DEBUG_VARIABLE

    monkeypatch.setenv(DEBUG_VARIABLE, "1")  # RunResult.report checks the JSON form of every finding
    report = execute(load(Path(__file__).resolve().parent.parent / "datasets"), RULES, with_suites=True).report("info")
    typed = Report.model_validate(report.json_dict())
    assert {f.status for f in typed.findings} >= {"waived", "open"} and len({f.family for f in typed.findings}) > 3
    assert report.to_text() == typed.to_text()
    assert [FINDING.dump_python(f) for f in report.findings] == [FINDING.dump_python(f) for f in typed.findings]
    assert [FINDING.dump_python(f) for f in report.failing()] == [FINDING.dump_python(f) for f in typed.failing()] != []
    assert [f.rule for f in report.findings[1:3]] == [f.rule for f in typed.findings[1:3]] and len(report.findings) == len(typed.findings)
    first = report.json_dict()["findings"][0]
    with pytest.raises(AssertionError, match="report model's JSON form"):  # fields out of the model's order
        _check_json_form([dict(reversed(list(first.items())))])


def test_the_shipped_dataset_report_validates(tmp_path):
    result = invoke("all", "--no-report", "--json", tmp_path / "full.json")
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads((tmp_path / "full.json").read_text(encoding="utf-8")), json_schema())


@pytest.mark.parametrize("content, says", [
    ('{"findings": []}', "not the JSON report of a Seed run"),
    ('{"tool": {"name": "ruff"}, "findings": []}', "made by 'ruff'"),
    ('{"tool": {"name": "seed", "version": "0.0.9"}, "findings": []}', "without schema_version"),
    ('{"schema_version": "2.0", "tool": {"name": "seed", "version": "9"}, "findings": []}', "report schema 2.0"),
    ('{"schema_version": "1.0", "tool": {"name": "seed", "version": "0.1.0"}, "findings": []}', "does not match the report schema"),
    ("<testsuite/>", "not JSON"),
])
def test_previous_of_another_tool_or_version_is_a_usage_error(tmp_path, content, says):
    previous = tmp_path / "prev.json"
    previous.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["all", "--dataset", str(plan(tmp_path)), "--no-suites", "--no-report", "--previous", str(previous)])
    assert result.exit_code == 2 and "prev.json" in result.output and says in result.output, result.output
    assert "Traceback" not in result.output


# --- one set of counts --------------------------------------------------------------------------

def test_one_set_of_counts_in_terminal_json_and_markdown(run):
    report = run["report"]
    assert (report.counts.error.unwaived, report.counts.warning.unwaived, report.counts.failing) == (1, 1, 1)
    counts = report.counts
    line = f"{counts.error.unwaived} errors, {counts.warning.unwaived} warnings, {counts.info.unwaived} info; 0 waived"
    line = line.replace("1 errors", "1 error").replace("1 warnings", "1 warning")
    assert line in run["stdout"]
    assert line in (run["out"] / "r.md").read_text(encoding="utf-8")
    assert sum(r.unwaived for r in report.rules) == sum(1 for f in report.findings if f.status != "waived")


# --- terminal -----------------------------------------------------------------------------------

def test_terminal_prints_failing_findings_as_path_line(run):
    report = run["report"]
    [failing] = report.failing()
    expected = f"{failing.location.file}:{failing.location.line}: targets.worse-than-baseline  {failing.message}"
    assert expected in run["stdout"].splitlines()
    assert (failing.location.file, failing.location.line) == ("d/observations/doc-a.csv", 3)  # o2 is the CSV's 3rd line
    assert "targets.flat" not in run["stdout"]  # a warning does not fail at --fail-on error, so it is not listed
    assert run["stdout"].rstrip().endswith("FAILED: 1 finding(s) at or above error")


def test_quiet_verbose_and_colour(tmp_path):
    root = plan(tmp_path)
    quiet = invoke("all", "--dataset", root, "--no-suites", "--no-report", "-q", "--color", "never")
    assert quiet.output.splitlines()[-1] == "FAILED: 1 finding(s) at or above error" and len(quiet.output.splitlines()) == 2
    verbose = invoke("all", "--dataset", root, "--no-suites", "--no-report", "-v", "--color", "never")
    assert "targets.flat" in verbose.output and "findings by rule" in verbose.output
    coloured = invoke("all", "--dataset", root, "--no-suites", "--no-report", "-q", "--color", "always")
    assert "\x1b[31m\x1b[1mFAILED" in coloured.output
    assert "\x1b[" not in invoke("all", "--dataset", root, "--no-suites", "--no-report", "-q", "--color", "auto", env={"NO_COLOR": "1"}).output
    assert "\x1b[" not in invoke("all", "--dataset", root, "--no-suites", "--no-report", "-q", "--color", "never").output


# --- JUnit --------------------------------------------------------------------------------------

@pytest.mark.parametrize("xsd", ["jenkins-junit-10.xsd", "ant-junit.xsd"])
def test_junit_validates_against_both_common_xsds(run, xsd):
    from lxml import etree
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / xsd)))
    document = etree.parse(str(run["out"] / "r.xml"))
    assert schema.validate(document), schema.error_log
    broken = etree.fromstring(etree.tostring(document))
    broken.find("testcase").set("file", "x.csv")  # what these schemas reject: attributes they do not list
    assert not schema.validate(broken)


def test_junit_parsed_by_junitparser_carries_where_when_and_who(run):
    from junitparser import Failure, JUnitXml, TestSuite
    parsed = JUnitXml.fromfile(str(run["out"] / "r.xml"))
    [suite] = [parsed] if isinstance(parsed, TestSuite) else list(parsed)
    from checks.rules import RULES
    assert suite.tests == len([r for r in RULES if not r.opt_in]) and suite.failures == 1 and suite.errors == 0
    assert suite.hostname and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.timestamp) and suite.time >= 0
    [case] = [c for c in suite if c.result and isinstance(c.result[0], Failure)]
    [failing] = run["report"].failing()
    assert case.name == "targets.worse-than-baseline" and case.time >= 0
    assert case.result[0].text.startswith(f"{failing.location.file}:{failing.location.line}: targets.worse-than-baseline  ")
    assert failing.fingerprint in case.result[0].text


def test_junit_survives_control_characters_and_markup(run):
    from lxml import etree

    from checks.report_junit import render_junit
    report = hostile(run["report"])
    bad = replace(report.findings[0], message="a\x07b <x> & \"y\"")
    xml = render_junit(report.model_copy(update={"findings": [bad, *report.findings[1:]]}))
    root = etree.fromstring(xml.encode("utf-8"))
    assert "a\ufffdb <x> & \"y\"" in root.find("testcase/failure").text


# --- SARIF --------------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema(run):
    log = json.loads((run["out"] / "r.sarif").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    with pytest.raises(jsonschema.ValidationError):  # the schema really constrains
        jsonschema.Draft4Validator(schema).validate({**log, "version": "2.0.0"})
    [sarif_run] = log["runs"]
    failing = run["report"].failing()[0]
    result = next(r for r in sarif_run["results"] if r["ruleId"] == "targets.worse-than-baseline")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == failing.location.file and location["region"]["startLine"] == failing.location.line
    assert result["level"] == "error" and result["partialFingerprints"]["seedFingerprint/v1"] == failing.fingerprint
    rule_ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in sarif_run["results"])


def test_sarif_marks_waived_findings_suppressed_and_hostile_paths_stay_valid(run):
    from checks.report_sarif import render_sarif
    report = hostile(run["report"])
    waived = replace(report.findings[0], status="waived", fails=False,
                     waiver=Waiver(fingerprint="x", rule="r", reason="as printed", who="s", when="2026-11-01"))
    log = json.loads(render_sarif(report.model_copy(update={"findings": [waived, *report.findings[1:]]})))
    jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(log)
    first = log["runs"][0]["results"][0]
    assert first["suppressions"][0]["justification"].startswith("as printed")
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "datasets/o,%20b%3As%25.csv"


# --- GitHub workflow commands -------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def parse_command(line: str) -> tuple[str, dict, str]:
    """Parse a workflow command as the runner does (split properties on ',' and '=' after escaping)."""
    match = COMMAND.match(line)
    assert match, line
    def unescape(text, prop=False):
        text = text.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            text = text.replace("%3A", ":").replace("%2C", ",")
        return text.replace("%25", "%")
    properties = dict(p.split("=", 1) for p in (match.group(2) or "").split(",") if p)
    return match.group(1), {k: unescape(v, True) for k, v in properties.items()}, unescape(match.group(3))


def test_github_annotations_on_the_csv_line(tmp_path):
    result = invoke("all", "--dataset", plan(tmp_path), "--no-suites", "--no-report", "--format", "github")
    commands = [parse_command(line) for line in result.output.splitlines() if line.startswith("::")]
    kinds = {(kind, p["title"].split(" ")[0]) for kind, p, _ in commands}
    assert kinds == {("error", "targets.worse-than-baseline"), ("warning", "targets.flat")}
    error = next(c for c in commands if c[0] == "error")
    assert error[1]["file"].endswith("observations/doc-a.csv") and error[1]["line"] == "3"
    assert error[2].startswith("target worse than ")  # the message, then the fingerprint on its own line
    assert re.search(r"\n\[[0-9a-f]{16}\]$", error[2])


def test_github_annotation_escaping_round_trips(run):
    from checks.report_github import render_github
    report = hostile(run["report"])
    line = render_github(report).splitlines()[0]
    assert "\r" not in line and "\n" not in line
    _kind, properties, message = parse_command(line)
    assert properties["file"] == "datasets/o, b:s%.csv" and message.startswith(HOSTILE)
    assert set(properties) == {"file", "line", "title"}  # the ',' and ':' in the path did not split it


# --- Markdown -----------------------------------------------------------------------------------

def test_markdown_table_cannot_be_broken_by_dataset_text(run):
    from markdown_it import MarkdownIt

    from checks.report_markdown import render_markdown
    text = render_markdown(hostile(run["report"]))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.children)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    findings_table = [r for r in rows if len(r) == 5]
    assert len(findings_table) == 2  # header + the one failing finding, whatever its text holds
    cells = findings_table[1]
    message = "".join(c.content for c in cells[3] if c.type == "text")
    assert message == HOSTILE.replace("\r\n", " ").replace("@", "@\u200b")
    assert not any(c.type in ("link_open", "html_inline", "em_open", "code_inline") for cell in cells for c in cell)
    assert all(len(r) in (3, 5) for r in rows)


def test_format_json_prints_only_the_report_on_standard_output(tmp_path):
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "all", "--dataset", str(plan(tmp_path)), "--no-suites",
                             "--no-report", "--format", "json"],
                            cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1
    data = json.loads(result.stdout)  # nothing but the report
    jsonschema.validate(data, json_schema())
    assert data["counts"]["failing"] == 1 and data["series"]  # chart data kept: the JSON can rebuild the report
    assert "FAILED: 1 finding(s) at or above error" in result.stderr  # the person still sees the verdict
