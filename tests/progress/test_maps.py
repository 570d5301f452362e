"""The map's colours (progress.maps): five equal classes from the best value to the worst."""

from __future__ import annotations

from decimal import Decimal

from progress.maps import CLASS_COLOURS, NO_VALUE_COLOUR, attainment_colours, figure_colours, ring_path

LIGHTEST, DARKEST = CLASS_COLOURS[0], CLASS_COLOURS[-1]


def test_five_equal_classes_from_the_lowest_to_the_highest_value_when_higher_is_worse() -> None:
    values = {"a": Decimal(40), "b": Decimal(42), "c": Decimal(44), "d": Decimal(50), "e": Decimal(60), "f": None}
    result = figure_colours(values, higher_is_worse=True)
    # Classes of width 4: 40-44, 44-48, 48-52, 52-56, 56-60; a value on a boundary is in the class below.
    assert result.colours == {
        "a": CLASS_COLOURS[0],
        "b": CLASS_COLOURS[0],
        "c": CLASS_COLOURS[0],
        "d": CLASS_COLOURS[2],
        "e": CLASS_COLOURS[4],
        "f": NO_VALUE_COLOUR,
    }
    assert [(c.colour, c.low, c.high) for c in result.classes] == [
        (CLASS_COLOURS[i], Decimal(40 + 4 * i), Decimal(44 + 4 * i)) for i in range(5)
    ]


def test_when_higher_is_better_the_lowest_value_is_darkest_and_the_legend_still_runs_best_first() -> None:
    result = figure_colours({"a": Decimal("60.0"), "b": Decimal("85.0"), "c": Decimal("72.5")}, higher_is_worse=False)
    assert (result.colours["a"], result.colours["b"], result.colours["c"]) == (DARKEST, LIGHTEST, CLASS_COLOURS[2])
    assert [c.colour for c in result.classes] == list(CLASS_COLOURS)
    assert (result.classes[0].low, result.classes[0].high) == (Decimal("80.0"), Decimal("85.0"))


def test_equal_values_share_the_middle_colour_and_no_values_give_no_classes() -> None:
    same = figure_colours({"a": Decimal(5), "b": Decimal(5)}, higher_is_worse=True)
    assert set(same.colours.values()) == {CLASS_COLOURS[2]}
    assert len(same.classes) == 1
    empty = figure_colours({"a": None}, higher_is_worse=True)
    assert (empty.colours, empty.classes) == ({"a": NO_VALUE_COLOUR}, [])


def test_attainment_has_a_colour_per_verdict_and_rings_are_one_path() -> None:
    colours = attainment_colours({"a": "attained", "b": "not_attained", "c": "not_enough_data"})
    assert colours["c"] == NO_VALUE_COLOUR
    assert len(set(colours.values())) == 3
    assert ring_path([[[1, 2], [3, 4]], [[5, 6]]]) == ([1, 3, None, 5], [2, 4, None, 6])


def test_the_map_colours_each_figure_the_way_the_figure_table_says_it_runs() -> None:
    from progress.area_map import MAP_FIGURES
    from progress.scoring import FIGURE_BY_CODE

    assert [FIGURE_BY_CODE[code].lower_is_better for code in MAP_FIGURES] == [True, True, False]
    assert [FIGURE_BY_CODE[code].unit for code in MAP_FIGURES] == ["", "µg/m³", "%"]
