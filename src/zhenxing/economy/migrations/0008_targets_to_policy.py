"""The collective economy's targets move into the yearly policy store (``core.policy``): each
``EconomyTarget`` row becomes one ``PolicyValue`` per target from its year, then the model is
removed (issue 12, item 7). Readers use ``economy.policy``'s settings."""

from django.db import migrations

#: EconomyTarget's fields → the policy keys ``economy.policy`` declares.
KEYS = {
    "min_accumulation": "economy.min_accumulation",
    "min_operating_income": "economy.min_operating_income",
    "strong_accumulation": "economy.strong_accumulation",
    "rich_accumulation": "economy.rich_accumulation",
    "strong_villages": "economy.strong_villages",
    "rich_villages": "economy.rich_villages",
}
NOTE = "EconomyTarget"


def forwards(apps, schema_editor):
    EconomyTarget = apps.get_model("economy", "EconomyTarget")
    PolicyValue = apps.get_model("policy", "PolicyValue")
    for target in EconomyTarget.objects.order_by("year"):
        for field, key in KEYS.items():
            PolicyValue.objects.update_or_create(
                key=key,
                effective_from=target.year,
                defaults={"value": getattr(target, field), "note": NOTE},
            )


def backwards(apps, schema_editor):
    EconomyTarget = apps.get_model("economy", "EconomyTarget")
    PolicyValue = apps.get_model("policy", "PolicyValue")
    rows = PolicyValue.objects.filter(key__in=KEYS.values())
    by_year: dict = {}
    for row in rows:
        by_year.setdefault(row.effective_from, {})[row.key] = row.value
    for year, values in sorted(by_year.items()):
        if set(values) != set(KEYS.values()):
            continue  # a year that changed only some targets has no row of its own
        EconomyTarget.objects.create(
            year=year,
            **{
                field: int(values[key]) if field.endswith("villages") else values[key]
                for field, key in KEYS.items()
            },
        )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0007_county_code_on_voucher_lines"),
        ("policy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="EconomyTarget"),
    ]
