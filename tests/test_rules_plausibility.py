"""plausibility.*: changes too large to take on trust, flagged for a person to confirm."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "plausibility"
INDICATORS = [
    indicator("public_transport_share", name="公共交通机动化出行分担率"),
    indicator("soil_water_conservation_rate", name="水土保持率"),
    indicator("forest_coverage", name="森林覆盖率"),
    indicator("charging_piles", unit="count", quantity="count", additive="true", name="充电桩数量"),
    indicator("radiation_accident_rate", unit="accidents_per_10k_sources", direction="down", quantity="rate", name="辐射事故发生率"),
    indicator("co2_per_gdp_reduction", name="单位GDP二氧化碳排放降低"),
    indicator("registered_population", unit="count", direction="none", quantity="count", additive="true", name="户籍人口"),
]


def B(id, ind, value, period="2020", **extra):
    return observation(id, ind, value, role="baseline", period=period, section="table", **extra)


def T(id, ind, value, period="2025", **extra):
    return observation(id, ind, value, role="target", period=period, section="table", **extra)


def A(id, ind, value, period, **extra):
    return observation(id, ind, value, role="actual", period=period, **extra)


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


JUMP = "plausibility.large-jump"
CASES = [
    case("公共交通机动化出行分担率 20.25* (2021) → ≥60 (2025): a tripling (gz-plan row 33)",
         [B("o1", "public_transport_share", "20.25*", period_note="*为2021年"), T("o2", "public_transport_share", "≥60"),
          T("o3", "public_transport_share", "≥60", period="2035")],
         {JUMP: [{"o1", "o2"}, {"o1", "o3"}]}, {JUMP: {"checked": 2, "failed": 2}}),
    case("a count target ×10 against its baseline: 10 (2020) → 100 (2025)",
         [B("o1", "charging_piles", "10", unit="个"), T("o2", "charging_piles", "100", unit="个")],
         {JUMP: [{"o1", "o2"}]}, {JUMP: {"checked": 1, "failed": 1}}),
    case("consecutive actuals 30% (2022) → 70% (2023)",
         [A("o1", "forest_coverage", "30%", "2022"), A("o2", "forest_coverage", "70%", "2023", document="doc-b")],
         {JUMP: [{"o1", "o2"}]}),
    case("a share halving more than twice: 60 → 25",
         [A("o1", "forest_coverage", "60", "2022"), A("o2", "forest_coverage", "25", "2023")], {JUMP: [{"o1", "o2"}]}),
    case("near miss: 82.1 → ≥83.5",
         [B("o1", "soil_water_conservation_rate", "82.1"), T("o2", "soil_water_conservation_rate", "≥83.5")], {},
         {JUMP: {"checked": 1, "failed": 0}}),
    case("near miss: a count ×4 is below the 5× limit for counts",
         [B("o1", "charging_piles", "100", unit="个"), T("o2", "charging_piles", "400", unit="个")], {}, {JUMP: {"checked": 1}}),
    case("near miss: a share ×1.975 is below the 2× limit",
         [B("o1", "public_transport_share", "40"), T("o2", "public_transport_share", "79")], {}),
    case("near miss: from zero (0 → <1.3) no ratio is taken",
         [B("o1", "radiation_accident_rate", "0", unit="起/每万枚"), T("o2", "radiation_accident_rate", "<1.3", unit="起/每万枚")], {},
         {JUMP: {"checked": 0}}),
    case("near miss: cumulative [22.01] against a one-year 4.5 is undecided",
         [B("o1", "co2_per_gdp_reduction", "[22.01]"), T("o2", "co2_per_gdp_reduction", "4.5")], {},
         {JUMP: {"checked": 0, "undecided": 1}}),
    case("near miss: consecutive years 10 → 19 → 30 (only adjacent figures compared)",
         [A("o1", "forest_coverage", "10", "2021"), A("o2", "forest_coverage", "19", "2022"), A("o3", "forest_coverage", "30", "2023")], {},
         {JUMP: {"checked": 2, "failed": 0}}),
    case("near miss: different scopes are different series",
         [A("o1", "forest_coverage", "30", "2022", scope="中心城区"), A("o2", "forest_coverage", "70", "2023", scope="县城")], {},
         {JUMP: {"checked": 0}}),
    case("near miss: a delegated target is undecided",
         [B("o1", "public_transport_share", "20.25"), T("o2", "public_transport_share", "按省下达目标", unit="")], {},
         {JUMP: {"checked": 0, "undecided": 1}}),
    case("户籍人口 100万 → 1000万 (direction none): a tenfold jump",
         [B("o1", "registered_population", "100", unit="万人"), T("o2", "registered_population", "1000", unit="万人")],
         {JUMP: [{"o1", "o2"}]}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_plausibility_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
