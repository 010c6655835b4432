"""The county code (the Citus distribution key) on household memberships, filled in from their
households, and in every unique constraint of the registry's large tables."""

from django.db import migrations, models

BACKFILL = """
UPDATE registry_householdmembership SET county_code = (
    SELECT h.county_code FROM registry_household h
    WHERE h.id = registry_householdmembership.household_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_household_county_index_once"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="householdmembership", name="one_open_membership_per_person"
        ),
        migrations.RemoveConstraint(model_name="person", name="person_unique_id_number"),
        migrations.AddField(
            model_name="householdmembership",
            name="county_code",
            field=models.CharField(default="", editable=False, max_length=6),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="household",
            name="number",
            field=models.CharField(max_length=32, verbose_name="household number"),
        ),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(
                fields=("number", "county_code"), name="household_unique_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="householdmembership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True)),
                fields=("person", "county_code"),
                name="one_open_membership_per_person",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("id_number_hash", "county_code"), name="person_unique_id_number"
            ),
        ),
    ]
