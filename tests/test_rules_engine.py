"""The rule engine: crashes become findings, ids are unique, docstrings are reports, fingerprints are stable."""

import csv
import random

import pytest

from builders import baseline_and_target, build_dataset, indicator, observation, run_rules
from checks import engine
from checks.dataset import load
from checks.engine import REGISTRY, Context, Rule
from checks.findings import Outcome, Violation
from checks.rules import RULES


def tiny(tmp_path):
    return baseline_and_target(tmp_path / "d", "100", "96.1")


def _boom(ctx):
    """Always raises, to show a broken rule does not stop the run."""
    raise ValueError("deliberate failure")


def _fine(ctx):
    """Reports one finding on o2."""
    return Outcome(1, [Violation("found", ("o2",))])


def test_a_rule_that_raises_becomes_an_error_finding_and_the_run_goes_on(tmp_path):
    boom, fine = Rule("test.boom", "warning", _boom), Rule("test.fine", "info", _fine)
    findings, summaries = engine.run(Context(load(tiny(tmp_path))), [boom, fine])
    crash = [f for f in findings if f.rule == "test.boom"]
    assert len(crash) == 1
    assert crash[0].severity == "error"  # a crash is an error whatever the rule's severity
    assert "crashed" in crash[0].message and "deliberate failure" in crash[0].message
    assert crash[0].observations == []
    assert [(s.rule, s.crashed) for s in summaries] == [("test.boom", True), ("test.fine", False)]
    assert [(f.rule, f.severity, [o["id"] for o in f.observations]) for f in findings if f.rule == "test.fine"] == [("test.fine", "info", ["o2"])]


def test_each_rule_records_its_wall_and_its_cpu_seconds(tmp_path):
    """The issue's targets are CPU seconds: a rule that waits (here on a sleep; a disk, another
    process) takes wall-clock time but hardly any CPU, one that computes takes CPU."""
    import time

    def waits(ctx):
        time.sleep(0.05)
        return Outcome(0, [])

    def computes(ctx):
        deadline = time.process_time() + 0.05
        while time.process_time() < deadline:
            pass
        return Outcome(0, [])

    _, (waited, computed) = engine.run(Context(load(tiny(tmp_path))), [Rule("test.waits", "info", waits), Rule("test.computes", "info", computes)])
    assert waited.seconds >= 0.05 and waited.cpu_seconds < waited.seconds / 2
    assert computed.cpu_seconds >= 0.05


def test_the_cyclic_collector_is_held_off_while_rules_run_and_restored_after_even_a_crash(tmp_path):
    import gc
    seen = []
    watch = Rule("test.watch", "info", lambda ctx: (seen.append(gc.isenabled()), Outcome(0, []))[1])
    context = Context(load(tiny(tmp_path)))
    assert gc.isenabled()
    engine.run(context, [Rule("test.boom", "warning", _boom), watch])
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that holds it off itself keeps it off
    try:
        engine.run(context, [watch])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_duplicate_rule_id_raises_at_registration():
    existing = next(iter(REGISTRY))
    before = dict(REGISTRY)

    def again(ctx):
        """A second rule under an id that is taken."""
        return Outcome(0, [])

    with pytest.raises(RuntimeError, match="duplicate rule id"):
        engine.rule(existing, "error")(again)
    assert before == REGISTRY


def test_a_rule_without_a_docstring_is_refused():
    def undocumented(ctx):
        return Outcome(0, [])

    with pytest.raises(RuntimeError, match="no docstring"):
        engine.rule("test.undocumented", "info")(undocumented)
    assert "test.undocumented" not in REGISTRY


