"""part-whole.*: a county cannot exceed its city, a sub-category its category."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "part-whole"
INDICATORS = [
    indicator("renewable_capacity", unit="kilowatt", quantity="level", additive="true", name="可再生能源发电装机容量"),
    indicator("new_energy_capacity", unit="kilowatt", quantity="level", additive="true", parent="renewable_capacity",
              name="新能源发电装机容量"),
    indicator("green_loans_balance", unit="yuan", quantity="balance", additive="true", name="绿色贷款余额"),
    indicator("air_good_days_share", name="空气质量优良天数比例"),
    indicator("pm25", unit="ug_m3", direction="down", quantity="level", name="PM2.5平均浓度"),
    indicator("prefab_share", name="新开工装配式建筑面积占比"),
    indicator("prefab_concrete_share", parent="prefab_share", name="新开工混凝土装配式建筑面积占比"),
]
CAP, NEW, LOANS = "renewable_capacity", "new_energy_capacity", "green_loans_balance"


def A(id, ind, value, region, period="2023", unit="万千瓦", **extra):
    """An actual figure of a region."""
    return observation(id, ind, value, region=region, period=period, role="actual", unit=unit, **extra)


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


CASES = [
    # --- part-whole.region-exceeds-parent ----------------------------------------------------
    case("county capacity above its city's (the province's is fine)",
         [A("dy", CAP, "200", "dayu"), A("gz", CAP, "150", "ganzhou"), A("jx", CAP, "1000", "jiangxi", document="doc-b")],
         {"part-whole.region-exceeds-parent": [{"dy", "gz"}]},
         {"part-whole.region-exceeds-parent": {"checked": 3, "failed": 1}}),
    case("county above the province (grandparent) with no city figure",
         [A("dy", CAP, "200", "dayu"), A("jx", CAP, "150", "jiangxi")],
         {"part-whole.region-exceeds-parent": [{"dy", "jx"}]}),
    case("units convert before comparing: 2000000千瓦 > 150万千瓦",
         [A("dy", CAP, "2000000", "dayu", unit="千瓦"), A("gz", CAP, "150", "ganzhou")],
         {"part-whole.region-exceeds-parent": [{"dy", "gz"}]}),
    case("loans: a county balance target above its city's (both 2025 targets)",
         [observation("dy", LOANS, "120亿元", region="dayu", unit=""), observation("gz", LOANS, "100亿元", region="ganzhou", unit="")],
         {"part-whole.region-exceeds-parent": [{"dy", "gz"}]}),
    case("near miss: county cleaner than its city (shares and concentrations are not additive)",
         [A("dy", "air_good_days_share", "98.6", "dayu", unit="%"), A("gz", "air_good_days_share", "96", "ganzhou", unit="%"),
          A("dy2", "pm25", "30", "dayu", unit="微克/立方米"), A("gz2", "pm25", "20", "ganzhou", unit="微克/立方米")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: different years",
         [A("dy", CAP, "200", "dayu", period="2023"), A("gz", CAP, "150", "ganzhou", period="2021")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: a county target against a city actual",
         [observation("dy", CAP, "200", region="dayu", unit="万千瓦"), A("gz", CAP, "150", "ganzhou", period="2025")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: growth rates of a county and its city",
         [observation("dy", CAP, "增长30%", region="dayu", role="change", period="2023"),
          observation("gz", CAP, "增长10%", region="ganzhou", role="change", period="2023")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: 150.4 vs 150 within printed precision",
         [A("dy", CAP, "150.4", "dayu"), A("gz", CAP, "150", "ganzhou")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 1, "failed": 0}}),
    case("near miss: sibling cities are not parts of each other",
         [A("ja", CAP, "200", "jian"), A("gz", CAP, "150", "ganzhou")], {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: different scopes",
         [A("dy", CAP, "200", "dayu", scope="县城"), A("gz", CAP, "150", "ganzhou", scope="中心城区")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0}}),
    case("near miss: the whole is delegated (undecided)",
         [observation("dy", CAP, "200", region="dayu", unit="万千瓦"), observation("gz", CAP, "按省下达目标", region="ganzhou", unit="")],
         {}, {"part-whole.region-exceeds-parent": {"checked": 0, "undecided": 1}}),
    # --- part-whole.subcategory-exceeds-category ---------------------------------------------
    case("混凝土装配式 82.46% above 装配式 39% (the dy-2023 figures swapped)",
         [A("o1", "prefab_share", "39%", "dayu", unit="%"), A("o2", "prefab_concrete_share", "82.46%", "dayu", unit="%")],
         {"part-whole.subcategory-exceeds-category": [{"o1", "o2"}]},
         {"part-whole.subcategory-exceeds-category": {"checked": 1, "failed": 1}}),
    case("新能源 500万千瓦 above 可再生能源 479万千瓦",
         [A("o1", CAP, "479", "ganzhou", period="2021"), A("o2", NEW, "500", "ganzhou", period="2021")],
         {"part-whole.subcategory-exceeds-category": [{"o1", "o2"}]}),
    case("near miss: 混凝土装配式 39% within 装配式 82.46% (dy-2023)",
         [A("o1", "prefab_share", "82.46%", "dayu", unit="%"), A("o2", "prefab_concrete_share", "39%", "dayu", unit="%")],
         {}, {"part-whole.subcategory-exceeds-category": {"checked": 1, "failed": 0}}),
    case("near miss: a sub-category may grow faster than its category",
         [observation("o1", CAP, "增长10%", role="change", period="2023"), observation("o2", NEW, "增长30%", role="change", period="2023")],
         {}, {"part-whole.subcategory-exceeds-category": {"checked": 0}}),
    case("near miss: sub-category of one region vs category of another",
         [A("o1", "prefab_share", "40%", "ganzhou", unit="%"), A("o2", "prefab_concrete_share", "50%", "dayu", unit="%")],
         {}, {"part-whole.subcategory-exceeds-category": {"checked": 0}}),
    case("near miss: different years",
         [A("o1", CAP, "479", "ganzhou", period="2021"), A("o2", NEW, "500", "ganzhou", period="2023")],
         {}, {"part-whole.subcategory-exceeds-category": {"checked": 0}}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_part_whole_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
