"""The distributed engine loads the observation files and sources in its partitions and runs the
same rules partitioned (documents; connected indicator groups): it must give exactly the
in-process problems, findings, summaries, parsed frame and report counts."""

import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from bench.generate import generate
from builders import SHIPPED, baseline_and_target, indicator
from checks import distributed
from checks.dataset import load
from checks.engine import Context, run
from checks.errors import InputError
from checks.pipeline import execute
from checks.rules import RULES

pytest.importorskip("dask")
sys.path.insert(0, str(Path(__file__).parent / "bad_inputs"))
from cases import CASES, RUN


def _same_as_in_process(root, workers=2, engine="dask"):
    dataset = load(root)
    context = Context(dataset)
    findings, summaries = run(context, RULES)
    partitioned = distributed.load(root, engine, workers=workers)
    assert partitioned.fingerprint() == dataset.fingerprint()
    assert partitioned.sources == {} and partitioned.observations.empty  # the driver holds no observation's text
    driver, got, got_summaries = distributed.execute_rules(partitioned, RULES, engine, workers=workers)
    assert sorted(f.fingerprint for f in got) == sorted(f.fingerprint for f in findings)
    assert {f.fingerprint: f.message for f in got} == {f.fingerprint: f.message for f in findings}
    assert {f.fingerprint: (f.observations, f.evidence, f.document, f.line) for f in got} == \
        {f.fingerprint: (f.observations, f.evidence, f.document, f.line) for f in findings}  # as read back from the tasks' files
    assert [(s.rule, s.checked, s.failed, s.undecided, s.undecided_reasons) for s in got_summaries] == \
        [(s.rule, s.checked, s.failed, s.undecided, s.undecided_reasons) for s in summaries]
    assert all(s.seconds > 0 for s in got_summaries)  # each rule's time, summed over the partitions it ran in
    assert sum(s.cpu_seconds for s in got_summaries) > 0
    whole = driver.whole()
    pd.testing.assert_frame_equal(whole.obs, context.obs)
    pd.testing.assert_frame_equal(whole.located, context.located)
    pd.testing.assert_frame_equal(whole.dataset.observations, dataset.observations)
    pd.testing.assert_series_equal(driver.observation_counts().sort_index(), context.observation_counts().sort_index(), check_names=False)
    assert driver.series() == context.series()
    return findings


def test_shipped_dataset_same_findings_on_dask():
    assert _same_as_in_process(SHIPPED)


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                    reason="the spark extra (pip install 'seed-checks[spark]') and Java 17")
def test_shipped_dataset_same_findings_on_spark_local_mode():
    assert _same_as_in_process(SHIPPED, engine="spark")


def test_synthetic_province_same_findings_on_dask(tmp_path, monkeypatch):
    manifest = generate(tmp_path / "d", observations=3000, inject_every=321)
    monkeypatch.setattr(distributed, "TASK_ROWS", 500)  # many partitions of both kinds
    monkeypatch.setattr(distributed, "TASK_BYTES", 60_000)
    findings = _same_as_in_process(tmp_path / "d")
    assert {f.rule for f in findings} >= {i["rule"] for i in manifest["injected"]}


@pytest.mark.slow
def test_synthetic_100k_same_findings_on_dask(tmp_path):
    generate(tmp_path / "d", observations=100_000)
    _same_as_in_process(tmp_path / "d")


def test_documents_spread_over_files_and_files_holding_documents(tmp_path, monkeypatch):
    """A file may hold several documents and a document be split over files: each document's rows
    meet in one partition, in the load's order."""
    generate(tmp_path / "d", observations=1500, inject_every=97)
    folder = tmp_path / "d" / "observations"
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(folder.glob("*.csv"))]
    shutil.rmtree(folder)
    folder.mkdir()
    rows = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=0)  # documents shuffled over the files
    for number, start in enumerate(range(0, len(rows), 200)):
        rows.iloc[start:start + 200].to_csv(folder / f"part-{number:03}.csv", index=False)
    monkeypatch.setattr(distributed, "TASK_ROWS", 300)
    monkeypatch.setattr(distributed, "TASK_BYTES", 30_000)
    _same_as_in_process(tmp_path / "d")


