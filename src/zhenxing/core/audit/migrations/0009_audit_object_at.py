"""An object's history index gains (at, id): with the county now named in the scope (0008),
the county's page index served "this object's entries, newest first" by walking the whole
county's log backwards (seconds on a household page); leading with the object's columns and
ending with the order, this index serves it in a few rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_audit_county_at")]

    operations = [
        migrations.RemoveIndex(model_name="auditentry", name="audit_object"),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["content_type", "object_id", "at", "id"], name="audit_object_at"
            ),
        ),
    ]
