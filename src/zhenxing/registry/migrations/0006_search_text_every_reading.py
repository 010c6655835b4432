"""Recompute the persons' (and the regions') search keys with every reading of polyphonic
characters and surnames read as surnames (``core.text.search_text``): 张长春 is found by ``zcc``
and ``zhangchangchun`` as well as ``zzc``. Derived data, recomputed in batches with the current
function; the reverse keeps the new keys (they are a superset of the old ones)."""

from django.db import migrations

from zhenxing.core.text import search_text

BATCH = 5000


def _recompute(model) -> None:
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.search_text = search_text(row.name)
        model.objects.bulk_update(rows, ["search_text"], batch_size=BATCH)
        last = rows[-1].pk


def forwards(apps, schema_editor) -> None:
    _recompute(apps.get_model("registry", "Person"))
    _recompute(apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_county_code_in_memberships_and_unique_constraints"),
        ("regions", "0002_alter_region_search_text"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
