"""Notations of unseen documents, each from a real printed example, each with a near miss.

Examples are quoted from government documents in the public repository lawtext/gov (State
Council and provincial work reports, the five-year plans) and from the forum repost of a
national plan described in issue 9.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.grammar import ParsedValue, chinese_numeral, format_value, parse

INF = math.inf

# printed (a real example), parse keywords, expected kind, lower, upper, extra attributes
READ = [
    # 。 printed for a decimal point between digits (OCR of a forum repost)
    ("76。7", {}, "point", 76.65, 76.75, {}),
    # cumulative figures: 〔〕 in the 十三五 table, 【】, and the word (累计)
    ("〔18〕", {"role": "target"}, "point", 17.5, 18.5, {"cumulative": True}),
    ("【15】", {"role": "target"}, "point", 14.5, 15.5, {"cumulative": True}),
    ("〔1000〕（累计）", {"role": "target"}, "point", 999.5, 1000.5, {"cumulative": True}),
    ("18（累计）", {"role": "target"}, "point", 17.5, 18.5, {"cumulative": True}),
    # ranges with the unit on both ends, a hyphen, or 至 (2019 State Council report: 6%—6.5%)
    ("6%—6.5%", {"role": "change_target"}, "range", 5.5, 6.55, {"cell_unit": "%"}),
    ("5-6%", {"role": "change_target"}, "range", 4.5, 6.5, {"cell_unit": "%"}),
    ("5%至6%", {"role": "change_target"}, "range", 4.5, 6.5, {"cell_unit": "%"}),
    # 确保 a binding goal, 力争 / 争取 a stretch goal
    ("确保1.3万亿斤以上", {"role": "target"}, "floor", 1.25, INF, {"aspirational": False, "cell_unit": "万亿斤"}),
    ("力争6%以上", {"role": "change_target"}, "floor", 5.5, INF, {"aspirational": True}),
    ("争取达到6%", {"role": "change_target"}, "floor", 5.5, INF, {"aspirational": True}),
    # a price index for a rate: 居民消费价格涨幅 103左右 → +3 % about (±1 point on a share)
    ("103左右", {"role": "change_target", "index_base": True, "share_unit": True}, "approx", 2.0, 4.0, {"notation": "index"}),
    # multiples
    ("翻一番", {"role": "change_target"}, "point", 100.0, 100.0, {"cell_unit": "%"}),
    ("翻两番", {"role": "change_target"}, "point", 300.0, 300.0, {"cell_unit": "%"}),
    ("增长1倍", {"role": "change"}, "point", 50.0, 150.0, {"cell_unit": "%"}),
    # shares in 成 and Chinese-numeral quantities
    ("三成", {}, "point", 25.0, 35.0, {"cell_unit": "%"}),
    ("超过三成", {}, "floor", 25.0, INF, {"cell_unit": "%"}),
    ("两位数增长", {"role": "change"}, "range", 10.0, 100.0, {}),
    ("近万名", {}, "approx", 0.95, 1.0, {"cell_unit": "万名"}),
    ("三百个", {}, "point", 299.5, 300.5, {"cell_unit": "个"}),
    # 万亿 as a magnitude (2024 State Council report: 国内生产总值超过126万亿元)
    ("超过126万亿元", {"role": "actual"}, "floor", 125.5, INF, {"cell_unit": "万亿元"}),
    # a negative figure (2022 communiqué: 自然增长率为-0.60‰)
    ("-0.60‰", {}, "point", -0.605, -0.595, {"cell_unit": "‰"}),
    # 年均 / 年平均: a rate per year over the period (十四五 outline: 全社会研发经费投入年均增长7%以上; a city
    # report: 力争年均增长8%以上; a provincial report: 五年平均增长34.3%, drafted from 年平均 on)
    ("年均增长7%以上", {"role": "change_target"}, "floor", 6.5, INF, {"average_annual": True}),
    ("力争年均增长8%以上", {"role": "change_target"}, "floor", 7.5, INF, {"average_annual": True, "aspirational": True}),
    ("年平均增长34.3%", {"role": "change"}, "point", 34.25, 34.35, {"average_annual": True}),
    # 新增 (a 2024 provincial report: 高新技术企业新增5000家以上), 缩小 / 扩大 a gap (2022 communiqué:
    # 城乡居民人均可支配收入比值为2.45，比上年缩小0.05)
    ("新增5000家以上", {"role": "change_target"}, "floor", 4999.5, INF, {"cell_unit": "家"}),
    ("缩小0.05", {"role": "change"}, "point", -0.055, -0.045, {"falling": True}),
    ("扩大0.3个百分点", {"role": "change"}, "point", 0.25, 0.35, {"falling": False, "cell_unit": "个百分点"}),
    # a temperature and counters the 2022 communiqué prints (全年平均气温为10.51℃; 5283集; 8.09册（张）)
    ("10.51℃", {}, "point", 10.505, 10.515, {"cell_unit": "°C"}),  # NFKC folds ℃ as units.csv aliases are folded
    ("5283集", {}, "point", 5282.5, 5283.5, {"cell_unit": "集"}),
]


@pytest.mark.parametrize("printed, keywords, kind, lower, upper, extra", READ, ids=[r[0] for r in READ])
def test_reads_real_notation(printed, keywords, kind, lower, upper, extra):
    reading = parse(printed, **keywords)
    assert (reading.kind, reading.error) == (kind, None)
    assert reading.lower == pytest.approx(lower) and reading.upper == pytest.approx(upper)
    for key, value in extra.items():
        assert getattr(reading, key) == value


# near misses: look alike, must not be read as the notation above
NEAR_MISSES = [
    ("76。", {}, lambda r: r.kind == "point" and r.cell_unit == "。"),  # a full stop after a number, not a decimal point
    ("〔18", {}, lambda r: r.kind == "unreadable" and "〔18" in r.error),  # unbalanced bracket
    ("18（累）", {}, lambda r: not r.cumulative),
    ("5%—6亿元", {}, lambda r: r.kind == "unreadable" and "different units" in r.error),
    ("确保6%", {"role": "actual"}, lambda r: r.kind == "point" and not r.aspirational),
    ("力争6%", {"role": "actual"}, lambda r: r.kind == "point" and r.aspirational),
    ("103左右", {"role": "change_target", "share_unit": True}, lambda r: r.lower == 102 and r.notation == ""),  # not a change: an index stays 103
    ("3%左右", {"role": "change_target", "index_base": True, "share_unit": True}, lambda r: (r.lower, r.upper) == (2, 4)),  # printed with %: not an index
    ("翻番", {}, lambda r: r.kind == "unreadable"),  # no count of doublings
    ("1.5倍", {"role": "actual"}, lambda r: r.number == 1.5 and r.cell_unit == "倍"),  # a ratio, not a growth
    ("十一成", {}, lambda r: r.kind == "unreadable"),
    ("两位数字", {}, lambda r: r.kind == "unreadable"),
    ("万众一心", {}, lambda r: r.kind == "unreadable"),
    ("十分明显", {}, lambda r: r.kind == "unreadable"),
    ("126亿元", {}, lambda r: r.cell_unit == "亿元"),
    ("增长7%以上", {"role": "change_target"}, lambda r: not r.average_annual),  # a growth over the whole period
    ("平均6.5%", {"role": "change_target"}, lambda r: r.kind == "unreadable"),  # 平均 alone: an average of what, per what?
    ("新增", {}, lambda r: r.kind == "unreadable"),  # the word without a figure
]


@pytest.mark.parametrize("printed, keywords, check", NEAR_MISSES, ids=[r[0] for r in NEAR_MISSES])
def test_near_misses(printed, keywords, check):
    assert check(parse(printed, **keywords))


@pytest.mark.parametrize("printed, message", [
    ("76。7x3", "could not read 'x3' after '76.7'"),
    ("12.5.3", "could not read '.3' after '12.5'"),
    ("约", "could not read '约'"),
])
def test_unreadable_names_the_part_it_could_not_read(printed, message):
    reading = parse(printed)
    assert reading.kind == "unreadable" and message in reading.error and printed in reading.error


@pytest.mark.parametrize("text, value", [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两", 2), ("百", 100),
                                         ("三五", None), ("", None)])
def test_chinese_numerals(text, value):
    assert chinese_numeral(text) == value


PRINTED = st.one_of(
    st.builds(lambda p, n, u, s: f"{p}{n}{u}{s}",
              st.sampled_from(["", "≥", "<", "约", "近", "超过", "力争", "确保", "达到", "下降", "增长"]),
              st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False).map(str),
              st.sampled_from(["", "%", "亿元", "万亿元", "个百分点", "倍"]), st.sampled_from(["", "以上", "以下", "左右"])),
    st.builds(lambda a, b, u, sep: f"{a}{u}{sep}{a + b}{u}", st.integers(0, 500), st.integers(0, 500),
              st.sampled_from(["", "%"]), st.sampled_from(["~", "—", "至", "-"])),
    st.builds(lambda n, w: f"{w[0]}{n}{w[1]}", st.integers(0, 9999),
              st.sampled_from([("[", "]"), ("〔", "〕"), ("【", "】"), ("", "（累计）"), ("", "*")])),
    st.sampled_from(["翻一番", "翻两番", "三成", "近三成", "两位数增长", "近万名", "三百个", "持续提升", "稳定下降",
                     "保持稳定", "持续改善", "基本消除", "按省下达目标", "—", "基本建立", "76。7", "近1/3"]),
)


@settings(max_examples=400, deadline=None)
@given(PRINTED, st.sampled_from(["baseline", "target", "actual", "change", "change_target"]), st.booleans(), st.booleans())
def test_format_round_trips(printed, role, share, index_base):
    """parse(format(x)) == x for every kind, and intervals are never inverted."""
    keywords = {"role": role, "period_note": "*为2021年", "share_unit": share, "index_base": index_base}
    first = parse(printed, **keywords)
    assert isinstance(first, ParsedValue) and not (first.lower > first.upper)
    if first.kind == "unreadable":
        return
    again = parse(format_value(first), **keywords)
    assert again == first, format_value(first)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.。．%~—-至〔〕【】[]（累计）翻一两三番成位数万亿近约以上下左右增长倍*≥<")), max_size=12),
       st.booleans())
def test_never_raises_on_notation_characters(text, index_base):
    reading = parse(text, role="change_target", index_base=index_base)
    assert not (reading.lower > reading.upper)
    assert (reading.kind == "unreadable") == (reading.error is not None)


def test_less_and_net_increases():
    """2022 communiqué: 城镇新增就业1206万人，比上年少增63万人; 规上工业企业净增218家."""
    assert (parse("少增63万人", role="change").lower, parse("少增63万人", role="change").upper) == (-63.5, -62.5)
    assert parse("净增218家", role="change").lower == 217.5
    assert parse("增63万人", role="change").lower == 62.5  # near miss: without 少 it is a rise
