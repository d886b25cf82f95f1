"""checks/pairs.py: pairings as merges, bounded by key; per-run sharing through the context."""

import resource
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


@pytest.mark.parametrize("ids", [["o1", "o2", "o3", "o4"], ["o3", "o1", "o4", "o2"]])
def test_ordered_pairs_put_the_smaller_id_first_whatever_the_rows_order(tmp_path, ids):
    ctx = _context(tmp_path)
    frame = pd.DataFrame({"id": ids, "key": ["a", "a", "a", "b"]})
    got = pairs.ordered_pairs(ctx, frame, ["key"])
    assert all(a < b for a, b in zip(got["id"], got["b_id"], strict=True))
    assert sorted(zip(got["id"], got["b_id"], strict=True)) == sorted((min(a, b), max(a, b)) for a, b in [(ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])])


def test_key_groups_are_the_groups_ordered_pairs_pairs(tmp_path):
    ctx = _context(tmp_path, limit=4)  # ganzhou: 3 × 3 pairs > 4, left out and recorded as ordered_pairs leaves it out
    kept, group = pairs.key_groups(ctx, ctx.obs[["id", "indicator", "region"]], ["indicator", "region"])
    assert kept["id"].tolist() == ["o4"] and group.tolist() == [0]
    assert [g.key for g in ctx.oversized] == [("air_good_days_share", "ganzhou")]


def test_only_a_total_whose_candidates_might_not_meet_is_disputed():
    """Totals 0 and 1 share a value (1: one interval inside another); 2 does not; 3 has an unbounded candidate."""
    from checks.rules.derived import _disputed
    total = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    low, high = np.array([1.0, 2, 0, 5, 1, 3, 1, 1]), np.array([3.0, 4, 9, 6, 2, 4, 2, np.inf])
    assert _disputed(total, low, high).tolist() == [False, False, True, True]


def test_a_key_group_over_the_limit_is_left_out_and_recorded(tmp_path):
    ctx = _context(tmp_path, limit=4)  # ganzhou: 3 × 3 = 9 pairs > 4; dayu: 1 × 1
    got = pairs.keyed_join(ctx, ctx.obs[["id", "indicator", "region"]], ctx.obs[["id", "indicator", "region"]], ["indicator", "region"])
    assert list(zip(got["id"], got["b_id"], strict=True)) == [("o4", "o4")]
    assert ctx.oversized == [pairs.OversizedGroup(("air_good_days_share", "ganzhou"), ("indicator", "region"), 3, 3)]


@pytest.mark.parametrize(("per_observation", "left_out"), [(1, ["ganzhou"]), (3, [])])
def test_groups_under_the_key_limit_are_left_out_largest_first_while_the_pairing_is_over_its_budget(tmp_path, per_observation, left_out):
    """ganzhou 3 × 3 = 9 pairs (at the per-key limit), dayu 1 × 1: 10 pairs. A budget of 1 pair per
    observation (4, raised to the per-key limit 9) leaves ganzhou out; 3 per observation (12) keeps both."""
    ctx = _context(tmp_path, limit=9)
    ctx.settings = replace(ctx.settings, max_pairs_per_observation=per_observation)
    got = pairs.keyed_join(ctx, ctx.obs[["id", "indicator", "region"]], ctx.obs[["id", "indicator", "region"]], ["indicator", "region"])
    assert [g.key[1] for g in ctx.oversized] == left_out
    assert all(g.limit == "max_pairs_per_observation" for g in ctx.oversized)
    assert len(got) == 10 - 9 * len(left_out)


@pytest.mark.parametrize("categorical", [False, True])
def test_a_keyed_join_pairs_as_a_merge_does_on_text_or_on_categoricals_of_different_categories(tmp_path, categorical):
    """The pairs and their order are a merge's (left rows in turn, each with its matches in the right's
    order), a missing key matching a missing one; two categoricals are matched through their categories."""
    ctx = _context(tmp_path)
    left = pd.DataFrame({"k": ["a", "b", "a", None, "d"], "n": [1, 2, 3, 4, 5]})
    right = pd.DataFrame({"j": ["b", "a", "c", None, "a"], "m": [6, 7, 8, 9, 10]})
    expected = left.merge(right.add_prefix("b_"), left_on="k", right_on="b_j")
    if categorical:
        left, right = left.astype({"k": "category"}), right.astype({"j": "category"})
    got = pairs.keyed_join(ctx, left, right, ["k"], ["j"])
    assert list(zip(got["n"], got["b_m"], strict=True)) == list(zip(expected["n"], expected["b_m"], strict=True))


