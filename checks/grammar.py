"""The grammar of printed values: a printed figure → an interval and a kind.

Every notation of the domain notes is read here and nowhere else:
`96.1` → [96.05, 96.15] (printed precision); `≥76`, `96.3%以上`, `突破560亿元` → floors;
`<1.3`, `以下`, `控制在…以内` → ceilings; `左右`, `约`, `近` → approximations; `3~5`, `5%—6%`,
`5-6%`, `5%至6%` → ranges; `[22.01]`, `〔18〕`, `【18】`, `18（累计）` → a five-year cumulative figure;
`92.2*` with the column note `*为2021年` → year 2021; `76。7` (OCR) → 76.7; `确保` / `力争` /
`争取` before a goal (力争 and 争取 mark a stretch goal); `年均` / `年平均` → a rate per year over the
period (`average_annual`); `翻一番` / `翻两番` / `增长1倍` → +100 % /
+300 % / +100 %; `三成` → 30 %; `两位数` → [10, 100); `近万名` → about 1万名; 持续提升 / 稳定下降 /
保持稳定 → qualitative trends; 基本消除 → about zero; 按省下达目标 → delegated; `—` → no figure.
A price index printed for a rate (`103左右` for a rise of about 3 %) is read as such only when the
caller says the figure is a change in percent (`index_base=True`, decided from the catalogue and
the role, never from the document).

What cannot be read comes back as kind "unreadable" with a message naming the part that could
not be read; `parse` never raises. `format_value` writes a reading back in the notation it came
from, so `parse(format_value(x))` reads `x` again.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

INF = math.inf

NO_FIGURE = {"", "—", "——", "-", "--", "–", "/", "无", "暂无", "…"}
DELEGATED_MARKERS = ("按省下达", "按国家下达", "省下达", "国家下发", "上级下达", "按上级")
ZERO_LIKE = ("基本消除", "全面消除", "全面消灭", "消除", "消灭", "长治久清", "清零")
TRENDS = {
    "up": ("持续提升", "巩固提升", "逐步提升", "稳步提升", "不断提升", "持续提高", "逐步提高", "持续增加", "持续扩大", "持续增长"),
    "down": ("稳定下降", "逐步下降", "持续下降", "持续降低", "逐步降低", "稳中有降"),
    "better": ("持续改善", "稳中向好", "持续向好", "不断改善", "持续优化"),
    "hold": ("保持稳定", "稳定控制", "保持", "稳定"),
}
STATES = ("不明显", "有效保障", "基本健全", "基本建立", "全面推行", "基本实现现代化", "全面覆盖", "全面建立", "基本形成", "全面形成", "显著提升")

# Words before the number. A figure may carry several ("力争达到", "累计下降", "确保实现").
FLOOR_WORDS = ("≥", ">=", ">", "不低于", "不少于", "超过", "超", "突破", "高于", "大于")
CEILING_WORDS = ("≤", "<=", "<", "不高于", "不超过", "低于", "小于", "控制在")
APPROX_WORDS = ("约", "大约")
NEAR_WORDS = ("将近", "接近", "近")
# "达到 35%" as a goal means "at least 35%"; as an achieved value it is just the value.
# 力争 / 争取 (strive for) mark a stretch goal beside the binding one; 确保 (ensure) a binding one.
ASPIRATIONAL_WORDS = ("力争", "争取")
ASPIRATIONAL = ASPIRATIONAL_WORDS[0]
REACH_WORDS = ("力争达到", "争取达到", *ASPIRATIONAL_WORDS, "达到", "达")
# 年均 / 年平均 (average annual): the figure is a rate per year over its period, not the change over
# the whole period (read as `average_annual`; growth.average-annual compares it with the endpoints).
AVERAGE_WORDS = ("年平均", "年均")
NEUTRAL_WORDS = ("确保", "实际", "提高到", "提高至", "提升到", "提升至", "降至", "降到", "下降到", "下降至", "保持在", "稳定在", "保持", "维持在",
                 "为", "完成", "实现", "累计", "共", "均为", "分别为", "是")
UP_WORDS = ("增长", "提高", "提升", "增加", "上升", "上涨", "增产", "多增", "净增", "新增", "扩大", "增")
DOWN_WORDS = ("下降", "降低", "减少", "减产", "下跌", "缩小", "降", "少增")
PREFIXES = sorted(
    [(w, "floor") for w in FLOOR_WORDS]
    + [(w, "ceiling") for w in CEILING_WORDS]
    + [(w, "approx") for w in APPROX_WORDS]
    + [(w, "near") for w in NEAR_WORDS]
    + [(w, "reach") for w in REACH_WORDS]
    + [(w, "neutral") for w in NEUTRAL_WORDS]
    + [(w, "average") for w in AVERAGE_WORDS]
    + [(w, "up") for w in UP_WORDS]
    + [(w, "down") for w in DOWN_WORDS],
    key=lambda pair: len(pair[0]),
    reverse=True,
)
# The first of PREFIXES a text starts with (the longest), in one match: an alternation tries its words in order.
_PREFIX = re.compile("|".join(re.escape(word) for word, _ in PREFIXES))
_PREFIX_QUALIFIER: dict[str, str] = {}
for _word, _qualifier in PREFIXES:
    _PREFIX_QUALIFIER.setdefault(_word, _qualifier)
SUFFIXES = {"以上": "floor", "以下": "ceiling", "以内": "ceiling", "左右": "approx", "上下": "approx"}
FOOTNOTE_MARKS = "*※#＊"
# Brackets that mark a cumulative (five-year) figure, and the printed word for it.
CUMULATIVE_BRACKETS = {"[": "]", "〔": "〕", "【": "】"}
CUMULATIVE_WORD = re.compile(r"\(累计\)|（累计）")
NUMBER = r"\d+(?:\.\d+)?"
RANGE_SEPARATOR = r"(?:~|〜|-|–|—{1,2}|至|到)"
FRACTION = re.compile(r"^(?P<numerator>\d+)/(?P<denominator>[1-9]\d*)$")
# A range may repeat the unit on its low end ("5%—6%", "5%至6%"); it must be the high end's unit.
FIGURE = re.compile(rf"^(?P<sign>[-−])?(?P<low>{NUMBER})(?:(?P<low_unit>[^\d~〜\-–—至到]{{0,6}}?){RANGE_SEPARATOR}(?P<high>{NUMBER}))?(?P<rest>.*)$")
MORE_THAN = re.compile(r"^(?P<magnitude>万亿|[万亿]?)[余多](?P<unit>.*)$")
FOOTNOTE_NOTE = re.compile(r"(?P<mark>\S)\s*为\s*(?P<year>\d{4})\s*年")
OCR_DECIMAL = re.compile(r"(?<=\d)。(?=\d)")  # 76。7: an ideographic full stop printed for a point

# Chinese numerals where they state a quantity.
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_PLACES = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "[零〇一二两三四五六七八九十百千]"
DOUBLING = re.compile(rf"^翻(?P<times>{CN_NUMERAL}+|\d+)番(?P<rest>.*)$")  # 翻一番: ×2, 翻两番: ×4
TENTHS = re.compile(rf"^(?P<count>{CN_NUMERAL}+)成(?P<rest>.*)$")  # 三成: 30 %
DIGIT_COUNT = re.compile(rf"^(?P<count>{CN_NUMERAL}+)位数(?P<rest>.*)$")  # 两位数增长: ≥ 10 %
CN_QUANTITY = re.compile(rf"^(?P<count>{CN_NUMERAL}*)(?P<magnitude>万亿|亿|万)?(?P<rest>.*)$")  # 近万名, 三百个
TREND_SUFFIXES = {"增长": "up", "提高": "up", "下降": "down", "降低": "down"}
TIMES = "倍"  # 增长1倍: +100 %
MAGNITUDE_WORDS = ("万亿", "亿", "万")


@dataclass(frozen=True)
class Tolerances:
    """How wide an approximate figure is (settings.toml [tolerances])."""

    approx_share_points: float = 1.0  # 96%左右 → ±1 percentage point
    approx_relative: float = 0.05  # 约 700 → ±5 %


@dataclass(frozen=True)
class ParsedValue:
    kind: str  # point floor ceiling approx range qualitative zero delegated state none unreadable
    lower: float = -INF
    upper: float = INF
    number: float | None = None  # the printed number (the low end of a range)
    trend: str | None = None  # for kind qualitative: up / down / better / hold
    cumulative: bool = False  # printed in [brackets] / 〔〕 / 【】 / （累计）: a five-year total
    footnote_year: int | None = None
    cell_unit: str = ""  # a unit printed inside the value itself
    aspirational: bool = False  # 力争 / 争取 (strive for): a stretch goal beside the binding one
    average_annual: bool = False  # 年均 / 年平均: a rate per year over the figure's period
    error: str | None = None
    # How it was printed, so format_value can write it back: the digits of the number and of a
    # range's high end, whether it was near (近) rather than about (约), a change printed falling
    # (下降), and a notation other than digits (doubling, tenths, digits, chinese, index, times).
    digits: str = ""
    high_digits: str = ""
    near: bool = False
    falling: bool = False
    notation: str = ""

    @property
    def is_numeric(self) -> bool:
        return self.kind in {"point", "floor", "ceiling", "approx", "range", "zero"}


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), white space removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def parse(printed: str, *, role: str = "actual", period_note: str = "", share_unit: bool = False,
          tolerances: Tolerances = Tolerances(), index_base: bool = False) -> ParsedValue:
    """Read one printed value. Never raises: what it cannot read is kind "unreadable".

    `index_base`: the figure is a change in percent (from the catalogue and the role), so a bare
    number without a unit is a price index on base 100 (`103左右` → +3 % about)."""
    try:
        reading = _parse(printed, role, period_note, share_unit, tolerances)
        if index_base and reading.is_numeric and reading.kind != "zero" and not reading.cell_unit and not reading.notation:
            return _as_index(reading)
        return reading
    except Exception as exc:  # noqa: BLE001 -- a grammar bug must surface as a finding, not a crash
        return ParsedValue("unreadable", error=f"internal error reading {printed!r}: {exc}")


def _as_index(reading: ParsedValue) -> ParsedValue:
    assert reading.number is not None  # an index is read from a numeric reading
    shift = lambda bound: bound - 100 if math.isfinite(bound) else bound  # noqa: E731
    return ParsedValue(reading.kind, shift(reading.lower), shift(reading.upper), number=reading.number - 100,
                       cumulative=reading.cumulative, footnote_year=reading.footnote_year,
                       aspirational=reading.aspirational, average_annual=reading.average_annual, digits=reading.digits,
                       high_digits=reading.high_digits,
                       near=reading.near, falling=reading.falling, notation="index")


def _parse(printed: str, role: str, period_note: str, share_unit: bool, tol: Tolerances) -> ParsedValue:
    text = fold(printed if isinstance(printed, str) else "").replace("−", "-")
    text = OCR_DECIMAL.sub(".", text)
    if text in NO_FIGURE:
        return ParsedValue("none")
    footnote_year = None
    if text and text[-1] in FOOTNOTE_MARKS:
        mark, text = text[-1], text[:-1]
        footnote_year = _footnote_year(mark, period_note)
        if footnote_year is None:
            return ParsedValue("unreadable", error=f"footnote mark {mark!r} but the column note {period_note!r} gives no year for it")
    cumulative = False
    if CUMULATIVE_WORD.search(text):
        cumulative, text = True, CUMULATIVE_WORD.sub("", text)
    if text[:1] in CUMULATIVE_BRACKETS and text.endswith(CUMULATIVE_BRACKETS[text[0]]):
        cumulative, text = True, text[1:-1]
    aspirational = any(word in text for word in ASPIRATIONAL_WORDS)

    qualifiers: list[str] = []
    body = text
    while True:
        match = _PREFIX.match(body)
        if match is None:
            break
        qualifiers.append(_PREFIX_QUALIFIER[match.group()])
        body = body[match.end():]
    if not re.search(r"\d", body):
        special = _chinese_figure(body, qualifiers, role, share_unit, tol)
        if special is not None:
            return _finish(special, cumulative, footnote_year, aspirational, "average" in qualifiers)
        return _parse_words(text, printed)
    fraction = FRACTION.match(body)
    if fraction:  # "近1/3": a share of a whole, exact as printed; read in percent
        value = 100 * int(fraction["numerator"]) / int(fraction["denominator"])
        kind, lower, upper = _bounds(value, 0.0, qualifiers, role, True, tol)
        return ParsedValue(kind, lower, upper, number=value, cell_unit="%", aspirational=aspirational,
                           average_annual="average" in qualifiers, digits=body, near="near" in qualifiers and kind == "approx",
                           notation="fraction")
    figure = FIGURE.match(body)
    if figure is None:
        return ParsedValue("unreadable", error=f"could not read {body!r} in {printed!r}: no number where one was expected")
    if figure["low_unit"] and not figure["rest"].startswith(figure["low_unit"]):
        return ParsedValue("unreadable", error=f"could not read the range {body!r} in {printed!r}: "
                                               f"its ends carry different units ({figure['low_unit']!r} and {figure['rest']!r})")
    sign = -1.0 if figure["sign"] else 1.0
    low = sign * float(figure["low"])
    high = float(figure["high"]) if figure["high"] else None
    rest = figure["rest"]
    for suffix, qualifier in SUFFIXES.items():
        if rest.endswith(suffix):
            qualifiers.append(qualifier)
            rest = rest[: -len(suffix)]
            break
    unit = rest
    more_than = MORE_THAN.match(unit)  # "60余款", "100多元", "1.9万余个": more than
    if more_than:
        qualifiers.append("floor")
        unit = more_than["magnitude"] + more_than["unit"]
    if re.search(r"\d", unit):
        read = (figure["sign"] or "") + figure["low"] + (f"{figure['low_unit']}~{figure['high']}" if high is not None else "")
        return ParsedValue("unreadable", error=f"could not read {unit!r} after {read!r} in {printed!r}")

    decimals = len(figure["low"].partition(".")[2])
    half = 0.5 * 10 ** (-decimals)
    notation = ""
    if unit == TIMES and "up" in qualifiers and high is None:  # 增长1倍: the value doubled, +100 %
        low, half, unit, notation = low * 100, half * 100, "%", "times"
    if high is not None:
        kind, lower, upper = "range", low - half, high + 0.5 * 10 ** (-len(figure["high"].partition(".")[2]))
        if lower > upper:
            return ParsedValue("unreadable", error=f"range {printed!r} runs backwards")
    else:
        kind, lower, upper = _bounds(low, half, qualifiers, role, share_unit or unit == "%", tol)
    falling = role in CHANGE_ROLES and "down" in qualifiers
    if falling:
        lower, upper = -upper, -lower
    return ParsedValue(kind, lower, upper, number=low, cumulative=cumulative, footnote_year=footnote_year,
                       cell_unit=unit, aspirational=aspirational, average_annual="average" in qualifiers,
                       digits=((figure["sign"] and "-") or "") + figure["low"],
                       high_digits=figure["high"] or "", near="near" in qualifiers and kind == "approx",
                       falling=falling, notation=notation)


CHANGE_ROLES = ("change", "change_target")


def _finish(reading: ParsedValue, cumulative: bool, footnote_year: int | None, aspirational: bool, average_annual: bool) -> ParsedValue:
    return ParsedValue(reading.kind, reading.lower, reading.upper, number=reading.number, trend=reading.trend,
                       cumulative=cumulative, footnote_year=footnote_year, cell_unit=reading.cell_unit,
                       aspirational=aspirational, average_annual=average_annual, error=reading.error, digits=reading.digits,
                       high_digits=reading.high_digits, near=reading.near, falling=reading.falling,
                       notation=reading.notation)


def chinese_numeral(text: str) -> int | None:
    """三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105, 百 → 100, 两 → 2; None when not a numeral."""
    if not text or any(ch not in CN_DIGITS and ch not in CN_PLACES for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # 三五: two digits in a row is not a numeral
            digit = CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * CN_PLACES[ch]
            digit = None
    return total + (digit or 0)


def _chinese_figure(body: str, qualifiers: list[str], role: str, share_unit: bool, tol: Tolerances) -> ParsedValue | None:
    """Figures printed in words: 翻一番, 三成, 两位数, 近万名. None when `body` is none of them."""
    suffix_qualifiers = list(qualifiers)
    doubling = DOUBLING.match(body)
    if doubling:
        times = chinese_numeral(doubling["times"]) if not doubling["times"].isdigit() else int(doubling["times"])
        rest, extra = _strip_suffix(doubling["rest"])
        if times is None or rest:
            return None
        value = (2 ** times - 1) * 100.0
        kind, lower, upper = _bounds(value, 0.0, suffix_qualifiers + extra, role, True, tol)
        return ParsedValue(kind, lower, upper, number=value, cell_unit="%", digits=doubling["times"], notation="doubling")
    tenths = TENTHS.match(body)
    if tenths:
        count = chinese_numeral(tenths["count"])
        rest, extra = _strip_suffix(tenths["rest"])
        if count is None or rest or count > 10:
            return None
        kind, lower, upper = _bounds(10.0 * count, 5.0, suffix_qualifiers + extra, role, True, tol)
        return ParsedValue(kind, lower, upper, number=10.0 * count, cell_unit="%", digits=tenths["count"],
                           near="near" in suffix_qualifiers and kind == "approx", notation="tenths")
    digit_count = DIGIT_COUNT.match(body)
    if digit_count:
        count = chinese_numeral(digit_count["count"])
        rest = digit_count["rest"]
        if count is None or not 1 <= count <= 6 or (rest and rest not in TREND_SUFFIXES):
            return None
        low = 10.0 ** (count - 1) if count > 1 else 0.0
        return ParsedValue("range", low, 10.0 ** count, number=low, digits=digit_count["count"],
                           high_digits=rest, notation="digits")
    quantity = CN_QUANTITY.match(body)
    if quantity and (quantity["count"] or quantity["magnitude"]):
        count = chinese_numeral(quantity["count"]) if quantity["count"] else 1
        rest, extra = _strip_suffix(quantity["rest"])
        if count is None or count == 0 or re.search(r"[\u4e00-\u9fff]{3,}", rest) or any(w in rest for w, _ in PREFIXES):
            return None
        value = float(count)
        half = 0.0 if "near" in suffix_qualifiers else 0.5  # 近万: just under 1万
        kind, lower, upper = _bounds(value, half, suffix_qualifiers + extra, role, share_unit or rest == "%", tol)
        return ParsedValue(kind, lower, upper, number=value, cell_unit=(quantity["magnitude"] or "") + rest,
                           digits=quantity["count"], near="near" in suffix_qualifiers and kind == "approx", notation="chinese")
    return None


def _strip_suffix(rest: str) -> tuple[str, list[str]]:
    for suffix, qualifier in SUFFIXES.items():
        if rest.endswith(suffix):
            return rest[: -len(suffix)], [qualifier]
    return rest, []


def _bounds(value: float, half: float, qualifiers: list[str], role: str, share_unit: bool,
            tol: Tolerances) -> tuple[str, float, float]:
    width = tol.approx_share_points if share_unit else abs(value) * tol.approx_relative
    if "floor" in qualifiers or ("reach" in qualifiers and role in ("target", "change_target")):
        return "floor", value - half, INF
    if "ceiling" in qualifiers:
        return "ceiling", -INF, value + half
    if "near" in qualifiers:
        return "approx", value - max(width, half), value + half
    if "approx" in qualifiers:
        return "approx", value - max(width, half), value + max(width, half)
    return "point", value - half, value + half


def _parse_words(text: str, printed: str) -> ParsedValue:
    if any(marker in text for marker in DELEGATED_MARKERS):
        return ParsedValue("delegated")
    if any(word in text for word in ZERO_LIKE):
        return ParsedValue("zero", 0.0, 0.0, number=0.0)
    for trend, words in TRENDS.items():
        if any(word in text for word in words):
            return ParsedValue("qualitative", trend=trend)
    if any(word in text for word in STATES):
        return ParsedValue("state")
    return ParsedValue("unreadable", error=f"could not read {text!r}: no number and no known wording in {printed!r}")


def _footnote_year(mark: str, period_note: str) -> int | None:
    for note in FOOTNOTE_NOTE.finditer(fold(period_note)):
        if note["mark"] == fold(mark) or (fold(mark) in "*＊" and note["mark"] in "*＊"):
            return int(note["year"])
    return None


# ---------------------------------------------------------------------------------------------
# Writing a reading back

WORDS_OF_KIND = {"none": "—", "delegated": "按省下达目标", "zero": "基本消除", "state": "基本建立"}
CN_WRITTEN = "零一二三四五六七八九"


def format_value(reading: ParsedValue) -> str:
    """The printed form of a reading, in the notation it was read from (the inverse of `parse`
    for the same role, column note and flags). An unreadable reading has no printed form: ""."""
    if reading.kind in WORDS_OF_KIND:
        return WORDS_OF_KIND[reading.kind]
    if reading.kind == "qualitative":
        return TRENDS[reading.trend or "hold"][0]
    if reading.kind == "unreadable":
        return ""
    head, figure, tail = _format_figure(reading)
    text = head + figure + tail
    if reading.cumulative:
        text = f"[{text}]"
    if reading.footnote_year is not None:
        text += "*"
    return text


def _format_figure(reading: ParsedValue) -> tuple[str, str, str]:
    head = ASPIRATIONAL if reading.aspirational else ""
    if reading.average_annual:
        head += AVERAGE_WORDS[-1]
    if reading.falling:
        head += DOWN_WORDS[0]
    elif reading.notation == "times":
        head += UP_WORDS[0]
    kind = reading.kind
    if reading.notation == "digits":
        return head, reading.digits + "位数" + reading.high_digits, ""
    if kind == "range":
        return head, f"{reading.digits}~{reading.high_digits}{reading.cell_unit}", ""
    if reading.notation == "doubling":
        figure = f"翻{reading.digits}番"
    elif reading.notation == "tenths":
        figure = f"{reading.digits}成"
    elif reading.notation == "fraction":
        figure = reading.digits
    elif reading.notation == "chinese":
        figure = reading.digits + reading.cell_unit
    elif reading.notation == "times":
        figure = f"{reading.digits}倍"
    else:
        figure = reading.digits + reading.cell_unit
    if kind == "floor":
        return head, figure, "以上"
    if kind == "ceiling":
        return head, figure, "以下"
    if kind == "approx":
        return (head + NEAR_WORDS[-1], figure, "") if reading.near else (head, figure, "左右")
    return head, figure, ""
