"""GB/T 8170 round-half-even of exact decimals, in integers (areas/rounding.py)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from areas.rounding import float_to_units, round_decimal, round_half_even_div, units_to_float


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 2), (7, 2, 4), (3, 2, 2), (1, 2, 0), (-5, 2, -2), (-7, 2, -4), (1, 3, 0), (2, 3, 1), (10, 5, 2)],
)
def test_round_half_even_div_rounds_halves_to_even(numerator, denominator, expected):
    assert round_half_even_div(np.array([numerator]), denominator)[0] == expected


def test_round_half_even_div_rejects_a_zero_denominator():
    with pytest.raises(ValueError, match="positive"):
        round_half_even_div(np.array([1]), 0)


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_round_half_even_div_equals_exact_rational_rounding(numerator, denominator):
    # Python's round() of a Fraction is round-half-even on the exact rational.
    assert round_half_even_div(np.array([numerator]), denominator)[0] == round(Fraction(numerator, denominator))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [("0.35", 1, "0.4"), ("0.25", 1, "0.2"), ("0.45", 1, "0.4"), ("2.5", 0, "2"), ("3.5", 0, "4"), ("1.26", 1, "1.3")],
)
def test_round_decimal_of_exact_decimals(value, decimals, expected):
    assert round_decimal(value, decimals) == Decimal(expected)
    assert round_decimal(float(value), decimals) == Decimal(expected)


def test_binary_float_point_35_still_rounds_up_to_point_4():
    # 0.35 is stored as 0.34999999999999997...; naive float rounding gives 0.3.
    assert round(0.35, 1) == 0.3
    units, present = float_to_units(np.array([0.35, 0.25, 2.5, 3.5, np.nan]), 1)
    assert units[:4].tolist() == [4, 2, 25, 35]
    assert present.tolist() == [True, True, True, True, False]
    assert float_to_units(np.array([2.5, 3.5, 0.5, 1.5]), 0)[0].tolist() == [2, 4, 0, 2]


def test_float_to_units_rejects_infinite_values():
    with pytest.raises(ValueError, match="finite"):
        float_to_units(np.array([np.inf]), 0)


@given(st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False), st.integers(0, 2))
def test_float_to_units_matches_decimal_quantize(value, decimals):
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN).scaleb(decimals)
    units, _ = float_to_units(np.array([float(value)]), decimals)
    assert units[0] == int(expected)


def test_units_to_float_prints_exactly():
    assert units_to_float(np.array([13, 4, 100]), 1).tolist() == [1.3, 0.4, 10.0]
    assert repr(units_to_float(np.array([13]), 1)[0].item()) == "1.3"
