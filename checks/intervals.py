"""One interval arithmetic for every rule: agreement, "not worse than", "part ≤ whole",
implied totals. Works on scalars and on pandas Series alike (plain operators only)."""

from __future__ import annotations

import numpy as np

from checks.number_text import number


def meets(a_low, a_high, b_low, b_high, slack=0.0):
    """Two intervals share at least one value (within `slack`)."""
    return (a_low <= b_high + slack) & (b_low <= a_high + slack)


def worse(t_low, t_high, b_low, b_high, direction):
    """Target interval lies wholly on the worse side of the baseline interval.

    Rounding intervals are half-open (96.1 stands for 96.05 ≤ x < 96.15, since 96.15 prints as
    96.2), so two rounding intervals that only touch share no value: 96.1 is wholly below 96.2.
    Exact figures (基本消除 = 0) have no width: two of them that touch are equal."""
    up = (direction == "up") & before(t_low, t_high, b_low, b_high)
    down = (direction == "down") & before(b_low, b_high, t_low, t_high)
    return up | down


def before(a_low, a_high, b_low, b_high):
    """Interval a ends before interval b starts, or touches it where both have a width (rounding
    intervals, half-open); allows for floating-point noise at the shared end."""
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(b_low)
        noise = np.where(finite, 1e-9 * np.maximum(1.0, np.abs(np.where(finite, b_low, 0.0))), 0.0)
        touch = (a_high <= b_low + noise) & (a_high > a_low) & (b_high > b_low)
        return (a_high < b_low - noise) | touch


def exceeds(part_low, whole_high):
    """A part that is certainly larger than its whole."""
    return part_low > whole_high


def divide(n_low, n_high, d_low, d_high):
    """[n] / [d] for positive intervals (a part over a share gives the whole)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return n_low / d_high, n_high / d_low


def subtract(a_low, a_high, b_low, b_high):
    """[a] − [b]."""
    return a_low - b_high, a_high - b_low


def fmt(low, high) -> str:
    """An interval for a message: [96.05, 96.15], [76, ∞), [121,037,000, 132,718,000] (never an exponent)."""
    lo = "(-∞" if low == -np.inf else f"[{number(float(low))}"
    hi = "∞)" if high == np.inf else f"{number(float(high))}]"
    return f"{lo}, {hi}"
