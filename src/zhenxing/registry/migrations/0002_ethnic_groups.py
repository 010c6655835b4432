"""Seed the catalogue of ethnic groups (GB 3304) from data/ethnic_groups.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "ethnic_groups.csv"


def load(apps, schema_editor):
    Ethnicity = apps.get_model("registry", "Ethnicity")
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        Ethnicity.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "roman": row["roman"]}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
