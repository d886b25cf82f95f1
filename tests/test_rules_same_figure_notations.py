"""same-figure with the growth basis: a nominal and a real growth are two figures; a growth whose
basis is not printed is compared with the definition it agrees with."""

import pytest

from builders import assert_family, build_dataset, indicator, observation

INDICATORS = [indicator("income", unit="yuan", quantity="level", name="居民人均可支配收入")]
RULE = "same-figure.disagree"


def growth(id, value, basis, document="doc-a"):
    return observation(id, "income", value, role="change", period="2023", document=document, basis=basis,
                       quote=f"居民人均可支配收入{value}")


@pytest.mark.parametrize("observations, expected, counts", [
    pytest.param([growth("n", "增长6.3%", "nominal"), growth("r", "实际增长6.1%", "real")], {}, {RULE: {"checked": 0}},
                 id="near miss: nominal 6.3% and real 6.1% are two figures"),
    pytest.param([growth("n", "增长6.3%", "nominal"), growth("r", "实际增长6.1%", "real"), growth("u", "增长6.1%", "", document="doc-b")],
                 {}, {RULE: {"checked": 1, "failed": 0}},
                 id="near miss: an unstated 6.1% agrees with the real figure"),
    pytest.param([growth("n", "增长6.3%", "nominal"), growth("r", "实际增长6.1%", "real"), growth("u", "增长5.1%", "", document="doc-b")],
                 {RULE: [{"n", "u"}, {"r", "u"}]}, {RULE: {"checked": 2, "failed": 2}},
                 id="an unstated 5.1% agrees with neither definition"),
])
def test_basis(tmp_path, observations, expected, counts):
    assert_family(build_dataset(tmp_path, INDICATORS, observations), "same-figure", expected, counts)


NOTATION_INDICATORS = [
    indicator("grain", unit="tonne", quantity="level", additive="true", name="粮食产量"),
    indicator("gdp", unit="yuan", quantity="level", additive="true", name="生产总值"),
    indicator("cpi", unit="percent", direction="none", quantity="index", name="居民消费价格"),
]


def figure(id, ind, value, unit, document, role="actual"):
    return observation(id, ind, value, role=role, period="2023", document=document, unit=unit, quote=f"{ind}{value}")


@pytest.mark.parametrize("observations, expected, counts", [
    pytest.param([figure("a", "grain", "1.39万亿斤", "万亿斤", "doc-a"), figure("b", "grain", "69541万吨", "万吨", "doc-b")],
                 {}, {RULE: {"checked": 1, "failed": 0}}, id="near miss: 1.39万亿斤 and 69541万吨 are one mass"),
    pytest.param([figure("a", "grain", "1.39万亿斤", "万亿斤", "doc-a"), figure("b", "grain", "59541万吨", "万吨", "doc-b")],
                 {RULE: [{"a", "b"}]}, {RULE: {"checked": 1, "failed": 1}}, id="1.39万亿斤 and 59541万吨 are not"),
    pytest.param([figure("a", "gdp", "126万亿元", "万亿元", "doc-a"), figure("b", "gdp", "1260582亿元", "亿元", "doc-b")],
                 {}, {RULE: {"checked": 1, "failed": 0}}, id="near miss: 126万亿元 and 1260582亿元 at two precisions"),
    pytest.param([figure("a", "gdp", "125万亿元", "万亿元", "doc-a"), figure("b", "gdp", "1260582亿元", "亿元", "doc-b")],
                 {RULE: [{"a", "b"}]}, {RULE: {"checked": 1, "failed": 1}}, id="125万亿元 is not 1260582亿元"),
    pytest.param([figure("a", "cpi", "103左右", "", "doc-a", role="change_target"), figure("b", "cpi", "3%左右", "%", "doc-b", role="change_target")],
                 {}, {RULE: {"checked": 1, "failed": 0}}, id="near miss: a price index 103左右 is a rise of about 3%"),
    pytest.param([figure("a", "cpi", "106左右", "", "doc-a", role="change_target"), figure("b", "cpi", "3%左右", "%", "doc-b", role="change_target")],
                 {RULE: [{"a", "b"}]}, {RULE: {"checked": 1, "failed": 1}}, id="106左右 is not 3%左右"),
])
def test_notations(tmp_path, observations, expected, counts):
    assert_family(build_dataset(tmp_path, NOTATION_INDICATORS, observations), "same-figure", expected, counts)
