from builders import build_dataset, fired, indicator, observation, run_rules


def test_a_built_dataset_loads_and_is_clean(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("coverage_rate")], [
        observation("o1", "coverage_rate", "90", role="baseline", period="2020"),
        observation("o2", "coverage_rate", "95", role="target", period="2025"),
    ])
    findings, summaries = run_rules(root)
    assert [f.rule for f in findings if f.severity == "error"] == []
    assert summaries["targets.worse-than-baseline"].checked == 1
    assert fired(findings, "targets.worse-than-baseline") == []


def test_build_dataset_leaves_the_callers_rows_alone(tmp_path):
    observations = [observation("o1", "coverage_rate", "90", role="baseline", period="2020")]
    indicators = [indicator("coverage_rate")]
    before = ([dict(o) for o in observations], [dict(i) for i in indicators])
    build_dataset(tmp_path / "d", indicators, observations)
    assert (observations, indicators) == before
    assert observations[0]["line"] == ""
