"""The parse step's decisions taken from the catalogue: price indices for rates, magnitudes the
entered unit lacks, 万亿 as a magnitude."""

import pandas as pd
import pytest

from builders import SHIPPED, build_dataset, fired, indicator, observation, run_rules
from checks.dataset import load
from checks.observations import build
from checks.unit_table import UnitTable

CPI = indicator("cpi_change", name="居民消费价格涨幅", quantity="change", direction="none")
FIRMS = indicator("firms", unit="count", quantity="count", additive="true", name="企业数量")


def parsed(tmp_path, observations, indicators):
    return build(load(build_dataset(tmp_path / "d", indicators, observations))).set_index("id")


def test_a_price_index_printed_for_a_rate_is_a_change(tmp_path):
    frame = parsed(tmp_path, [
        observation("o1", "cpi_change", "103左右", role="target", unit=""),  # 居民消费价格涨幅 103左右: +3 % about
        observation("o2", "cpi_change", "3%左右", role="target", unit="%"),  # near miss: printed in %
        observation("o3", "firms", "103左右", role="target", unit="家"),  # near miss: a count is not an index
    ], [CPI, FIRMS])
    assert (frame.loc["o1", "lower"], frame.loc["o1", "upper"]) == (2.0, 4.0)
    assert (frame.loc["o2", "lower"], frame.loc["o2", "upper"]) == (2.0, 4.0)
    assert frame.loc["o3", "lower"] == pytest.approx(97.85) and frame.loc["o3", "upper"] == pytest.approx(108.15)


@pytest.mark.parametrize("unit, fires", [("家", True), ("万家", False), ("", False)])
def test_a_magnitude_the_entered_unit_lacks_is_an_error(tmp_path, unit, fires):
    root = build_dataset(tmp_path / "d", [FIRMS], [observation("o1", "firms", "突破3万家", role="actual", period="2023", unit=unit)])
    findings, summaries = run_rules(root, ["values"])
    assert fired(findings, "values.unreadable") == ([{"o1"}] if fires else [])
    if fires:
        message = next(f.message for f in findings if f.rule == "values.unreadable")
        assert "'万'" in message and "家" in message
    assert summaries["values.unreadable"].checked == 1


def test_wan_yi_is_one_magnitude():
    units = UnitTable(pd.read_csv(SHIPPED / "units.csv", dtype=str, keep_default_na=False))
    assert units.resolve("万亿千瓦时").factor == 1e12
    assert units.resolve("亿千瓦时").factor == 1e8  # near miss
    assert units.resolve("万千瓦时").factor == 1e4
