"""The audit log's page index: (county, time, id), which serves the scope and "newest first"
together. It replaces the index on ``at`` alone, dropped by name rather than by AlterField:
on SQLite AlterField rebuilds the table, which would also drop the triggers that keep audit
rows immutable (0002) and copy millions of rows."""

from django.db import migrations, models


def _at_index_name(schema_editor, model):  # the name Django gave ``db_index=True`` on ``at``
    return schema_editor._create_index_name(model._meta.db_table, ["at"], suffix="")


def drop_at_index(apps, schema_editor):
    model = apps.get_model("audit", "AuditEntry")
    schema_editor.execute(f"DROP INDEX IF EXISTS {_at_index_name(schema_editor, model)}")


def create_at_index(apps, schema_editor):
    model = apps.get_model("audit", "AuditEntry")
    name = _at_index_name(schema_editor, model)
    schema_editor.execute(f"CREATE INDEX {name} ON {model._meta.db_table} (at)")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_alter_auditentry_action")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="at",
                    field=models.DateTimeField(auto_now_add=True, verbose_name="time"),
                )
            ],
            database_operations=[migrations.RunPython(drop_at_index, create_at_index)],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["county_code", "at", "id"], name="audit_county_at"),
        ),
    ]
