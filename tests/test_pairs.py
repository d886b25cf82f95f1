"""checks/pairs.py: pairings as merges, bounded by key; per-run sharing through the context."""

from dataclasses import replace

import pandas as pd

from builders import build_dataset, indicator, observation
from checks import engine, pairs
from checks.dataset import load
from checks.engine import Context, per_run
from checks.rules import RULES


def _context(tmp_path, limit=None):
    root = build_dataset(tmp_path / "d", [indicator("air_good_days_share")], [
        observation("o1", "air_good_days_share", "96"), observation("o2", "air_good_days_share", "93", section="table"),
        observation("o3", "air_good_days_share", "95", document="doc-b"),
        observation("o4", "air_good_days_share", "90", region="dayu"),
    ])
    ctx = Context(load(root))
    if limit is not None:
        ctx.settings = replace(ctx.settings, max_pairs_per_key=limit)
    return ctx


def test_ordered_pairs_are_each_pair_once_within_a_key(tmp_path):
    ctx = _context(tmp_path)
    got = pairs.ordered_pairs(ctx, ctx.obs[["id", "indicator", "region"]], ["indicator", "region"])
    assert sorted(zip(got["id"], got["b_id"], strict=True)) == [("o1", "o2"), ("o1", "o3"), ("o2", "o3")]
    assert ctx.oversized == []


def test_a_key_group_over_the_limit_is_left_out_and_recorded(tmp_path):
    ctx = _context(tmp_path, limit=4)  # ganzhou: 3 × 3 = 9 pairs > 4; dayu: 1 × 1
    got = pairs.keyed_join(ctx, ctx.obs[["id", "indicator", "region"]], ctx.obs[["id", "indicator", "region"]], ["indicator", "region"])
    assert list(zip(got["id"], got["b_id"], strict=True)) == [("o4", "o4")]
    assert ctx.oversized == [pairs.OversizedGroup(("air_good_days_share", "ganzhou"), ("indicator", "region"), 3, 3)]


def test_latest_earlier_takes_the_latest_earlier_year_only(tmp_path):
    ctx = _context(tmp_path)
    frame = pd.DataFrame({"id": ["a", "b", "c"], "s": ["x", "x", "x"], "year": [2020, 2021, 2025]})
    got = pairs.latest_earlier(ctx, frame, frame, ["s"])
    assert sorted(zip(got["id"], got["b_id"], strict=True)) == [("b", "a"), ("c", "b")]


def test_an_oversized_group_becomes_a_finding_of_the_rule_that_paired_it(tmp_path):
    ctx = _context(tmp_path, limit=4)
    findings, summaries = engine.run(ctx, [r for r in RULES if r.family == "same-figure"])
    disagree = next(s for s in summaries if s.rule == "same-figure.disagree")
    assert [f.message for f in findings if "not compared" in f.message] == [
        "3 × 3 figures share indicator=air_good_days_share, region=ganzhou, scope=, period_key=2025, role_class=target, cumulative=False, "
        "unit_dimension=share, aspirational=False: more than [limits] max_pairs_per_key (4) pairs, not compared"]
    assert disagree.undecided == 1 and not disagree.crashed


def test_per_run_computes_once_per_context(tmp_path):
    calls = []

    @per_run
    def build(ctx):
        calls.append(ctx)
        return len(calls)

    first, second = _context(tmp_path / "a"), _context(tmp_path / "b")
    assert (build(first), build(first), build(second)) == (1, 1, 2)
