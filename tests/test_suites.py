"""Great Expectations suites: stored JSON, run in an ephemeral context, results as findings."""

import json
from pathlib import Path

import pytest

from builders import build_dataset, indicator, observation
from checks import suites
from checks.dataset import load
from checks.engine import Context
from checks.errors import InputError
from checks.findings import fingerprint

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"


def write_suite(directory: Path, name: str, frame: str, expectations: list[dict], **meta) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "expectations": [{"type": t, "kwargs": k, "meta": {}} for t, k in expectations],
            "meta": {"frame": frame, **meta}, "notes": name}
    (directory / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def run_written(context, directory: Path, *written: tuple[str, str, list]):
    """Write each suite (name, frame, expectations) into `directory`, then run every suite there on
    `context`: (findings, summaries, results)."""
    for name, frame, expectations in written:
        write_suite(directory, name, frame, expectations)
    return suites.run_all(context, directory)


@pytest.fixture(scope="module")
def shipped_context():
    return Context(load(SHIPPED))


def test_shipped_suites_pass(shipped_context):
    findings, summaries, results = suites.run_all(shipped_context)
    assert findings == []
    assert {s.rule for s in summaries} == {f"suites.{name}" for name in suites.suite_names(SHIPPED)}
    assert "suites.plan-table-indicators" in {s.rule for s in summaries}  # the dataset's own suite (datasets/expectations/)
    assert results and all(r["success"] for r in results)


def percent_range(tmp_path, root):
    """The findings of the shipped percent-range suite alone on the dataset at `root`, which is
    one error finding."""
    only = tmp_path / "suites"
    only.mkdir()
    (only / "percent-range.json").write_text((suites.SUITES_DIR / "percent-range.json").read_text(encoding="utf-8"), encoding="utf-8")
    findings, _, _ = suites.run_all(Context(load(root)), only)
    assert [(f.rule, f.severity) for f in findings] == [("suites.percent-range", "error")]
    return findings


def test_a_percent_level_above_100_is_a_finding(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [
        observation("o1", "coverage_rate", "101.5", role="actual", period="2023"),
        observation("o2", "coverage_rate", "增长150%", role="change", period="2023"),  # a change may exceed 100
    ])
    findings = percent_range(tmp_path, root)
    assert "1 unexpected of 2" not in findings[0].message and "1 unexpected of 1" in findings[0].message


def test_a_percent_index_on_base_100_may_exceed_100(tmp_path):
    """A completion rate against a plan (年度投资完成率达到130.4%) is an index on base 100 in the catalogue."""
    root = build_dataset(tmp_path / "d", [indicator("completion_rate", quantity="index"), indicator("coverage_rate")], [
        observation("o1", "completion_rate", "130.4%", role="actual", period="2023"),
        observation("o2", "coverage_rate", "101.5%", role="actual", period="2023"),
    ])
    findings = percent_range(tmp_path, root)
    assert "1 unexpected of 1" in findings[0].message and "130.4" not in findings[0].message  # the share, not the index


def test_a_misconfigured_expectation_is_a_configuration_error_not_a_data_failure(tmp_path, shipped_context):
    findings, summaries, results = run_written(shipped_context, tmp_path / "suites", (
        "broken", "observations", [("expect_column_values_to_not_be_null", {"column": "no_such_column"}),
                                   ("expect_column_values_to_not_be_null", {"column": "id"})]))
    assert [f.message.split(":")[0] for f in findings] == ["configuration error in suite broken"]
    assert [r["success"] for r in results] == [False, True]
    assert summaries[0].checked == 2 and summaries[0].failed == 1


def test_suite_scoped_to_one_document(tmp_path, shipped_context):
    directory = tmp_path / "suites"
    write_suite(directory, "one-doc", "table_cells", [("expect_column_distinct_values_to_contain_set",
                                                        {"column": "indicator", "value_set": ["forest_coverage", "not_in_the_table"]})],
                document="gz-plan")
    findings, _, _ = suites.run_all(shipped_context, directory)
    assert len(findings) == 1 and findings[0].document == "gz-plan"


def test_each_expectation_fails_at_its_own_severity_and_says_what_it_expected(tmp_path, shipped_context):
    """A suite of severity warning with one expectation marked error in its meta: each failure
    carries its own severity, and the message states the expectation's arguments in words."""
    directory = tmp_path / "suites"
    directory.mkdir()
    data = {"name": "mixed", "meta": {"frame": "percent_figures", "severity": "warning"}, "notes": "mixed", "expectations": [
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "value", "min_value": 0, "max_value": 50}, "meta": {"severity": "error"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "value", "min_value": 0, "max_value": 60}, "meta": {}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "value", "min_value": 0, "max_value": 100}, "meta": {"severity": "error"}},
    ]}
    (directory / "mixed.json").write_text(json.dumps(data), encoding="utf-8")
    findings, summaries, results = suites.run_all(shipped_context, directory)
    assert [(f.severity, f.evidence["expected"]) for f in findings] == [("error", "'value' between 0 and 50"), ("warning", "'value' between 0 and 60")]
    assert findings[0].message.startswith("expected 'value' between 0 and 50 on percent_figures: ")
    assert [(r["severity"], r["success"]) for r in results] == [("error", False), ("warning", False), ("error", True)]  # the near miss passes
    assert summaries[0].severity == "warning" and summaries[0].failed == 2


