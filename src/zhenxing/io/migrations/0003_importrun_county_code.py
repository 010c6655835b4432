"""The importer's county code on each import run (the Citus distribution key), filled in from
the run's region."""

from django.db import migrations, models

BACKFILL = """
UPDATE io_importrun SET county_code = COALESCE((
    SELECT substr(r.code, 1, 6) FROM regions_region r
    WHERE r.id = io_importrun.region_id AND length(r.code) >= 6
), '')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("io", "0002_importrun_language_importrun_started_at_and_more"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="county_code",
            field=models.CharField(default="", editable=False, max_length=6),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=False),
    ]
