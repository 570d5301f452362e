"""Charts for the Word and PDF documents, drawn as PNG images with matplotlib (no Django).

The pages draw their charts in the browser with plotly.js; a document needs a picture it can carry. The
picture holds no words, only numbers and years (DejaVu Sans, which matplotlib ships), so it renders the same
on any machine without a Chinese font: its title, units and legend meaning are the caption the document
writes beside it in the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory

import matplotlib.pyplot as plt

THIS_YEAR_COLOUR = "#2563EB"
LAST_YEAR_COLOUR = "#9CA3AF"


def monthly_bars_png(
    *,
    months: Sequence[int],
    this_year: Sequence[float | None],
    last_year: Sequence[float | None],
    this_label: str,
    last_label: str,
) -> bytes:
    """Grouped bars, month by month: this year beside the same month last year; a missing value is no bar."""
    figure, axes = plt.subplots(figsize=(6.4, 2.6), dpi=150)
    try:
        width = 0.38
        positions = list(range(len(months)))
        axes.bar(
            [p - width / 2 for p in positions],
            [float("nan") if v is None else v for v in last_year],
            width,
            label=last_label,
            color=LAST_YEAR_COLOUR,
        )
        axes.bar(
            [p + width / 2 for p in positions],
            [float("nan") if v is None else v for v in this_year],
            width,
            label=this_label,
            color=THIS_YEAR_COLOUR,
        )
        axes.set_xticks(positions, [str(m) for m in months])
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", linewidth=0.5, alpha=0.5)
        axes.set_axisbelow(True)
        axes.legend(frameon=False, fontsize=8, ncols=2, loc="upper center", bbox_to_anchor=(0.5, 1.18))
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(figure)
