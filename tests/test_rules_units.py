"""units.*: printed units fit the catalogue unit; notation of units in tables and names."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "units"
INDICATORS = [
    indicator("restored_area", unit="mu", quantity="level", additive="true", name="废弃矿山修复面积"),
    indicator("renewable_capacity", unit="kilowatt", quantity="level", additive="true", name="可再生能源发电装机容量"),
    indicator("green_loans", unit="yuan", quantity="cumulative", additive="true", name="累计发放绿色贷款"),
    indicator("air_good_days_share", name="空气质量优良天数比例"),
    indicator("air_good_days", unit="day", quantity="count", name="空气质量优良天数"),
    indicator("forest_coverage", name="森林覆盖率"),
]
O = observation


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


CASES = [
    # --- units.wrong-dimension -------------------------------------------------------------
    case("an area printed in 万千瓦",
         [O("o1", "restored_area", "5", unit="万千瓦", role="actual", period="2023")],
         {"units.wrong-dimension": [{"o1"}]}, {"units.wrong-dimension": {"checked": 1, "failed": 1}}),
    case("an area with 万千瓦 inside the value and no unit column",
         [O("o1", "restored_area", "5万千瓦", unit="", role="actual", period="2023")],
         {"units.wrong-dimension": [{"o1"}]}),
    case("an amount in 亿元 printed as %",
         [O("o1", "green_loans", "24.24", unit="%", role="actual", period="2023"),
          O("o2", "green_loans", "24.24亿元", unit="亿元", role="actual", period="2023", document="doc-b")],
         {"units.wrong-dimension": [{"o1"}]}, {"units.wrong-dimension": {"checked": 2}}),
    case("a change of an amount printed in 个百分点",
         [O("o1", "green_loans", "提高2个百分点", unit="个百分点", role="change", period="2023")],
         {"units.wrong-dimension": [{"o1"}]}),
    case("near miss: magnitude word 479万千瓦 converts to 千瓦",
         [O("o1", "renewable_capacity", "479", unit="万千瓦", role="actual", period="2021")],
         {}, {"units.wrong-dimension": {"checked": 1, "failed": 0}}),
    case("near miss: 平方公里 converts to 亩 (both areas)",
         [O("o1", "restored_area", "6.25", unit="平方公里", role="actual", period="2023")], {}),
    case("near miss: growth of an amount in %",
         [O("o1", "green_loans", "增长26.34%", unit="%", role="change", period="2023")], {}),
    case("near miss: change of a share in 个百分点 and in %",
         [O("o1", "forest_coverage", "提高6个百分点", unit="个百分点", role="change", period="2020-2023"),
          O("o2", "forest_coverage", "增长5%", unit="%", role="change", period="2023")],
         {}, {"units.wrong-dimension": {"checked": 2, "failed": 0}}),
    case("near miss: a qualitative target without a unit is not checked",
         [O("o1", "forest_coverage", "持续提升", unit="", period="2035")],
         {}, {"units.wrong-dimension": {"checked": 0}}),
    # --- units.repeated-in-cell --------------------------------------------------------------
    case("96% in a table cell under a (%) header (gz-plan row 17)",
         [O("o1", "air_good_days_share", "93.3", unit="%", role="baseline", period="2020", section="table",
            quote="17 空气质量优良天数比率(%) 中心城区 93.3", scope="中心城区"),
          O("o2", "air_good_days_share", "96%", unit="%", period="2025", section="table",
            quote="17 空气质量优良天数比率(%) 中心城区 93.3 96%", scope="中心城区")],
         {"units.repeated-in-cell": [{"o2"}]}, {"units.repeated-in-cell": {"checked": 2, "failed": 1}}),
    case("a floor cell 96.3%以上 under a (%) header",
         [O("o1", "forest_coverage", "96.3%以上", unit="(%)", section="table")],
         {"units.repeated-in-cell": [{"o1"}]}),
    case("near miss: 96% in running text",
         [O("o1", "air_good_days_share", "96%", unit="%", section="text")], {}, {"units.repeated-in-cell": {"checked": 0}}),
    case("near miss: bare 96 in a (%) column",
         [O("o1", "air_good_days_share", "96", unit="%", section="table")], {}, {"units.repeated-in-cell": {"checked": 1}}),
    case("near miss: ≥76 and a starred cell in a (%) column",
         [O("o1", "forest_coverage", "76.23*", unit="%", section="table", role="baseline", period="2020", period_note="*为2021年"),
          O("o2", "forest_coverage", "≥76", unit="%", section="table")], {}),
    # --- units.count-as-share ----------------------------------------------------------------
    case("优良天数为93.9% (jx-2024: a day count name with a % value)",
         [O("o1", "air_good_days_share", "93.9%", unit="%", role="actual", period="2024H1",
            quote="今年上半年，全省空气质量优良天数为93.9%")],
         {"units.count-as-share": [{"o1"}]}, {"units.count-as-share": {"checked": 1, "failed": 1}}),
    case("优良天数达到98%",
         [O("o1", "air_good_days_share", "98%", unit="%", role="actual", period="2023", quote="全县空气质量优良天数达到98%")],
         {"units.count-as-share": [{"o1"}]}),
    case("优良天数 98% after a comma and a space",
         [O("o1", "air_good_days_share", "98%", unit="%", role="actual", period="2023", quote="空气质量优良天数， 98%")],
         {"units.count-as-share": [{"o1"}]}),
    case("near miss: 优良天数比例达98.6% names a share",
         [O("o1", "air_good_days_share", "98.6%", unit="%", role="actual", period="2023", quote="2023年全县空气质量优良天数比例达98.6%")],
         {}, {"units.count-as-share": {"checked": 1, "failed": 0}}),
    case("near miss: 优良天数比率98.8%",
         [O("o1", "air_good_days_share", "98.8%", unit="%", role="actual", period="2023", quote="空气质量优良天数比率98.8%")], {}),
    case("near miss: a count of days printed in 天",
         [O("o1", "air_good_days", "340天", unit="天", role="actual", period="2023", quote="全年空气质量优良天数达到340天")],
         {}, {"units.count-as-share": {"checked": 0}}),
    case("near miss: a change in % of the day count",
         [O("o1", "air_good_days_share", "增加5%", unit="%", role="change", period="2023", quote="空气质量优良天数增加5%")],
         {}, {"units.count-as-share": {"checked": 0}}),
    case("优良天数保持在95%以上 (verb 保持在 between name and figure)",
         [O("o1", "air_good_days_share", "95%以上", unit="%", period="2025", quote="空气质量优良天数保持在95%以上")],
         {"units.count-as-share": [{"o1"}]}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_units_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
