"""Percentiles as GB 3095-2012 Appendix A (A.6) defines them, in exact arithmetic.

A.6: sort the n values ascending, X(1) <= ... <= X(n); k = 1 + (n - 1) * p / 100; s = floor(k);
P = X(s) + (X(s + 1) - X(s)) * (k - s). This equals numpy's ``percentile(..., method="linear")``.

Here the values are integers (µg/m³, or CO in tenths of mg/m³) and p an integer, so (n - 1) * p is an
integer and ``100 * P`` is an exact integer: no float ever enters. No Django import (pure module).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from areas.rounding import IntArray, round_half_even_div


def _check_p(p: int) -> None:
    if not 0 <= p <= 100:
        raise ValueError(f"a percentile must be between 0 and 100, got {p}")


def percentile(values: Sequence[int | Fraction], p: int) -> Fraction:
    """The p-th percentile of ``values`` by GB 3095-2012 A.6, exactly (as a Fraction)."""
    _check_p(p)
    if not values:
        raise ValueError("a percentile needs at least one value")
    ordered = sorted(Fraction(v) for v in values)
    n = len(ordered)
    # k - 1 = (n - 1) p / 100 = s0 + frac / 100 with s0 = floor(k) - 1 (0-based index of X(s)).
    s0, frac = divmod((n - 1) * p, 100)
    low = ordered[s0]
    high = ordered[min(s0 + 1, n - 1)]
    return low + (high - low) * Fraction(frac, 100)


def grouped_percentile_units(groups: IntArray, units: IntArray, n_groups: int, p: int) -> tuple[IntArray, IntArray]:
    """Per group, the p-th percentile (A.6) of integer values, rounded half to even (GB/T 8170) to a unit.

    ``groups[i]`` in ``0 .. n_groups-1`` is the group of ``units[i]``. Returns ``(percentile, count)``;
    the percentile is 0 where a group has no value (``count`` 0). Vectorised: one sort for all groups.
    """
    _check_p(p)
    g = np.asarray(groups, dtype=np.int64)
    u = np.asarray(units, dtype=np.int64)
    counts = np.bincount(g, minlength=n_groups).astype(np.int64)
    order = np.lexsort((u, g))
    ordered = u[order]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    has = counts > 0
    s0, frac = np.divmod(np.maximum(counts - 1, 0) * p, 100)
    low_idx = np.where(has, starts + s0, 0)
    high_idx = np.where(has, starts + np.minimum(s0 + 1, np.maximum(counts - 1, 0)), 0)
    if ordered.size:
        low = ordered[low_idx]
        high = ordered[high_idx]
    else:
        low = np.zeros(n_groups, dtype=np.int64)
        high = low
    hundredfold = low * 100 + (high - low) * frac  # exactly 100 * P
    result: IntArray = np.where(has, round_half_even_div(hundredfold, 100), 0).astype(np.int64)
    return result, counts
