"""targets.*: a plan's targets against its own baselines and each other, in the better direction."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "targets"
INDICATORS = [
    indicator("surface_water_good_share", name="地表水水质优良比例"),
    indicator("pm25", unit="ug_m3", direction="down", quantity="level", name="PM2.5平均浓度"),
    indicator("forest_coverage", name="森林覆盖率"),
    indicator("soil_water_conservation_rate", name="水土保持率"),
    indicator("nature_reserve_area_share", name="自然保护地面积占国土面积比例"),
    indicator("groundwater_class5_share", direction="down", name="地下水质量V类水体比例"),
    indicator("radiation_accident_rate", unit="accidents_per_10k_sources", direction="down", quantity="rate", name="辐射事故发生率"),
    indicator("hazardous_waste_disposal_rate", name="危险废物利用处理率"),
    indicator("co2_per_gdp_reduction", name="单位GDP二氧化碳排放降低"),
    indicator("air_good_days_share", name="空气质量优良天数比率"),
    indicator("registered_population", unit="count", direction="none", quantity="count", additive="true", name="户籍人口"),
]


def B(id, ind, value, period="2020", **extra):
    """A baseline cell of the plan's table."""
    return observation(id, ind, value, role="baseline", period=period, section="table", **extra)


def T(id, ind, value, period="2025", **extra):
    """A target cell of the plan's table."""
    return observation(id, ind, value, role="target", period=period, section="table", **extra)


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