def test_check_all_on_dask_reports_what_in_process_reports():
    dataset = load(SHIPPED)
    expected = execute(dataset, RULES, with_suites=False).report(charts=True).json_dict()
    got = execute(distributed.load(SHIPPED, "dask", workers=2), RULES, with_suites=False, engine="dask").report(charts=True).json_dict()
    for report in (expected, got):
        report.pop("run")  # when and how long
        report["findings"].sort(key=lambda f: f["fingerprint"])  # equal keys (rule, document, line) in another order
        for summary in report["rules"]:
            summary.pop("seconds"), summary.pop("cpu_seconds")
    assert got == expected


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return baseline_and_target(tmp_path_factory.mktemp("base") / "d", "90", "95")


def _problems(loader, root):
    try:
        loader(root)
    except InputError as error:
        return [str(p) for p in error.problems]
    return []


FOLDER_CASES = [c for c in CASES if c.command == RUN and c.exit == 2 and not c.name.startswith("workbook")]


@pytest.mark.parametrize("case", FOLDER_CASES, ids=[c.name for c in FOLDER_CASES])
def test_bad_input_same_problems_loaded_in_partitions(case, base, tmp_path, monkeypatch):
    """Each bad input the in-process load refuses is refused with the same lines when the files are
    read in partitions (the partitions' logic, run synchronously here)."""
    root = tmp_path / "d"
    shutil.copytree(base, root, symlinks=True)
    case.defect(root)
    monkeypatch.setattr(distributed, "SCHEDULER", "synchronous")
    monkeypatch.setattr(distributed, "TASK_BYTES", 1)  # a task per file
    assert _problems(lambda r: distributed.load(r, "dask", workers=1), root) == _problems(load, root)


def test_problems_over_many_files_are_listed_as_in_process(base, tmp_path, monkeypatch):
    """References, units and ids wrong in several files: the same lines, and the same counts of the rest."""
    root = tmp_path / "d"
    shutil.copytree(base, root)
    table = pd.read_csv(root / "observations" / "doc-a.csv", dtype=str, keep_default_na=False)
    for number in range(4):
        bad = pd.concat([table] * 10, ignore_index=True)
        bad["id"] = [f"f{number}-{i}" for i in range(len(bad))]
        bad["region"], bad["unit_printed"] = "atlantis", "furlongs"
        bad.to_csv(root / "observations" / f"bad-{number}.csv", index=False)
        bad.assign(id=bad["id"] + "x", region="ganzhou").to_csv(root / "observations" / f"units-{number}.csv", index=False)
    monkeypatch.setattr(distributed, "SCHEDULER", "synchronous")
    monkeypatch.setattr(distributed, "TASK_BYTES", 1)

    def same(fragment):
        expected = _problems(load, root)
        assert any(fragment in p for p in expected), expected
        assert expected == _problems(lambda r: distributed.load(r, "dask", workers=1), root)

    same("must name an existing region")
    for fixed in root.glob("observations/bad-*.csv"):
        fixed.unlink()
    same("unknown unit 'furlongs'")
    with (root / "observations" / "units-2.csv").open("a", encoding="utf-8") as out:  # o1 again, as in doc-a.csv
        out.write(table.iloc[:1].to_csv(index=False, header=False))
    same("duplicate observation id 'o1'")


def test_indicator_groups_follow_every_relation_and_nothing_else():
    catalogue = pd.DataFrame([
        indicator("total"), indicator("part", parent="total"), indicator("share", share_part="part", share_whole="total"),
        indicator("up"), indicator("down"), indicator("margin", minuend="up", subtrahend="down"),
        indicator("alone"),  # near miss: related to nothing
    ])
    groups = distributed.indicator_groups(catalogue)
    assert groups["part"] == groups["share"] == groups["total"]
    assert groups["up"] == groups["down"] == groups["margin"]
    assert len({groups["total"], groups["up"], groups["alone"]}) == 3
