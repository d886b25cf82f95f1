"""Numbers in words for people: every message, report cell and suite description formats a
number here, so none prints an exponent (1.21037e+08) or float noise (96.14999999999999)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache


def number(value) -> str:
    """A number as a reader expects it: no float noise (96.14999999999999 → 96.15, a computed
    2.4193548387096775 → 2.419), no exponent, thousands grouped from five digits on."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return group_thousands(str(value))
    if not isinstance(value, float):
        return str(value)
    return _float_text(value)


@lru_cache(maxsize=1 << 16)  # findings print the same bounds again and again (18,080 numbers, 5,371 distinct, at 1 M)
def _float_text(value: float) -> str:
    """number() of a float (0.0 and -0.0, one key, both print 0)."""
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    short = f"{value:.15g}"
    digits = len(short.split("e")[0].replace("-", "").replace(".", "").lstrip("0"))
    if digits > 9:  # a computed figure (a quotient) or binary noise: four significant digits are plenty
        magnitude = math.floor(math.log10(abs(value))) if value else 0
        return decimal_text(value, max(0, 3 - magnitude))
    return decimal_text(value, decimal_places(short))


def decimal_places(text: str) -> int:
    """Decimal places of a plain or exponent float text."""
    if "e" in text:
        mantissa, exponent = text.split("e")
        return max(0, decimal_places(mantissa) - int(exponent))
    return len(text.split(".")[1]) if "." in text else 0


def decimal_text(value: float, places: int, strip: bool = True) -> str:
    text = f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):f}"
    if text.startswith("-"):
        text = "−" + text[1:]
        if text.strip("−0.") == "":
            text = text[1:]
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    head, dot, tail = text.partition(".")
    return group_thousands(head) + dot + tail


def group_thousands(integer: str) -> str:
    sign = integer[0] if integer[:1] in "−-" else ""
    digits = integer[len(sign):]
    if len(digits) < 5:
        return integer
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + ",".join(groups)
