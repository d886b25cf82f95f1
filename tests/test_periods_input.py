"""A period printed backwards is an input error, never a period (the periods rules: tests/rule_cases/periods.toml)."""

import copy

import pytest

from builders import build_dataset, indicator, observation

INDICATORS = [indicator("forest_coverage", name="森林覆盖率")]
DOCS = [{"id": "doc-a", "as_of": "2023-04"}]


def test_a_period_printed_backwards_is_an_input_error(tmp_path):
    from checks.dataset import load
    from checks.errors import InputError
    root = build_dataset(tmp_path / "d", copy.deepcopy(INDICATORS),
                         [observation("o1", "forest_coverage", "[22.01]", role="baseline", period="2020-2016", section="table")], documents=DOCS)
    with pytest.raises(InputError, match=r"2020-2016|backwards|order"):
        load(root)
