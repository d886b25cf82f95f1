"""The distributed engine runs the same rules partitioned (documents; connected indicator groups)
and must give exactly the in-process findings, summaries and parsed frame."""

import pandas as pd
import pytest

from bench.generate import generate
from builders import SHIPPED, indicator
from checks import distributed
from checks.dataset import load
from checks.engine import Context, run
from checks.rules import RULES

pytest.importorskip("dask")


def _same_as_in_process(dataset):
    context = Context(dataset)
    findings, summaries = run(context, RULES)
    parsed, got, got_summaries = distributed.execute_rules(dataset, RULES, "dask", workers=2)
    assert sorted(f.fingerprint for f in got) == sorted(f.fingerprint for f in findings)
    assert {f.fingerprint: f.message for f in got} == {f.fingerprint: f.message for f in findings}
    assert [(s.rule, s.checked, s.failed, s.undecided, s.undecided_reasons) for s in got_summaries] == \
        [(s.rule, s.checked, s.failed, s.undecided, s.undecided_reasons) for s in summaries]
    pd.testing.assert_frame_equal(parsed.obs, context.obs)
    pd.testing.assert_frame_equal(parsed.located, context.located)
    return findings


def test_shipped_dataset_same_findings_on_dask():
    assert _same_as_in_process(load(SHIPPED))


def test_synthetic_province_same_findings_on_dask(tmp_path, monkeypatch):
    manifest = generate(tmp_path / "d", observations=3000, inject_every=321)
    monkeypatch.setattr(distributed, "TASK_ROWS", 500)  # many partitions of both kinds
    findings = _same_as_in_process(load(tmp_path / "d"))
    assert {f.rule for f in findings} >= {i["rule"] for i in manifest["injected"]}


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
