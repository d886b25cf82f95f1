"""derived.*: figures that imply other figures must imply them consistently."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "derived"
INDICATORS = [
    indicator("total_capacity", unit="kilowatt", quantity="level", additive="true", name="全口径发电装机容量"),
    indicator("renewable_capacity", unit="kilowatt", quantity="level", additive="true", name="可再生能源发电装机容量"),
    indicator("renewable_share", share_part="renewable_capacity", share_whole="total_capacity", name="可再生能源发电装机占比"),
    indicator("new_energy_capacity", unit="kilowatt", quantity="level", additive="true", parent="renewable_capacity", name="新能源发电装机容量"),
    indicator("new_energy_share", share_part="new_energy_capacity", share_whole="total_capacity", name="新能源发电装机占比"),
    indicator("hi_tech_va", unit="yuan", quantity="level", additive="true", name="高技术制造业增加值"),
    indicator("industrial_va", unit="yuan", quantity="level", additive="true", name="规模以上工业增加值"),
    indicator("hi_tech_growth_margin", unit="percentage_point", quantity="change", minuend="hi_tech_va", subtrahend="industrial_va",
              name="高技术制造业增加值增速高于全省平均的幅度"),
    indicator("forest_coverage", name="森林覆盖率"),
    indicator("groundwater_class5_share", direction="down", name="地下水质量V类水体比例"),
    indicator("green_loans_balance", unit="yuan", quantity="balance", additive="true", name="绿色贷款余额"),
    indicator("pm25", unit="ug_m3", direction="down", quantity="level", name="PM2.5平均浓度"),
]


def A(id, ind, value, period="2021", unit="", **extra):
    return observation(id, ind, value, role="actual", period=period, unit=unit, **extra)


def C(id, ind, value, period, unit="%", **extra):
    return observation(id, ind, value, role="change", period=period, unit=unit, **extra)


def shares(new_energy="367万千瓦"):
    """gz-decade line 13: 可再生能源 479万千瓦 = 62.84%, 新能源 367万千瓦 = 48.15% of one total."""
    return [A("re", "renewable_capacity", "479万千瓦"), A("re_s", "renewable_share", "62.84%"),
            A("ne", "new_energy_capacity", new_energy), A("ne_s", "new_energy_share", "48.15%")]


def margin(average="增长8.8%", average_period="2024H1"):
    """jx-2024: 增长20.2%，高于全省平均11.4个百分点; 全省规模以上工业增加值增长8.8%."""
    return [C("m1", "hi_tech_va", "增长20.2%", "2024H1"),
            A("m2", "hi_tech_growth_margin", "11.4个百分点", period="2024H1", unit="个百分点"),
            C("m3", "industrial_va", average, average_period)]


def case(description, observations, expected, counts=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(INDICATORS, observations, expected, counts or {}, id=description, marks=marks)


IMPLIED_BOTH = [{"re", "re_s"}, {"ne", "ne_s"}]
CASES = [
    # --- derived.implied-totals-disagree / derived.implied-total ------------------------------
    case("near miss: 479万千瓦 at 62.84% and 367万千瓦 at 48.15% imply 762.3 and 762.2",
         shares(), {"derived.implied-total": IMPLIED_BOTH},
         {"derived.implied-totals-disagree": {"checked": 1, "failed": 0}, "derived.implied-total": {"checked": 2}}),
    case("367 typed as 397: the implied totals 762.3 and 824.5 disagree",
         shares("397万千瓦"), {"derived.implied-totals-disagree": [{"re", "re_s", "ne", "ne_s"}], "derived.implied-total": IMPLIED_BOTH},
         {"derived.implied-totals-disagree": {"checked": 1, "failed": 1}}),
    case("near miss: a printed total 762万千瓦 agrees with 479 ÷ 62.84%",
         shares()[:2] + [A("tot", "total_capacity", "762万千瓦")], {"derived.implied-total": [{"re", "re_s"}]},
         {"derived.implied-totals-disagree": {"checked": 1, "failed": 0}}),
    case("a printed total 800万千瓦 against 479 ÷ 62.84%",
         shares()[:2] + [A("tot", "total_capacity", "800万千瓦")],
         {"derived.implied-totals-disagree": [{"re", "re_s", "tot"}], "derived.implied-total": [{"re", "re_s"}]}),
    case("near miss: share and part of different years imply nothing",
         [A("re", "renewable_capacity", "479万千瓦", period="2020"), A("re_s", "renewable_share", "62.84%"),
          A("ne", "new_energy_capacity", "397万千瓦"), A("ne_s", "new_energy_share", "48.15%")],
         {"derived.implied-total": [{"ne", "ne_s"}]},
         {"derived.implied-totals-disagree": {"checked": 0}, "derived.implied-total": {"checked": 1}}),
    case("near miss: shares of different regions imply different totals",
         [A("re", "renewable_capacity", "479万千瓦"), A("re_s", "renewable_share", "62.84%"),
          A("ne", "new_energy_capacity", "100万千瓦", region="dayu"), A("ne_s", "new_energy_share", "48.15%", region="dayu")],
         {"derived.implied-total": IMPLIED_BOTH}, {"derived.implied-totals-disagree": {"checked": 0}}),
    # --- derived.difference-mismatch ---------------------------------------------------------
    case("near miss: 20.2% − 8.8% = 11.4个百分点",
         margin(), {}, {"derived.difference-mismatch": {"checked": 1, "failed": 0}}),
    case("the province average printed 9.8%: 20.2 − 9.8 ≠ 11.4",
         margin("增长9.8%"), {"derived.difference-mismatch": [{"m1", "m2", "m3"}]},
         {"derived.difference-mismatch": {"checked": 1, "failed": 1}}),
    case("near miss: the average of another period is not related",
         margin("增长9.8%", "2023"), {}, {"derived.difference-mismatch": {"checked": 0}}),
    case("near miss: an amount of the minuend indicator in the same period is not a rate",
         margin() + [A("m4", "hi_tech_va", "560亿元", period="2024H1")], {},
         {"derived.difference-mismatch": {"checked": 1, "failed": 0}}),
    # --- derived.change-mismatch -------------------------------------------------------------
    case("near miss: 90% (2020) + 6个百分点 = 96% (2023)",
         [A("s", "forest_coverage", "90%", period="2020"), A("e", "forest_coverage", "96%", period="2023"),
          C("c", "forest_coverage", "提高6个百分点", "2020-2023", unit="个百分点")], {},
         {"derived.change-mismatch": {"checked": 1, "failed": 0, "undecided": 0}}),
    case("90% (2020) + 4个百分点 ≠ 96% (2023)",
         [A("s", "forest_coverage", "90%", period="2020"), A("e", "forest_coverage", "96%", period="2023"),
          C("c", "forest_coverage", "提高4个百分点", "2020-2023", unit="个百分点")],
         {"derived.change-mismatch": [{"s", "e", "c"}]}, {"derived.change-mismatch": {"checked": 1, "failed": 1}}),
    case("near miss: 18.7 (2020 baseline) 下降2个百分点 → 16.7 (2023)",
         [observation("s", "groundwater_class5_share", "18.7", role="baseline", period="2020", section="table"),
          A("e", "groundwater_class5_share", "16.7%", period="2023"),
          C("c", "groundwater_class5_share", "下降2个百分点", "2020-2023", unit="个百分点")], {},
         {"derived.change-mismatch": {"checked": 1, "failed": 0}}),
    case("near miss: 100亿元 (2020) 增长21% → 121亿元 (2023)",
         [A("s", "green_loans_balance", "100亿元", period="2020"), A("e", "green_loans_balance", "121亿元", period="2023"),
          C("c", "green_loans_balance", "增长21%", "2020-2023")], {},
         {"derived.change-mismatch": {"checked": 1, "failed": 0}}),
    case("100亿元 (2020) 增长26.34% ≠ 121亿元 (2023)",
         [A("s", "green_loans_balance", "100亿元", period="2020"), A("e", "green_loans_balance", "121亿元", period="2023"),
          C("c", "green_loans_balance", "增长26.34%", "2020-2023")],
         {"derived.change-mismatch": [{"s", "e", "c"}]}),
    case("near miss: the 2020 figure is not printed (undecided)",
         [A("e", "forest_coverage", "96%", period="2023"), C("c", "forest_coverage", "提高4个百分点", "2020-2023", unit="个百分点")], {},
         {"derived.change-mismatch": {"checked": 0, "undecided": 1,
                                      "undecided_reasons": {"the figure at one end is not printed": 1}}}),
    case("near miss: a one-year change (同比) has no two ends to link",
         [A("e", "green_loans_balance", "121亿元", period="2023"), C("c", "green_loans_balance", "增长26.34%", "2023")], {},
         {"derived.change-mismatch": {"checked": 0, "undecided": 0}}),
    case("PM2.5 30 (2020) 下降8微克/立方米 ≠ 25 (2023): an absolute change",
         [A("s", "pm25", "30", period="2020", unit="微克/立方米"), A("e", "pm25", "25", period="2023", unit="微克/立方米"),
          C("c", "pm25", "下降8微克/立方米", "2020-2023", unit="")],
         {"derived.change-mismatch": [{"s", "e", "c"}]}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_derived_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
