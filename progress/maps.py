"""Colours of the city map: each assessment unit coloured by the figure shown. Pure: no Django.

A numeric figure is cut into five equal classes between the smallest and the largest value shown (so that
the map tells the units apart whatever the year); the darkest class is the worst, whichever way the
figure runs. Attainment has three colours: attained, not attained, not enough data to say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

# ColorBrewer YlOrRd, 5 classes: light = better, dark = worse.
CLASS_COLOURS: Final = ("#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026")
NO_VALUE_COLOUR: Final = "#E5E7EB"
ATTAINMENT_COLOURS: Final = {"attained": "#86EFAC", "not_attained": "#F87171", "not_enough_data": NO_VALUE_COLOUR}


@dataclass(frozen=True)
class ColourClass:
    colour: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class MapColours:
    colours: dict[str, str]
    """Area code -> fill colour (``NO_VALUE_COLOUR`` without a value)."""
    classes: list[ColourClass]
    """From the best class to the worst (empty when no unit has a value)."""


def figure_colours(values: Mapping[str, Decimal | None], *, higher_is_worse: bool) -> MapColours:
    """Five equal classes from the smallest to the largest value (a value on a boundary is in the class
    below it); all values equal: one class."""
    present = {code: value for code, value in values.items() if value is not None}
    colours = dict.fromkeys(values, NO_VALUE_COLOUR)
    if not present:
        return MapColours(colours=colours, classes=[])
    low, high = min(present.values()), max(present.values())
    count = len(CLASS_COLOURS)
    if low == high:
        # One value for everyone: the middle colour, neither good nor bad relative to the others.
        middle = CLASS_COLOURS[count // 2]
        colours.update(dict.fromkeys(present, middle))
        return MapColours(colours=colours, classes=[ColourClass(middle, low, high)])
    step = (high - low) / count
    bounds = [low + step * i for i in range(count + 1)]
    bounds[-1] = high
    for code, value in present.items():
        index = next(i for i in range(count) if value <= bounds[i + 1])
        colours[code] = CLASS_COLOURS[count - 1 - index if not higher_is_worse else index]
    classes = [
        ColourClass(CLASS_COLOURS[count - 1 - i if not higher_is_worse else i], bounds[i], bounds[i + 1])
        for i in range(count)
    ]
    if not higher_is_worse:
        classes.reverse()
    return MapColours(colours=colours, classes=classes)


def attainment_colours(verdicts: Mapping[str, str]) -> dict[str, str]:
    """Area code -> colour of its verdict (``monitoring.standards.Verdict`` values)."""
    return {code: ATTAINMENT_COLOURS.get(verdict, NO_VALUE_COLOUR) for code, verdict in verdicts.items()}


def ring_path(rings: Sequence[Sequence[Sequence[float]]]) -> tuple[list[float | None], list[float | None]]:
    """The outer rings of a MultiPolygon's polygons as one path of x (longitude) and y (latitude), rings
    separated by None, for one filled scatter trace."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [point[0] for point in ring]
        ys += [point[1] for point in ring]
    return xs, ys
