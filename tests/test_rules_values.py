"""values.*: every printed notation of the domain notes is readable; what is not, is reported."""

import copy

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "values"
SHARE = indicator("forest_coverage", name="森林覆盖率")
AMOUNT = indicator("green_loans", unit="yuan", quantity="cumulative", additive="true", name="累计发放绿色贷款")
COUNT = indicator("enterprises", unit="count", quantity="count", additive="true", name="企业数量")
CAPACITY = indicator("pv_capacity", unit="kilowatt", quantity="level", additive="true", name="光伏装机")
INDICATORS = [SHARE, AMOUNT, COUNT, CAPACITY]


def case(description, observations, expected, counts=None, indicators=INDICATORS, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(indicators, observations, expected, counts or {}, id=description, marks=marks)


def one(value, *, ind="forest_coverage", unit="%", **extra):
    """A single observation o1 printing `value`; the rule must read it."""
    return [observation("o1", ind, value, unit=unit, **extra)]


CASES = [
    # --- must fire -------------------------------------------------------------------------
    case("abc is unreadable, its readable neighbour is not",
         [observation("o1", "forest_coverage", "abc", unit=""), observation("o2", "forest_coverage", "96.1")],
         {"values.unreadable": [{"o1"}]}, {"values.unreadable": {"checked": 2, "failed": 1}}),
    case("a starred cell whose column note gives no year",
         one("92.2*", role="baseline", period="2020", section="table"), {"values.unreadable": [{"o1"}]}),
    case("a range that runs backwards (5~3)", one("5~3"), {"values.unreadable": [{"o1"}]}),
    case("two numbers in one cell", one("3~5~7"), {"values.unreadable": [{"o1"}]}),
    case("a wording that is no known qualitative target", one("有所好转", unit=""), {"values.unreadable": [{"o1"}]}),
    # --- near misses: every notation of the domain notes reads -----------------------------
    case("point 96.1", one("96.1"), {}, {"values.unreadable": {"checked": 1, "failed": 0}}),
    case("floor ≥76", one("≥76"), {}),
    case("floor 96.3%以上", one("96.3%以上"), {}),
    case("floor 达到35% as a goal", one("达到35%"), {}),
    case("floor 力争达到97%", one("力争达到97%"), {}),
    case("floor 突破560亿元", one("突破560亿元", ind="green_loans", unit=""), {}),
    case("ceiling <1.3", one("<1.3"), {}),
    case("ceiling ≤5", one("≤5"), {}),
    case("ceiling 5%以下", one("5%以下"), {}),
    case("ceiling 控制在5%以内", one("控制在5%以内"), {}),
    case("approx 96%左右", one("96%左右"), {}),
    case("approx 约700", one("约700", ind="enterprises", unit="家"), {}),
    case("approx 近7000家", one("近7000家", ind="enterprises", unit=""), {}),
    case("more than 1.9万余个", one("1.9万余个", ind="enterprises", unit=""), {}),
    case("range 3~5", one("3~5"), {}),
    case("cumulative [22.01]", one("[22.01]", period="2016-2020", section="table"), {}),
    case("starred cell 92.2* with column note *为2021年",
         one("92.2*", role="baseline", period="2020", period_note="*为2021年", section="table"), {}),
    case("full-width digits ７６．２３", one("７６．２３"), {}),
    case("stray space 76.23 %", one("76.23 %"), {}),
    case("magnitude 479万千瓦", one("479万千瓦", ind="pv_capacity", unit=""), {}),
    case("no figure —", one("—", unit=""), {}),
    case("delegated 按省下达目标", one("按省下达目标", unit=""), {}),
    case("delegated 按省下达任务执行", one("按省下达任务执行", unit=""), {}),
    case("delegated 不低于国家下发数据", one("不低于国家下发数据", unit=""), {}),
    case("trend 持续提升", one("持续提升", unit=""), {}),
    case("trend 持续改善", one("持续改善", unit=""), {}),
    case("trend 保持稳定", one("保持稳定", unit=""), {}),
    case("trend 稳定下降", one("稳定下降", unit=""), {}),
    case("trend 稳中向好", one("稳中向好", unit=""), {}),
    case("trend 巩固提升", one("巩固提升", unit=""), {}),
    case("zero 基本消除", one("基本消除", unit=""), {}),
    case("zero 全面消灭", one("全面消灭", unit=""), {}),
    case("zero 保持长治久清", one("保持长治久清", unit=""), {}),
    case("state 不明显", one("不明显", unit=""), {}),
    case("state 有效保障", one("有效保障", unit=""), {}),
    case("state 基本健全", one("基本健全", unit=""), {}),
    case("state 基本建立", one("基本建立", unit=""), {}),
    case("change 增长26.34%", one("增长26.34%", ind="green_loans", role="change"), {}),
    case("change 下降2个百分点", one("下降2个百分点", unit="个百分点", role="change"), {}),
]


@pytest.mark.parametrize("indicators, observations, expected, counts", CASES)
def test_values_rules(tmp_path, indicators, observations, expected, counts):
    root = build_dataset(tmp_path / "d", copy.deepcopy(indicators), copy.deepcopy(observations))
    assert_family(root, FAMILY, expected, counts)
