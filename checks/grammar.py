"""The grammar of printed values: a printed figure → an interval and a kind.

Every notation of the domain notes is read here and nowhere else:
`96.1` → [96.05, 96.15] (printed precision); `≥76`, `96.3%以上`, `突破560亿元` → floors;
`<1.3`, `以下`, `控制在…以内` → ceilings; `左右`, `约`, `近` → approximations; `3~5` → ranges;
`[22.01]` → a five-year cumulative figure; `92.2*` with the column note `*为2021年` → year 2021;
持续提升 / 稳定下降 / 保持稳定 → qualitative trends; 基本消除 → about zero; 按省下达目标 → delegated;
`—` → no figure. What cannot be read comes back as kind "unreadable" with a message; `parse`
never raises.
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

# Words before the number. A figure may carry several ("力争达到", "累计下降").
FLOOR_WORDS = ("≥", ">=", ">", "不低于", "不少于", "超过", "超", "突破", "高于", "大于")
CEILING_WORDS = ("≤", "<=", "<", "不高于", "不超过", "低于", "小于", "控制在")
APPROX_WORDS = ("约", "大约")
NEAR_WORDS = ("将近", "接近", "近")
# "达到 35%" as a goal means "at least 35%"; as an achieved value it is just the value.
ASPIRATIONAL = "力争"
REACH_WORDS = ("力争达到", ASPIRATIONAL, "达到", "达")
NEUTRAL_WORDS = ("提高到", "提高至", "提升到", "提升至", "降至", "降到", "下降到", "下降至", "保持在", "稳定在", "保持", "维持在", "为", "完成", "实现", "累计", "共", "均为", "分别为", "是")
UP_WORDS = ("增长", "提高", "提升", "增加", "上升", "增")
DOWN_WORDS = ("下降", "降低", "减少", "降")
PREFIXES = sorted(
    [(w, "floor") for w in FLOOR_WORDS]
    + [(w, "ceiling") for w in CEILING_WORDS]
    + [(w, "approx") for w in APPROX_WORDS]
    + [(w, "near") for w in NEAR_WORDS]
    + [(w, "reach") for w in REACH_WORDS]
    + [(w, "neutral") for w in NEUTRAL_WORDS]
    + [(w, "up") for w in UP_WORDS]
    + [(w, "down") for w in DOWN_WORDS],
    key=lambda pair: len(pair[0]),
    reverse=True,
)
SUFFIXES = {"以上": "floor", "以下": "ceiling", "以内": "ceiling", "左右": "approx", "上下": "approx"}
FOOTNOTE_MARKS = "*※#＊"
NUMBER = r"\d+(?:\.\d+)?"
FRACTION = re.compile(r"^(?P<numerator>\d+)/(?P<denominator>[1-9]\d*)$")
FIGURE = re.compile(rf"^(?P<low>{NUMBER})(?:(?:~|〜|-|—|至|到)(?P<high>{NUMBER}))?(?P<rest>.*)$")
MORE_THAN = re.compile(r"^(?P<magnitude>[万亿]?)[余多](?P<unit>.*)$")
FOOTNOTE_NOTE = re.compile(r"(?P<mark>\S)\s*为\s*(?P<year>\d{4})\s*年")


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
    cumulative: bool = False  # printed in [brackets]: a five-year total, not a one-year value
    footnote_year: int | None = None
    cell_unit: str = ""  # a unit printed inside the value itself
    aspirational: bool = False  # 力争 (strive for): a stretch goal beside the binding one, not a restatement
    error: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.kind in {"point", "floor", "ceiling", "approx", "range", "zero"}


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), white space removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def parse(printed: str, *, role: str = "actual", period_note: str = "", share_unit: bool = False,
          tolerances: Tolerances = Tolerances()) -> ParsedValue:
    """Read one printed value. Never raises: what it cannot read is kind "unreadable"."""
    try:
        return _parse(printed, role, period_note, share_unit, tolerances)
    except Exception as exc:  # a grammar bug must surface as a finding, not a crash
        return ParsedValue("unreadable", error=f"internal error reading {printed!r}: {exc}")


def _parse(printed: str, role: str, period_note: str, share_unit: bool, tol: Tolerances) -> ParsedValue:
    text = fold(printed if isinstance(printed, str) else "")
    if text in NO_FIGURE:
        return ParsedValue("none")
    footnote_year = None
    if text and text[-1] in FOOTNOTE_MARKS:
        mark, text = text[-1], text[:-1]
        footnote_year = _footnote_year(mark, period_note)
        if footnote_year is None:
            return ParsedValue("unreadable", error=f"footnote mark {mark!r} but the column note {period_note!r} gives no year for it")
    if not re.search(r"\d", text):
        return _parse_words(text)
    cumulative = False
    if text.startswith("[") and text.endswith("]"):
        cumulative, text = True, text[1:-1]

    qualifiers: list[str] = []
    while True:
        match = next(((w, q) for w, q in PREFIXES if text.startswith(w)), None)
        if match is None:
            break
        qualifiers.append(match[1])
        text = text[len(match[0]):]
    fraction = FRACTION.match(text)
    if fraction:  # "近1/3": a share of a whole, exact as printed; read in percent
        value = 100 * int(fraction["numerator"]) / int(fraction["denominator"])
        kind, lower, upper = _bounds(value, 0.0, qualifiers, role, True, tol)
        return ParsedValue(kind, lower, upper, number=value, cell_unit="%", aspirational=ASPIRATIONAL in fold(printed))
    figure = FIGURE.match(text)
    if figure is None:
        return ParsedValue("unreadable", error=f"no number where one was expected in {printed!r}")
    low = float(figure["low"])
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
        return ParsedValue("unreadable", error=f"more than one number in {printed!r}")

    decimals = len(figure["low"].partition(".")[2])
    half = 0.5 * 10 ** (-decimals)
    if high is not None:
        kind, lower, upper = "range", low - half, high + 0.5 * 10 ** (-len(figure["high"].partition(".")[2]))
        if lower > upper:
            return ParsedValue("unreadable", error=f"range {printed!r} runs backwards")
    else:
        kind, lower, upper = _bounds(low, half, qualifiers, role, share_unit, tol)
    if role == "change" and "down" in qualifiers:
        lower, upper = -upper, -lower
    return ParsedValue(kind, lower, upper, number=low, cumulative=cumulative, footnote_year=footnote_year,
                       cell_unit=unit, aspirational=ASPIRATIONAL in fold(printed))


def _bounds(value: float, half: float, qualifiers: list[str], role: str, share_unit: bool,
            tol: Tolerances) -> tuple[str, float, float]:
    width = tol.approx_share_points if share_unit else abs(value) * tol.approx_relative
    if "floor" in qualifiers or ("reach" in qualifiers and role == "target"):
        return "floor", value - half, INF
    if "ceiling" in qualifiers:
        return "ceiling", -INF, value + half
    if "near" in qualifiers:
        return "approx", value - max(width, half), value + half
    if "approx" in qualifiers:
        return "approx", value - max(width, half), value + max(width, half)
    return "point", value - half, value + half


def _parse_words(text: str) -> ParsedValue:
    if any(marker in text for marker in DELEGATED_MARKERS):
        return ParsedValue("delegated")
    if any(word in text for word in ZERO_LIKE):
        return ParsedValue("zero", 0.0, 0.0, number=0.0)
    for trend, words in TRENDS.items():
        if any(word in text for word in words):
            return ParsedValue("qualitative", trend=trend)
    if any(word in text for word in STATES):
        return ParsedValue("state")
    return ParsedValue("unreadable", error=f"no number and no known wording in {text!r}")


def _footnote_year(mark: str, period_note: str) -> int | None:
    for note in FOOTNOTE_NOTE.finditer(fold(period_note)):
        if note["mark"] == fold(mark) or fold(mark) in "*＊" and note["mark"] in "*＊":
            return int(note["year"])
    return None