def test_equal_columns_keep_the_pairs_a_filter_of_the_join_would_keep(tmp_path):
    ctx = _context(tmp_path)
    left = pd.DataFrame({"k": ["a", "a", "b"], "year": [2020, 2021, 2020]})
    right = pd.DataFrame({"k": ["a", "a", "b", "b"], "year": [2021, 2020, 2020, 2022]})
    every = pairs.keyed_join(ctx, left, right, ["k"])
    got = pairs.keyed_join(ctx, left, right, ["k"], equal=(["year"], ["year"]))
    pd.testing.assert_frame_equal(got, every[every["year"] == every["b_year"]].reset_index(drop=True))


def test_latest_earlier_takes_the_latest_earlier_year_only(tmp_path):
    ctx = _context(tmp_path)
    frame = pd.DataFrame({"id": ["a", "b", "c"], "s": ["x", "x", "x"], "year": [2020, 2021, 2025]})
    got = pairs.latest_earlier(ctx, frame, frame, ["s"])
    assert sorted(zip(got["id"], got["b_id"], strict=True)) == [("b", "a"), ("c", "b")]


def test_an_oversized_group_becomes_a_finding_of_the_rules_that_paired_it(tmp_path):
    ctx = _context(tmp_path, limit=4)
    findings, summaries = engine.run(ctx, [r for r in RULES if r.family == "same-figure"])
    message = ("3 × 3 figures share indicator=air_good_days_share, region=ganzhou, scope=, period_key=2025, role_class=target, cumulative=False, "
               "unit_dimension=share, aspirational=False: more than [limits] max_pairs_per_key (4) pairs, not compared")
    assert [(f.rule, f.message) for f in findings if "not compared" in f.message] == [
        ("same-figure.disagree", message), ("same-figure.different-bounds", message), ("same-figure.restated", message)]
    assert [(s.rule, s.checked, s.undecided, s.crashed) for s in summaries] == [
        ("same-figure.disagree", 0, 1, False), ("same-figure.different-bounds", 0, 1, False), ("same-figure.restated", 0, 1, False)]


def test_per_run_computes_once_per_context(tmp_path):
    calls = []

    @per_run
    def build(ctx):
        calls.append(ctx)
        return len(calls)

    first, second = _context(tmp_path / "a"), _context(tmp_path / "b")
    assert (build(first), build(first), build(second)) == (1, 1, 2)


def test_every_rule_reading_a_shared_pairing_reports_the_group_it_left_out(tmp_path):
    """targets.later-worse and later-weaker-bound share one pairing (per_run): both say what they
    did not compare, not only the rule that happened to build it first."""
    root = build_dataset(tmp_path / "d", [indicator("air_good_days_share")], [
        observation(f"t{i}", "air_good_days_share", "96", role="target", period=str(2021 + i % 4)) for i in range(4)])
    ctx = Context(load(root))
    ctx.settings = replace(ctx.settings, max_pairs_per_key=4)  # one series, 4 × 4 = 16 pairs > 4
    findings, summaries = engine.run(ctx, [r for r in RULES if r.family == "targets"])
    left_out = "a key group with more than 4 pairs ([limits] max_pairs_per_key)"
    reporting = {s.rule: s.undecided_reasons.get(left_out) for s in summaries if left_out in s.undecided_reasons}
    assert reporting == {"targets.later-worse": 1, "targets.later-weaker-bound": 1}
    assert sorted(f.rule for f in findings if "not compared" in f.message) == ["targets.later-weaker-bound", "targets.later-worse"]


@pytest.mark.slow
def test_200000_copies_of_one_figure_stay_within_a_memory_limit(tmp_path):
    """The issue-11 blow-up (200,000 valid rows of one figure; unbounded, the same-figure pairing asked
    for 298 GiB): under a 2 GiB address-space limit, `check` ends with the groups as findings."""
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [
        observation("o1", "coverage_rate", "95", role="target", period="2025")])
    table = root / "observations" / "doc-a.csv"
    header, o1 = table.read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("id,") and o1.startswith("o1,")
    with table.open("a", encoding="utf-8") as stream:
        stream.writelines(f"c{i}{o1[2:]}\n" for i in range(200_000))
    limit = 2 * 1024 ** 3
    done = subprocess.run([sys.executable, "-m", "cli", "all", "--dataset", str(root), "--no-suites", "--no-report"],
                          check=False, capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[1],
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))  # rlimit in the child only
    assert done.returncode == 1, done.stderr[-2000:]
    assert "same-figure.disagree  200001 × 200001 figures share indicator=coverage_rate" in done.stdout
