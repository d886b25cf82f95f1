"""One interval arithmetic for every rule: agreement, "not worse than", "part ≤ whole",
implied totals. Works on scalars and on pandas Series alike (plain operators only)."""

from __future__ import annotations

import numpy as np


def meets(a_low, a_high, b_low, b_high, slack=0.0):
    """Two intervals share at least one value (within `slack`)."""
    return (a_low <= b_high + slack) & (b_low <= a_high + slack)


def worse(t_low, t_high, b_low, b_high, direction):
    """Target interval lies wholly on the worse side of the baseline interval."""
    up = (direction == "up") & (t_high < b_low)
    down = (direction == "down") & (t_low > b_high)
    return up | down


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
    """An interval for a message: [96.05, 96.15], [76, ∞)."""
    lo = "(-∞" if low == -np.inf else f"[{low:.6g}"
    hi = "∞)" if high == np.inf else f"{high:.6g}]"
    return f"{lo}, {hi}"