def test_suites_run_through_a_checkpoint_and_build_data_docs_on_request(tmp_path, shipped_context, monkeypatch):
    import great_expectations as gx
    runs = []
    original = gx.Checkpoint.run
    monkeypatch.setattr(gx.Checkpoint, "run", lambda self, *a, **k: runs.append(self.name) or original(self, *a, **k))
    only = tmp_path / "suites"
    only.mkdir()
    (only / "percent-range.json").write_text((suites.SUITES_DIR / "percent-range.json").read_text(encoding="utf-8"), encoding="utf-8")
    findings, _summaries, results = suites.run_all(shipped_context, only, data_docs=tmp_path / "docs")
    assert runs == ["seed-percent-range"] and findings == [] and len(results) == 2
    assert (tmp_path / "docs" / "index.html").is_file()
    assert list((tmp_path / "docs" / "validations" / "percent-range").rglob("*.html"))


def test_a_suite_naming_an_unknown_frame_is_a_finding_not_a_crash(tmp_path, shipped_context):
    findings, summaries, results = run_written(
        shipped_context, tmp_path / "suites", ("nowhere", "no_such_frame", [("expect_column_values_to_not_be_null", {"column": "id"})]),
        ("percent", "percent_figures", [("expect_column_values_to_be_between", {"column": "value", "min_value": 0, "max_value": 100})]))
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("suites.nowhere", "error", "configuration error in suite nowhere: frame 'no_such_frame' is not one of "
                                    "observations, percent_figures, document_coverage, table_cells")]
    assert [(s.rule, s.checked, s.failed, s.crashed) for s in summaries] == [("suites.nowhere", 0, 1, False), ("suites.percent", 1, 0, False)]
    assert [r["suite"] for r in results] == ["percent"]  # the next suite still ran


def test_an_expectation_ge_cannot_build_is_a_finding_not_a_silent_pass(tmp_path, shipped_context):
    """GE logs an unknown expectation type and leaves it out of the suite: said as a finding."""
    findings, summaries, results = run_written(shipped_context, tmp_path / "suites", (
        "garbled", "observations", [("expect_no_such_expectation", {"column": "id"}),
                                    ("expect_column_values_to_not_be_null", {"column": "id"})]))
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("suites.garbled", "error", "configuration error in suite garbled: expect_no_such_expectation: not an expectation GE can build")]
    assert [(s.checked, s.failed, s.crashed) for s in summaries] == [(2, 1, False)]
    assert [r["success"] for r in results] == [True]  # the near miss: the other expectation ran and passed


def test_a_suite_that_raises_is_a_finding_of_its_rule_like_a_crashing_rule(tmp_path, shipped_context):
    directory = tmp_path / "suites"
    directory.mkdir()
    (directory / "garbled.json").write_text(json.dumps({"name": "garbled", "meta": {"frame": "observations"}, "expectations": [5]}), encoding="utf-8")
    write_suite(directory, "next", "observations", [("expect_column_values_to_not_be_null", {"column": "id"})])
    findings, summaries, _ = suites.run_all(shipped_context, directory)
    assert [(f.rule, f.severity, f.message.split(":")[0]) for f in findings] == [("suites.garbled", "error", "rule suites.garbled crashed")]
    assert [(s.rule, s.crashed) for s in summaries] == [("suites.garbled", True), ("suites.next", False)]


def test_a_suite_finding_is_built_by_the_engine_with_the_fingerprint_suites_always_had(tmp_path):
    """The engine builds suite findings like every rule's: the fingerprint is still the rule, the
    suite's document and the expectation (so waivers of suite findings keep matching)."""
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [observation("o1", "coverage_rate", "101.5", role="actual", period="2023")])
    findings, _, _ = suites.run_all(Context(load(root)), suites.SUITES_DIR, names={"percent-range"})
    assert [(f.rule, f.fingerprint) for f in findings] == [
        ("suites.percent-range", fingerprint("suites.percent-range", (), None, None, "expect_column_values_to_be_between(value)"))]


def test_a_dataset_runs_its_own_suites_and_no_other_datasets(tmp_path):
    """A suite naming one document's indicators lives in that dataset's expectations/ folder: a
    dataset without it gets none of its findings; one with it runs it as suites.<name>."""
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [observation("o1", "coverage_rate", "90", role="actual", period="2023")])
    findings, summaries, _ = suites.run_all(Context(load(root)))
    assert findings == [] and "suites.plan-table-indicators" not in {s.rule for s in summaries}
    write_suite(root / "expectations", "doc-a-indicators", "observations",
                [("expect_column_distinct_values_to_contain_set", {"column": "indicator", "value_set": ["coverage_rate", "forest_coverage"]})],
                document="doc-a")
    findings, summaries, _ = suites.run_all(Context(load(root)))
    assert [(f.rule, f.document) for f in findings] == [("suites.doc-a-indicators", "doc-a")]
    assert "forest_coverage" in findings[0].message


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken", "{\n  \"name\": ", "broken.json, line 2, column 11: not JSON"),
    ("renamed", json.dumps({"name": "other", "expectations": []}), 'renamed.json: not a suite: a JSON object with "name": "renamed"'),
    ("percent-range", json.dumps({"name": "percent-range", "expectations": []}), "suite 'percent-range' is the name of a suite Seed ships"),
])
def test_a_dataset_suite_that_is_not_a_suite_is_an_input_error(tmp_path, name, content, message):
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [observation("o1", "coverage_rate", "90", role="actual", period="2023")])
    (root / "expectations").mkdir()
    (root / "expectations" / f"{name}.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(root)
    assert message in "\n".join(str(p) for p in raised.value.problems)
