"""part-whole across documents of different issuers and years: only where the periods match, and
never on growth rates."""

import pytest

from builders import assert_family, build_dataset, indicator, observation

INDICATORS = [indicator("gdp", unit="yuan", quantity="level", additive="true", name="生产总值")]
RULE = "part-whole.region-exceeds-parent"


def gdp(id, value, unit, region, document, period="2023", role="actual"):
    return observation(id, "gdp", value, role=role, period=period, region=region, document=document, unit=unit,
                       quote=f"{region}生产总值{value}")


@pytest.mark.parametrize("observations, expected, counts", [
    pytest.param([gdp("p", "3.2万亿元", "万亿元", "jiangxi", "province-2024"), gdp("c", "45000亿元", "亿元", "ganzhou", "city-2024")],
                 {RULE: [{"p", "c"}]}, {RULE: {"checked": 1, "failed": 1}}, id="a city's level above its province's, two issuers"),
    pytest.param([gdp("p", "3.2万亿元", "万亿元", "jiangxi", "province-2024"), gdp("c", "4500亿元", "亿元", "ganzhou", "city-2024")],
                 {}, {RULE: {"checked": 1, "failed": 0}}, id="near miss: a city within its province"),
    pytest.param([gdp("p", "3.2万亿元", "万亿元", "jiangxi", "province-2024", period="2022"), gdp("c", "45000亿元", "亿元", "ganzhou", "city-2024")],
                 {}, {RULE: {"checked": 0}}, id="near miss: different periods are never compared"),
    pytest.param([gdp("p", "增长4.1%", "%", "jiangxi", "province-2024", role="change"), gdp("c", "增长6.0%", "%", "ganzhou", "city-2024", role="change"),
                  gdp("pt", "增长5%左右", "%", "jiangxi", "province-2024", role="change_target"),
                  gdp("ct", "增长6.5%左右", "%", "ganzhou", "city-2024", role="change_target")],
                 {}, {RULE: {"checked": 0, "undecided": 0}}, id="near miss: a city's growth (or growth target) above its province's"),
])
def test_across_documents(tmp_path, observations, expected, counts):
    assert_family(build_dataset(tmp_path, INDICATORS, observations), "part-whole", expected, counts)
