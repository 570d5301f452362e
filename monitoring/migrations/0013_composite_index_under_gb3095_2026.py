"""Months and years ending on or after 2026-03-01 take the composite index of GB 3095-2026 phase one.

The index is a function of the stored (reported) figures, so it is recomputed here from them, exactly:
Σ units·weight / 3360, CO in tenths, rounded half to even to two decimals (aqi-rules §5, §7). The weights
are frozen here as they are in the standards today (a migration never imports code that may change).
Reversible: the reverse recomputes the GB 3095-2012 index, which is what was stored before.
"""

from datetime import date

from django.db import migrations

SWITCH = date(2026, 3, 1)
PHASE_TWO = date(2031, 1, 1)
DENOMINATOR = 3360
# (so2/60, no2/40, pm10/70, pm25/limit, co tenths/40, o3/160) over 3360.
WEIGHTS = {
    "GB3095-2012": {"so2": 56, "no2": 84, "pm10": 48, "pm25": 96, "co_p95": 84, "o3_8h_p90": 21},
    "GB3095-2026-I": {"so2": 56, "no2": 84, "pm10": 48, "pm25": 112, "co_p95": 84, "o3_8h_p90": 21},
}


def _units(row, name):
    value = getattr(row, name)
    return int(round(value * 10)) if name == "co_p95" else int(value)


def _index(row, code):
    weights = WEIGHTS[code]
    if any(getattr(row, name) is None for name in weights):
        return None
    numerator = sum(_units(row, name) * weight for name, weight in weights.items()) * 100
    quotient, remainder = divmod(numerator, DENOMINATOR)
    if 2 * remainder > DENOMINATOR or (2 * remainder == DENOMINATOR and quotient % 2 == 1):
        quotient += 1
    return quotient / 100


def _restate(apps, code):
    for name in ("AreaPeriod", "StationPeriod"):
        model = apps.get_model("monitoring", name)
        rows = list(model.objects.filter(end__gte=SWITCH, end__lt=PHASE_TWO))
        for row in rows:
            row.composite_limits = code
            row.composite_index = _index(row, code)
        model.objects.bulk_update(rows, ["composite_limits", "composite_index"], batch_size=500)


def forward(apps, schema_editor):
    _restate(apps, "GB3095-2026-I")


def backward(apps, schema_editor):
    _restate(apps, "GB3095-2012")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0012_composite_index_limits")]

    operations = [migrations.RunPython(forward, backward)]