@pytest.mark.parametrize("registered", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_a_docstring_whose_first_line_is_a_sentence(registered):
    family, _, name = registered.id.partition(".")
    assert family and name and registered.family == family
    assert registered.severity in ("error", "warning", "info")
    first = registered.summary
    assert first == registered.description.split("\n", 1)[0]
    assert len(first) > 10
    assert first[0].isupper(), first
    assert first.endswith("."), first
    rest = registered.description[len(first):]
    assert rest == "" or rest.startswith("\n\n"), "the first line must be a whole sentence, followed by a blank line"


def test_rule_ids_are_unique_and_the_registry_is_the_rule_list():
    assert len({r.id for r in RULES}) == len(RULES)
    assert [r.id for r in RULES] == list(REGISTRY)


def _dataset_with_findings(tmp_path):
    """Findings in several families: targets, same-figure, derived, part-whole, units, values, metadata."""
    indicators = [
        indicator("water_good_share"),
        indicator("total_capacity", unit="kilowatt", quantity="level", additive="true"),
        indicator("renewable_capacity", unit="kilowatt", quantity="level", additive="true"),
        indicator("renewable_share", share_part="renewable_capacity", share_whole="total_capacity"),
        indicator("new_energy_capacity", unit="kilowatt", quantity="level", additive="true", parent="renewable_capacity"),
        indicator("new_energy_share", share_part="new_energy_capacity", share_whole="total_capacity"),
    ]
    observations = [
        observation("a-1", "water_good_share", "100", role="baseline", period="2020", section="table", scope="国考监测断面"),
        observation("a-2", "water_good_share", "96.1", section="table", scope="国考监测断面"),
        observation("a-3", "water_good_share", "96.3%以上", scope="国考监测断面"),
        observation("a-4", "water_good_share", "96%", section="table", scope="中心城区"),
        observation("a-5", "water_good_share", "abc", unit="", scope="县城"),
        observation("b-1", "renewable_capacity", "479万千瓦", role="actual", period="2021", unit="", document="doc-b"),
        observation("b-2", "renewable_share", "62.84%", role="actual", period="2021", document="doc-b"),
        observation("b-3", "new_energy_capacity", "397万千瓦", role="actual", period="2021", unit="", document="doc-b"),
        observation("b-4", "new_energy_share", "48.15%", role="actual", period="2021", document="doc-b"),
        observation("b-5", "new_energy_capacity", "600万千瓦", role="actual", period="2021", unit="", region="dayu", document="doc-b"),
        observation("b-6", "renewable_capacity", "500万千瓦", role="actual", period="2021", unit="", region="dayu", document="doc-b"),
    ]
    return build_dataset(tmp_path, indicators, observations, documents=[{"id": "doc-a", "base_year": "2021"}])


def _fingerprints(root):
    findings, _ = run_rules(root)
    return sorted((f.rule, f.fingerprint) for f in findings)


def _shuffle_observation_rows(root, seed):
    for path in sorted((root / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        shuffled = body[:]
        while len(body) > 1 and shuffled == body:
            random.Random(seed).shuffle(shuffled)
            seed += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *shuffled])


def test_fingerprints_are_stable_when_observation_rows_are_shuffled(tmp_path):
    root = _dataset_with_findings(tmp_path / "d")
    before = _fingerprints(root)
    fired_rules = {rule for rule, _ in before}
    assert {"targets.worse-than-baseline", "same-figure.disagree", "derived.implied-totals-disagree",
            "part-whole.subcategory-exceeds-category", "units.repeated-in-cell", "values.unreadable",
            "metadata.base-year-mismatch"} <= fired_rules
    assert len({fp for _, fp in before}) == len(before), "two different findings share a fingerprint"
    for seed in (1, 2, 3):
        _shuffle_observation_rows(root, seed)
        assert _fingerprints(root) == before, f"fingerprints changed after shuffle {seed}"


def test_the_same_finding_has_the_same_fingerprint_in_two_datasets(tmp_path):
    first = _fingerprints(_dataset_with_findings(tmp_path / "one"))
    second = _fingerprints(_dataset_with_findings(tmp_path / "two"))
    assert first == second


@pytest.mark.parametrize("registered", RULES, ids=[r.id for r in RULES])
def test_every_rule_says_where_it_is_written(registered):
    from pathlib import Path

    file, _, line = registered.location.rpartition(":")
    source = (Path(__file__).resolve().parent.parent / file).read_text(encoding="utf-8").splitlines()
    assert source[int(line) - 1].startswith(f'@rule("{registered.id}"')


def test_check_rules_verbose_prints_where_each_rule_lives():
    from click.testing import CliRunner

    import cli

    output = CliRunner().invoke(cli.main, ["rules", "-v"]).output
    assert all(f"defined in {r.location}" in output for r in RULES)
    # the suites are rules too: Seed's own and the shipped dataset's, each at its JSON file
    assert "suites.percent-range" in output and "defined in schemas/expectations/percent-range.json:1" in output
    assert "suites.plan-table-indicators" in output and "defined in datasets/expectations/plan-table-indicators.json:1" in output
