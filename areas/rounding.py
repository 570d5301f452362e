"""GB/T 8170-2008 rounding ("四舍六入五成双", round half to even) of exact decimal values.

HJ 663-2013 §6.3 requires hourly, daily and period concentrations to be rounded by GB/T 8170: µg/m³
pollutants to integers, CO (mg/m³) to one decimal. Rounding must act on the *exact decimal* value: the
binary float 0.35 is 0.34999..., and the mean of 0.3 and 0.4 is 0.35 exactly, both of which round to 0.4.

So the statistics work in integers: µg/m³ values as integer µg/m³, CO in tenths of mg/m³ ("units").
A mean of units is the exact rational ``sum / count``; it is rounded by integer division with the
remainder deciding (``round_half_even_div``). All helpers here are vectorised with numpy ``int64``.

Floats coming in (from a database column or a CSV) are read as decimals with at most
``FLOAT_DECIMALS`` (6) decimal places: ``x`` becomes the integer ``rint(x * 10**6)`` first, which is the
exact decimal the float was written as whenever it had at most six decimals (|x| < 9e9 keeps this exact).
No Django import: this is a pure module (see the Makefile's PURE_MODULES). It lives in ``areas``, the ground
every app stands on, so that every figure any app shows is rounded the one way (``round_decimal``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Floats are taken as decimals with at most this many decimal places (see the module docstring).
FLOAT_DECIMALS = 6
_FLOAT_SCALE = 10**FLOAT_DECIMALS
#: Beyond this magnitude ``x * 10**6`` is no longer an exactly representable integer in float64.
_FLOAT_LIMIT = 9e9


def round_half_even_div(numerator: IntArray, denominator: IntArray | int) -> IntArray:
    """Exact ``numerator / denominator`` rounded half to even (GB/T 8170-2008 §3.3), element-wise.

    Both are integers; ``denominator`` must be positive. Example: 7 / 2 = 3.5 -> 4, 5 / 2 = 2.5 -> 2,
    -5 / 2 = -2.5 -> -2.
    """
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    if np.any(den <= 0):
        raise ValueError("round_half_even_div: the denominator must be a positive integer")
    quotient, remainder = np.divmod(num, den)  # floor division: 0 <= remainder < den
    twice = 2 * remainder
    up = (twice > den) | ((twice == den) & (quotient % 2 == 1))
    result: IntArray = (quotient + up.astype(np.int64)).astype(np.int64)
    return result


def round_half_even_int(numerator: int, denominator: int) -> int:
    """Scalar form of ``round_half_even_div`` for Python integers (any size)."""
    if denominator <= 0:
        raise ValueError("round_half_even_int: the denominator must be a positive integer")
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def float_to_units(values: npt.ArrayLike, decimals: int) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Floats as exact decimals, rounded half to even to ``decimals`` places, as integer units.

    Returns ``(units, present)``: ``units[i]`` is the value in units of ``10**-decimals`` (e.g. CO with
    ``decimals=1`` gives tenths of mg/m³), and ``present[i]`` is False where the input was NaN (the unit
    is then 0 and meaningless). Raises ``ValueError`` for infinite values or magnitudes of 9e9 and more.
    """
    if not 0 <= decimals <= FLOAT_DECIMALS:
        raise ValueError(f"float_to_units: decimals must be between 0 and {FLOAT_DECIMALS}, got {decimals}")
    arr = np.asarray(values, dtype=np.float64)
    present = ~np.isnan(arr)
    finite = arr[present]
    if finite.size and (not np.all(np.isfinite(finite)) or np.any(np.abs(finite) >= _FLOAT_LIMIT)):
        raise ValueError("float_to_units: values must be finite and smaller than 9e9 in magnitude")
    micro = np.zeros(arr.shape, dtype=np.int64)
    micro[present] = np.rint(finite * _FLOAT_SCALE).astype(np.int64)
    units = round_half_even_div(micro, 10 ** (FLOAT_DECIMALS - decimals))
    units[~present] = 0
    return units, present


def exact_decimal(value: int | float | str | Decimal | Fraction) -> Fraction:
    """The exact rational value of a number as written: ``0.35`` (float) is 35/100, not 0.34999...

    Floats go through their shortest decimal representation (``repr``), which is the decimal they were
    written as. ``bool`` and non-finite values are rejected.
    """
    if isinstance(value, bool):
        raise TypeError("a concentration cannot be a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        dec = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except ArithmeticError as exc:  # decimal.InvalidOperation
            raise ValueError(f"not a decimal number: {value!r}") from exc
    else:
        dec = value
    if not dec.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return Fraction(dec)


def round_decimal(value: int | float | str | Decimal | Fraction, decimals: int = 0) -> Decimal:
    """GB/T 8170 rounding of one exact decimal to ``decimals`` places: 2.5 -> 2, 3.5 -> 4, 0.35 -> 0.4."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    exact = exact_decimal(value)
    scaled = exact * 10**decimals
    units = round_half_even_int(scaled.numerator, scaled.denominator)
    return Decimal(units).scaleb(-decimals)


def units_to_float(units: IntArray, decimals: int) -> FloatArray:
    """Integer units back to floats that print exactly (``13`` tenths -> ``1.3``)."""
    arr = np.asarray(units, dtype=np.int64)
    if decimals == 0:
        return arr.astype(np.float64)
    # Division (not multiplication by 0.1) gives the float nearest to the decimal: 13 / 10 == 1.3.
    result: FloatArray = arr / float(10**decimals)
    return result
