"""Party building's settings move into the yearly policy store (``core.policy``): each
``PartyPolicy`` row becomes the ``PolicyValue`` of ``party.<key>`` from its year, then the model
is removed (issue 12, item 7). Readers use ``party.policy``'s settings."""

from django.db import migrations

PREFIX = "party."
NOTE = "PartyPolicy"


def forwards(apps, schema_editor):
    PartyPolicy = apps.get_model("party", "PartyPolicy")
    PolicyValue = apps.get_model("policy", "PolicyValue")
    for row in PartyPolicy.objects.order_by("key", "effective_from"):
        PolicyValue.objects.update_or_create(
            key=PREFIX + row.key,
            effective_from=row.effective_from,
            defaults={"value": row.value, "note": NOTE},
        )


def backwards(apps, schema_editor):
    PartyPolicy = apps.get_model("party", "PartyPolicy")
    PolicyValue = apps.get_model("policy", "PolicyValue")
    rows = PolicyValue.objects.filter(key__startswith=PREFIX)
    for row in rows:
        PartyPolicy.objects.update_or_create(
            key=row.key.removeprefix(PREFIX),
            effective_from=row.effective_from,
            defaults={"value": int(row.value)},
        )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0002_catalogues"),
        ("policy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="PartyPolicy"),
    ]
