"""The course menu (seeded from the source article), the trainee categories of the
"两委一队三个人" and the pipeline intervals and targets, loaded from ``party/data``."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load(apps, schema_editor):
    Course = apps.get_model("party", "Course")
    TraineeCategory = apps.get_model("party", "TraineeCategory")
    for row in _rows("courses.csv"):
        Course.objects.update_or_create(
            code=row["code"],
            defaults={
                "title": row["title"],
                "mode": row["mode"],
                "hours": row["hours"],
                "summary": row["summary"],
            },
        )
    for row in _rows("trainee_categories.csv"):
        TraineeCategory.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "order": int(row["order"]), "posts": row["posts"].split()},
        )
    try:
        PartyPolicy = apps.get_model("party", "PartyPolicy")
    except LookupError:
        # Called with today's models (the test fixtures load the catalogues): the settings
        # live in the policy store since 0003, their defaults declared in ``party.policy``.
        return
    for row in _rows("policy.csv"):
        PartyPolicy.objects.update_or_create(
            key=row["key"],
            effective_from=int(row["effective_from"]),
            defaults={"value": int(row["value"])},
        )


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