WATER, PM, FOREST = "surface_water_good_share", "pm25", "forest_coverage"
UG = "微克/立方米"
CASES = [
    # --- targets.worse-than-baseline ---------------------------------------------------------
    case("国考断面水质优良比例 100 (2020) → 96.1 (2025)",
         [B("o1", WATER, "100", scope="国考监测断面"), T("o2", WATER, "96.1", scope="国考监测断面"),
          T("o3", WATER, "持续改善", period="2035", scope="国考监测断面", unit="")],
         {"targets.worse-than-baseline": [{"o1", "o2"}]},
         {"targets.worse-than-baseline": {"checked": 1, "failed": 1, "undecided": 1},
          "targets.qualitative-wrong-way": {"checked": 1, "failed": 0},
          "targets.later-worse": {"checked": 0, "undecided": 1}}),
    case("PM2.5 28 → 30 (down indicator rises)",
         [B("o1", PM, "28", unit="μg/m ³"), T("o2", PM, "30", unit="μg/m ³")],
         {"targets.worse-than-baseline": [{"o1", "o2"}]}),
    case("near miss: 96.14 → 96.1 is within printed precision",
         [B("o1", WATER, "96.14"), T("o2", WATER, "96.1")], {},
         {"targets.worse-than-baseline": {"checked": 1, "failed": 0}}),
    case("near miss: 82.1 → ≥83.5 improves",
         [B("o1", "soil_water_conservation_rate", "82.1"), T("o2", "soil_water_conservation_rate", "≥83.5")], {},
         {"targets.worse-than-baseline": {"checked": 1, "failed": 0}}),
    case("near miss: direction none is undecided, never compared",
         [B("o1", "registered_population", "100", unit="万人"), T("o2", "registered_population", "90", unit="万人")], {},
         {"targets.worse-than-baseline": {"checked": 0, "undecided": 1, "undecided_reasons": {"no better direction": 1}},
          "targets.flat": {"checked": 0, "undecided": 1}, "targets.weak-bound": {"checked": 0, "undecided": 1}}),
    case("near miss: cumulative [22.01] baseline against a one-year target",
         [B("o1", "co2_per_gdp_reduction", "[22.01]"), T("o2", "co2_per_gdp_reduction", "4.5")], {},
         {"targets.worse-than-baseline": {"checked": 0, "undecided": 1,
                                          "undecided_reasons": {"a five-year cumulative figure against a one-year value": 1}}}),
    case("near miss: delegated 按省下达目标 is undecided",
         [B("o1", "co2_per_gdp_reduction", "18"), T("o2", "co2_per_gdp_reduction", "按省下达目标", unit="")], {},
         {"targets.worse-than-baseline": {"checked": 0, "undecided": 1,
                                          "undecided_reasons": {"target or baseline has no number (delegated, qualitative, state, —)": 1}}}),
    case("near miss: different scopes are different series",
         [B("o1", WATER, "100", scope="中心城区"), T("o2", WATER, "96.1", scope="县级及以上城市")], {},
         {"targets.worse-than-baseline": {"checked": 0, "undecided": 0}}),
    case("near miss: baseline and target of different documents",
         [B("o1", WATER, "100"), T("o2", WATER, "96.1", document="doc-b")], {},
         {"targets.worse-than-baseline": {"checked": 0}}),
    case("near miss: starred cell 92.2* is the 2021 baseline and the latest (the 2020 figure 97 is older)",
         [observation("o1", "hazardous_waste_disposal_rate", "97", role="baseline", period="2020", quote="2020年危险废物利用处理率为97"),
          B("o2", "hazardous_waste_disposal_rate", "92.2*", period_note="*为2021年"),
          T("o3", "hazardous_waste_disposal_rate", "95")], {},
         {"targets.worse-than-baseline": {"checked": 1, "failed": 0}}),
    case("without the footnote the same baseline would be compared as 2020",
         [observation("o1", "hazardous_waste_disposal_rate", "97", role="baseline", period="2020", quote="2020年危险废物利用处理率为97"),
          B("o2", "hazardous_waste_disposal_rate", "92.2"),
          T("o3", "hazardous_waste_disposal_rate", "95")],
         {"targets.worse-than-baseline": [{"o1", "o3"}]}, {"targets.worse-than-baseline": {"checked": 2}}),
    # --- targets.later-worse -----------------------------------------------------------------
    case("2025 target 96.1 → 2035 target 95",
         [T("o1", WATER, "96.1"), T("o2", WATER, "95", period="2035")],
         {"targets.later-worse": [{"o1", "o2"}]}, {"targets.later-worse": {"checked": 1, "failed": 1}}),
    case("PM2.5 ceiling ≤30 (2025) → 32 (2035)",
         [T("o1", PM, "≤30", unit=UG), T("o2", PM, "32", period="2035", unit=UG)], {"targets.later-worse": [{"o1", "o2"}]}),
    case("near miss: 96 → 95 touch within printed precision (95.5 is both)",
         [T("o1", WATER, "96"), T("o2", WATER, "95", period="2035")], {}, {"targets.later-worse": {"checked": 1, "failed": 0}}),
    case("near miss: equal targets ≥60 → ≥60",
         [T("o1", "air_good_days_share", "≥60"), T("o2", "air_good_days_share", "≥60", period="2035")], {},
         {"targets.later-worse": {"checked": 1, "failed": 0}}),
    case("near miss: a qualitative 2035 target is undecided",
         [T("o1", WATER, "96"), T("o2", WATER, "持续提升", period="2035", unit="")], {},
         {"targets.later-worse": {"checked": 0, "undecided": 1}}),
    # --- targets.qualitative-wrong-way -------------------------------------------------------
    case("持续提升 for PM2.5", [T("o1", PM, "持续提升", period="2035", unit="")],
         {"targets.qualitative-wrong-way": [{"o1"}]}, {"targets.qualitative-wrong-way": {"checked": 1, "failed": 1}}),
    case("稳定下降 for a coverage rate", [T("o1", FOREST, "稳定下降", period="2035", unit="")],
         {"targets.qualitative-wrong-way": [{"o1"}]}),
    case("near miss: 持续改善, 稳定下降 and 保持稳定 for PM2.5",
         [T("o1", PM, "持续改善", period="2030", unit=""), T("o2", PM, "稳定下降", period="2035", unit=""),
          T("o3", PM, "保持稳定", period="2035", unit="", scope="中心城区")], {},
         {"targets.qualitative-wrong-way": {"checked": 3, "failed": 0}}),
    case("near miss: direction none is undecided",
         [T("o1", "registered_population", "持续提升", period="2035", unit="")], {},
         {"targets.qualitative-wrong-way": {"checked": 0, "undecided": 1}}),
    case("near miss: a progress statement (actual) is not a target",
         [observation("o1", PM, "持续提升", role="actual", period="2023", unit="")], {},
         {"targets.qualitative-wrong-way": {"checked": 0, "undecided": 0}}),
    # --- targets.weak-bound ------------------------------------------------------------------
    case("森林覆盖率 76.23 → ≥76 (gz-plan row 11)",
         [B("o1", FOREST, "76.23", period_note="*为2021年"), T("o2", FOREST, "≥76")],
         {"targets.weak-bound": [{"o1", "o2"}]},
         {"targets.weak-bound": {"checked": 1, "failed": 1}, "targets.worse-than-baseline": {"checked": 1, "failed": 0}}),
    case("辐射事故发生率 0 → <1.3",
         [B("o1", "radiation_accident_rate", "0", unit="起/每万枚"), T("o2", "radiation_accident_rate", "<1.3", unit="起/每万枚")],
         {"targets.weak-bound": [{"o1", "o2"}]}),
    case("near miss: ≥10 against 9.95 (threshold above the baseline)",
         [B("o1", "nature_reserve_area_share", "9.95"), T("o2", "nature_reserve_area_share", "≥10"),
          T("o3", "nature_reserve_area_share", "保持稳定", period="2035", unit="")], {},
         {"targets.weak-bound": {"checked": 1, "failed": 0, "undecided": 1}}),
    case("near miss: a ceiling below the baseline for PM2.5",
         [B("o1", PM, "28", unit=UG), T("o2", PM, "≤25", unit=UG)], {}, {"targets.weak-bound": {"checked": 1, "failed": 0}}),
    # --- targets.flat ------------------------------------------------------------------------
    case("地下水V类水体比例 16.7 → 16.7 (down)",
         [B("o1", "groundwater_class5_share", "16.7", period_note="*为2021年"), T("o2", "groundwater_class5_share", "16.7"),
          T("o3", "groundwater_class5_share", "稳定下降", period="2035", unit="")],
         {"targets.flat": [{"o1", "o2"}]},
         {"targets.flat": {"checked": 1, "failed": 1, "undecided": 1}, "targets.qualitative-wrong-way": {"checked": 1, "failed": 0}}),
    case("≥93 → ≥93", [B("o1", "air_good_days_share", "≥93"), T("o2", "air_good_days_share", "≥93")],
         {"targets.flat": [{"o1", "o2"}]}),
    case("near miss: 0 → 0 is the ideal of a down indicator",
         [B("o1", "radiation_accident_rate", "0", unit="起/每万枚"), T("o2", "radiation_accident_rate", "0", unit="起/每万枚")], {},
         {"targets.flat": {"checked": 1, "failed": 0}}),
    case("near miss: 100 → 100 is the ideal of an up share",
         [B("o1", "hazardous_waste_disposal_rate", "100"), T("o2", "hazardous_waste_disposal_rate", "100"),
          T("o3", "hazardous_waste_disposal_rate", "100", period="2035")], {},
         {"targets.flat": {"checked": 2, "failed": 0}, "targets.later-worse": {"checked": 1, "failed": 0}}),
    case("near miss: 基本消除 against 0", [B("o1", "groundwater_class5_share", "0"), T("o2", "groundwater_class5_share", "基本消除", unit="")], {}),
    case("near miss: flat 50 → 50 with direction none is undecided",
         [B("o1", "registered_population", "50", unit="万人"), T("o2", "registered_population", "50", unit="万人")], {},
         {"targets.flat": {"checked": 0, "undecided": 1, "undecided_reasons": {"no better direction": 1}}}),
    case("near miss: 优良天数比率 93.3 → 96% → 按省下达任务执行 (delegated 2035 target)",
         [B("o1", "air_good_days_share", "93.3", scope="中心城区", period_note="*为2021年"),
          T("o2", "air_good_days_share", "96%", scope="中心城区"),
          T("o3", "air_good_days_share", "按省下达任务执行", period="2035", scope="中心城区", unit="")], {},
         {"targets.worse-than-baseline": {"checked": 1, "undecided": 1}, "targets.later-worse": {"checked": 0, "undecided": 1},
          "targets.flat": {"checked": 1, "undecided": 1}}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_targets_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
