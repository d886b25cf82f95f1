"""The value grammar, on notations from the seeds and on arbitrary strings."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.grammar import ParsedValue, parse

CASES = [
    # printed, role, period_note, kind, lower, upper, extra
    ("96.1", "target", "", "point", 96.05, 96.15, {}),
    ("≥76", "target", "", "floor", 75.5, math.inf, {}),
    ("96.3%以上", "target", "", "floor", 96.25, math.inf, {"cell_unit": "%"}),
    ("达到35%", "target", "", "floor", 34.5, math.inf, {}),
    ("达98.6%", "actual", "", "point", 98.55, 98.65, {}),  # an achieved value: 达 is not a floor
    ("突破560亿元", "target", "", "floor", 559.5, math.inf, {"cell_unit": "亿元"}),
    ("<1.3", "target", "", "ceiling", -math.inf, 1.35, {}),
    ("控制在5%以内", "target", "", "ceiling", -math.inf, 5.5, {}),
    ("10%以下", "target", "", "ceiling", -math.inf, 10.5, {}),
    ("3~5", "target", "", "range", 2.5, 5.5, {}),
    ("[22.01]", "baseline", "", "point", 22.005, 22.015, {"cumulative": True}),
    ("92.2*", "baseline", "*为2021年", "point", 92.15, 92.25, {"footnote_year": 2021}),
    ("７６．２３", "baseline", "", "point", 76.225, 76.235, {}),
    ("76.23 %", "baseline", "", "point", 76.225, 76.235, {"cell_unit": "%"}),
    ("1.9万余个", "actual", "", "floor", 1.85, math.inf, {"cell_unit": "万个"}),
    ("下降9个百分点", "change", "", "point", -9.5, -8.5, {}),
    ("增长26.34%", "change", "", "point", 26.335, 26.345, {}),
    ("力争达到13%", "target", "", "floor", 12.5, math.inf, {"aspirational": True}),
    ("基本消除", "target", "", "zero", 0, 0, {}),
    ("—", "target", "", "none", -math.inf, math.inf, {}),
    ("按省下达目标", "target", "", "delegated", -math.inf, math.inf, {}),
    ("不低于国家下发数据", "target", "", "delegated", -math.inf, math.inf, {}),
    ("不明显", "target", "", "state", -math.inf, math.inf, {}),
    ("近 1/3", "actual", "", "approx", 100 / 3 - 1, 100 / 3, {}),
]


@pytest.mark.parametrize("printed, role, note, kind, lower, upper, extra", CASES, ids=[c[0] for c in CASES])
def test_notations_of_the_seeds(printed, role, note, kind, lower, upper, extra):
    reading = parse(printed, role=role, period_note=note, share_unit="%" in printed or "百分点" in printed)
    assert reading.kind == kind
    assert reading.lower == pytest.approx(lower) and reading.upper == pytest.approx(upper)
    for key, value in extra.items():
        assert getattr(reading, key) == value


def test_approximation_widths():
    assert (parse("96%左右", share_unit=True).lower, parse("96%左右", share_unit=True).upper) == (95.0, 97.0)
    near = parse("近7000家")
    assert near.kind == "approx" and near.lower == pytest.approx(6650) and near.upper == pytest.approx(7000.5)


@pytest.mark.parametrize("printed, trend", [("持续提升", "up"), ("巩固提升", "up"), ("稳定下降", "down"), ("逐步下降", "down"),
                                            ("持续改善", "better"), ("稳中向好", "better"), ("保持稳定", "hold"), ("稳定控制", "hold")])
def test_qualitative_trends(printed, trend):
    reading = parse(printed, role="target")
    assert (reading.kind, reading.trend) == ("qualitative", trend)


@pytest.mark.parametrize("printed", ["abc", "12.5.3", "3~4~5", "92.2*"])
def test_unreadable_values_say_why(printed):
    reading = parse(printed, role="target")  # 92.2* without a column note: the footnote year is unknown
    assert reading.kind == "unreadable" and reading.error


@settings(max_examples=400, deadline=None)
@given(st.text(), st.sampled_from(["baseline", "target", "actual", "change"]), st.text(max_size=12), st.booleans())
def test_never_raises_and_never_inverted(text, role, note, share):
    reading = parse(text, role=role, period_note=note, share_unit=share)
    assert isinstance(reading, ParsedValue)
    assert not (reading.lower > reading.upper)
    assert reading.kind == "unreadable" or reading.error is None


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "≥", "<", "约", "近"]), st.sampled_from(["", "%", "以上", "左右", "亿元"]))
def test_printed_number_lies_in_its_interval(number, prefix, suffix):
    reading = parse(f"{prefix}{number}{suffix}", role="target", share_unit=suffix == "%")
    assert reading.is_numeric
    assert reading.lower <= float(number) <= reading.upper


def test_qualifier_words_are_read_first_listed_first():
    """The qualifiers before a number are read as PREFIXES lists them (the longest word first), word
    after word: on random runs of qualifier words before a figure, parse reads what reading the
    list in order reads (`不低于` is one floor, not 不 then 低于)."""
    import random

    from checks.grammar import _PREFIX, _PREFIX_QUALIFIER, PREFIXES

    def listed(body):
        read = []
        while (word := next((w for w, _ in PREFIXES if body.startswith(w)), None)) is not None:
            read.append(next(q for w, q in PREFIXES if w == word))
            body = body[len(word):]
        return read, body

    def matched(body):
        read = []
        while (match := _PREFIX.match(body)) is not None:
            read.append(_PREFIX_QUALIFIER[match.group()])
            body = body[match.end():]
        return read, body

    words = [w for w, _ in PREFIXES]
    chance = random.Random(58)
    for _ in range(5000):
        text = "".join(chance.choice([*words, "1", "2.5", "%", "万", "左右", "a"]) for _ in range(chance.randint(0, 5)))
        assert matched(text) == listed(text), text
    assert parse("不低于5%").kind == parse("≥5%").kind
