"""same-figure.*: one figure printed in two places must agree within printed precision."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "same-figure"
INDICATORS = [
    indicator("surface_water_good_share", name="地表水水质优良比例"),
    indicator("forest_coverage", name="森林覆盖率"),
    indicator("soil_water_conservation_rate", name="水土保持率"),
    indicator("air_good_days_share", name="空气质量优良天数比例"),
    indicator("hazardous_waste_disposal_rate", name="危险废物利用处理率"),
    indicator("co2_per_gdp_reduction", name="单位GDP二氧化碳排放降低"),
    indicator("green_loans_disbursed", unit="yuan", quantity="cumulative", additive="true", name="累计发放绿色贷款",
              definition="cumulative disbursement (a flow)"),
    indicator("green_loans_balance", unit="yuan", quantity="balance", additive="true", name="绿色贷款余额",
              definition="outstanding balance at a date (a stock)"),
    indicator("selenium_demo_bases", unit="count", quantity="count", additive="true", name="富硒示范基地"),
    indicator("renewable_capacity", unit="kilowatt", quantity="level", additive="true", name="可再生能源发电装机容量"),
]
O = observation
WATER, FOREST, SOIL, AIR = "surface_water_good_share", "forest_coverage", "soil_water_conservation_rate", "air_good_days_share"


def text(id, ind, value, **extra):
    return O(id, ind, value, section="text", **extra)


def cell(id, ind, value, **extra):
    return O(id, ind, value, section="table", **extra)


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


CASES = [
    # --- same-figure.disagree ----------------------------------------------------------------
    case("text 96.3%以上 vs table 96.1, same year and scope (gz-plan)",
         [text("o1", WATER, "96.3%以上", scope="国考监测断面"), cell("o2", WATER, "96.1", scope="国考监测断面")],
         {"same-figure.disagree": [{"o1", "o2"}]},
         {"same-figure.disagree": {"checked": 1, "failed": 1}, "same-figure.different-bounds": {"checked": 0}}),
    case("two documents, same actual 98.6% vs 97.6%",
         [text("o1", AIR, "98.6%", role="actual", period="2023", region="dayu"),
          text("o2", AIR, "97.6%", role="actual", period="2023", region="dayu", document="doc-b")],
         {"same-figure.disagree": [{"o1", "o2"}]}),
    case("a baseline and an actual of the same year are one figure",
         [cell("o1", FOREST, "76.23", role="baseline", period="2020"), text("o2", FOREST, "75.1%", role="actual", period="2020")],
         {"same-figure.disagree": [{"o1", "o2"}]}),
    case("96%左右 vs 98.1 is beyond ±1 point",
         [text("o1", AIR, "96%左右"), cell("o2", AIR, "98.1")], {"same-figure.disagree": [{"o1", "o2"}]}),
    case("starred cell 92.2* (*为2021年) vs a 2021 actual 95%",
         [cell("o1", "hazardous_waste_disposal_rate", "92.2*", role="baseline", period="2020", period_note="*为2021年"),
          text("o2", "hazardous_waste_disposal_rate", "95%", role="actual", period="2021")],
         {"same-figure.disagree": [{"o1", "o2"}]}),
    case("near miss: 76.2%以上 vs 76.23 agree within rounding",
         [text("o1", FOREST, "76.2%以上", role="actual", period="2021"), cell("o2", FOREST, "76.23", role="baseline", period="2021")],
         {}, {"same-figure.disagree": {"checked": 1, "failed": 0}}),
    case("near miss: 96%左右 vs 96",
         [text("o1", AIR, "96%左右"), cell("o2", AIR, "96")], {}, {"same-figure.disagree": {"checked": 1, "failed": 0}}),
    case("near miss: 近7000家-style approximation 约 vs a point",
         [text("o1", "selenium_demo_bases", "约140个", unit="", role="actual", period="2023"),
          text("o2", "selenium_demo_bases", "142", unit="个", role="actual", period="2023", document="doc-b")],
         {}, {"same-figure.disagree": {"checked": 1, "failed": 0}}),
    case("near miss: 富硒示范基地 110 (2022) and 142 (2023) are different as-of dates",
         [text("o1", "selenium_demo_bases", "110", unit="个", role="actual", period="2022"),
          text("o2", "selenium_demo_bases", "142", unit="个", role="actual", period="2023", document="doc-b")],
         {}, {"same-figure.disagree": {"checked": 0, "undecided": 0}}),
    case("near miss: 中心城区 vs 县级及以上城市",
         [cell("o1", AIR, "96", scope="中心城区"), cell("o2", AIR, "93", scope="县级及以上城市")],
         {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: 累计发放绿色贷款 vs 绿色贷款余额 are two indicators",
         [text("o1", "green_loans_disbursed", "24.24亿元", unit="", role="actual", period="2023"),
          text("o2", "green_loans_balance", "150亿元", unit="", role="actual", period="2023")],
         {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: cumulative [22.01] vs a one-year value of the same period",
         [cell("o1", "co2_per_gdp_reduction", "[22.01]", role="baseline", period="2016-2020"),
          text("o2", "co2_per_gdp_reduction", "4.5", role="actual", period="2016-2020")],
         {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: starred 92.2* (*为2021年) is not the 2020 figure 89%",
         [cell("o1", "hazardous_waste_disposal_rate", "92.2*", role="baseline", period="2020", period_note="*为2021年"),
          text("o2", "hazardous_waste_disposal_rate", "89%", role="actual", period="2020")],
         {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: 力争达到98% (aspirational) beside the binding 96",
         [cell("o1", AIR, "96"), text("o2", AIR, "力争达到98%")],
         {}, {"same-figure.disagree": {"checked": 0}, "same-figure.different-bounds": {"checked": 0}}),
    case("near miss: target vs actual of the same year",
         [text("o1", AIR, "96%"), text("o2", AIR, "98.8%", role="actual")], {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: 479万千瓦 and 4790000千瓦 convert to one value",
         [text("o1", "renewable_capacity", "479万千瓦", unit="", role="actual", period="2021"),
          text("o2", "renewable_capacity", "4790000", unit="千瓦", role="actual", period="2021", document="doc-b")],
         {}, {"same-figure.disagree": {"checked": 1, "failed": 0}}),
    case("near miss: a change in 个百分点 is not a change in %",
         [text("o1", FOREST, "提高2个百分点", unit="个百分点", role="change", period="2023"),
          text("o2", FOREST, "增长5%", unit="%", role="change", period="2023", document="doc-b")],
         {}, {"same-figure.disagree": {"checked": 0}}),
    case("near miss: one side delegated is undecided",
         [cell("o1", "co2_per_gdp_reduction", "按省下达目标", unit=""), text("o2", "co2_per_gdp_reduction", "18%")],
         {}, {"same-figure.disagree": {"checked": 0, "undecided": 1, "undecided_reasons": {"one side has no number": 1}}}),
    # --- same-figure.different-bounds --------------------------------------------------------
    case("水土保持率 text 82.57%以上 vs table ≥83.5 (gz-plan)",
         [text("o1", SOIL, "82.57%以上"), cell("o2", SOIL, "≥83.5")],
         {"same-figure.different-bounds": [{"o1", "o2"}]},
         {"same-figure.different-bounds": {"checked": 1, "failed": 1}, "same-figure.disagree": {"checked": 1, "failed": 0}}),
    case("two ceilings ≤30 vs 28以下", [text("o1", "co2_per_gdp_reduction", "≤30"), cell("o2", "co2_per_gdp_reduction", "28以下")],
         {"same-figure.different-bounds": [{"o1", "o2"}]}),
    case("near miss: 76.2%以上 (first) vs ≥76.23 agree within printed precision",
         [text("o1", FOREST, "76.2%以上"), cell("o2", FOREST, "≥76.23")], {},
         {"same-figure.different-bounds": {"checked": 1, "failed": 0}}),
    case("near miss: ≥76.23 (first) vs 76.2%以上 agree within printed precision",
         [cell("o1", FOREST, "≥76.23"), text("o2", FOREST, "76.2%以上")], {},
         {"same-figure.different-bounds": {"checked": 1, "failed": 0}}),
    case("near miss: a floor and a point are not two bounds",
         [text("o1", SOIL, "82.57%以上"), cell("o2", SOIL, "83.5")], {},
         {"same-figure.different-bounds": {"checked": 0}}),
    case("near miss: equal floors ≥93 and 93%以上",
         [cell("o1", AIR, "≥93"), text("o2", AIR, "93%以上")], {}, {"same-figure.different-bounds": {"checked": 1, "failed": 0}}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_same_figure_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
