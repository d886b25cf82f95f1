"""growth.*: a level and its change imply the previous year's level printed elsewhere."""

import pytest

from builders import assert_family, build_dataset, indicator, observation

FAMILY = "growth"
INDICATORS = [
    indicator("gdp", unit="yuan", quantity="level", additive="true", name="生产总值"),
    indicator("grain", unit="tonne", quantity="level", additive="true", name="粮食产量"),
    indicator("new_jobs", unit="count", quantity="count", additive="true", name="城镇新增就业"),
    indicator("urbanization", quantity="share", name="常住人口城镇化率"),
]
DOCUMENTS = [{"id": "report-2023", "as_of": "2023-03"}, {"id": "communique-2023", "as_of": "2024-02"}]


def later(id, ind, value, unit, role="actual", **extra):
    return observation(id, ind, value, document="communique-2023", period="2023", role=role, unit=unit, **extra)


def earlier(id, ind, value, unit, document="report-2023", **extra):
    return observation(id, ind, value, document=document, period="2022", role="actual", unit=unit, **extra)


def case(description, observations, expected, counts=None):
    return pytest.param(observations, expected, counts or {}, id=description)


RULE = "growth.implied-previous-level"
CASES = [
    case("near miss: 69541万吨 增产1.3% against 1.37万亿斤 the year before (one mass, within rounding)",
         [later("l", "grain", "69541万吨", "万吨"), later("g", "grain", "增产1.3%", "%", role="change"),
          earlier("e", "grain", "1.37万亿斤", "万亿斤")],
         {}, {RULE: {"checked": 1, "failed": 0, "undecided": 0}}),
    case("restated: 69541万吨 增产1.3% against 1.30万亿斤 the year before",
         [later("l", "grain", "69541万吨", "万吨"), later("g", "grain", "增产1.3%", "%", role="change"),
          earlier("e", "grain", "1.30万亿斤", "万亿斤")],
         {RULE: [{"l", "g", "e"}]}, {RULE: {"checked": 1, "failed": 1}}),
    case("an absolute change: 1244万人, 多增38万人 against 1206万人 (agrees) and 1106万人 (does not)",
         [later("l", "new_jobs", "1244万人", "万人"), later("g", "new_jobs", "多增38万人", "万人", role="change"),
          earlier("e", "new_jobs", "1206万人", "万人"), earlier("f", "new_jobs", "1106万人", "万人", document="communique-2023")],
         {RULE: [{"l", "g", "f"}]}, {RULE: {"checked": 2, "failed": 1}}),
    case("a share and its change in points: 66.16%, 提高0.94个百分点 against 65.22% (agrees)",
         [later("l", "urbanization", "66.16%", "%"), later("g", "urbanization", "提高0.94个百分点", "个百分点", role="change"),
          earlier("e", "urbanization", "65.22%", "%")],
         {}, {RULE: {"checked": 1, "failed": 0}}),
    case("undecided: a real growth against nominal levels in money is never passed",
         [later("l", "gdp", "1260582亿元", "亿元", basis="nominal"), later("g", "gdp", "增长5.2%", "%", role="change", basis="real"),
          earlier("e", "gdp", "1210207亿元", "亿元", basis="nominal")],
         {}, {RULE: {"checked": 0, "undecided": 1}}),
    case("a nominal growth of money levels is checked: 增长8% does not give 1210207亿元",
         [later("l", "gdp", "1260582亿元", "亿元", basis="nominal"), later("g", "gdp", "增长8%", "%", role="change", basis="nominal"),
          earlier("e", "gdp", "1210207亿元", "亿元", basis="nominal")],
         {RULE: [{"l", "g", "e"}]}, {RULE: {"checked": 1, "failed": 1}}),
    case("near miss: no figure of the year before, nothing compared",
         [later("l", "grain", "69541万吨", "万吨"), later("g", "grain", "增产1.3%", "%", role="change")],
         {}, {RULE: {"checked": 0, "undecided": 0}}),
]


@pytest.mark.parametrize("observations, expected, counts", CASES)
def test_growth(tmp_path, observations, expected, counts):
    root = build_dataset(tmp_path, INDICATORS, observations, documents=DOCUMENTS)
    assert_family(root, FAMILY, expected, counts)
