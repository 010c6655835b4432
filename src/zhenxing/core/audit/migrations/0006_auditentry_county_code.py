"""Audit entries carry the county code, the distribution key (docs/scaling.md).

The table is append-only, and database triggers refuse UPDATE (0002). Filling the new column
in for existing rows is the one update this table ever gets: the triggers are dropped, the
column is added and filled from ``region_code`` in one statement, and the triggers are put
back, all inside this migration's transaction, so no other writer sees the table unprotected.
On SQLite adding a NOT NULL column rebuilds the table, which loses its triggers anyway.
"""

import importlib

from django.db import migrations, models

TRIGGERS = importlib.import_module("zhenxing.core.audit.migrations.0002_immutable_triggers")
TABLE = TRIGGERS.TABLE


def drop_triggers(apps, schema_editor):
    TRIGGERS.backwards(apps, schema_editor)


def restore_triggers(apps, schema_editor):
    TRIGGERS.forwards(apps, schema_editor)


def fill_county_codes(apps, schema_editor):
    schema_editor.execute(f"UPDATE {TABLE} SET county_code = substr(region_code, 1, 6)")


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("audit", "0005_bulk_create_action")]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="county_code",
            field=models.CharField(default="", max_length=6, verbose_name="county code"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_county_codes, migrations.RunPython.noop),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
