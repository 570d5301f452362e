"""The tables of Area and CountyOfficial take the names of their new app, areas (step 1 of the move: areas.0001).

A rename keeps every row, and every foreign key pointing at the tables follows it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("targets", "0002_progress_scores"),
    ]

    operations = [
        migrations.AlterModelTable(name="area", table="areas_area"),
        migrations.AlterModelTable(name="countyofficial", table="areas_countyofficial"),
    ]
