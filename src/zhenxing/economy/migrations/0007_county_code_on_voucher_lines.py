"""Vouchers and their lines carry the county code, and every unique constraint on them
includes it, so both tables can be distributed by county (issue 12, item 10)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def backfill(apps, schema_editor):
    Voucher = apps.get_model("economy", "Voucher")
    VoucherLine = apps.get_model("economy", "VoucherLine")
    CollectiveOrganization = apps.get_model("economy", "CollectiveOrganization")
    Voucher.objects.filter(county_code="").update(
        county_code=Subquery(
            CollectiveOrganization.objects.filter(pk=OuterRef("organization_id")).values(
                "county_code"
            )[:1]
        )
    )
    VoucherLine.objects.update(
        county_code=Subquery(
            Voucher.objects.filter(pk=OuterRef("voucher_id")).values("county_code")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("economy", "0006_voucher_attachments")]

    operations = [
        migrations.AddField(
            model_name="voucherline",
            name="county_code",
            field=models.CharField(default="", editable=False, max_length=6),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="voucher", name="voucher_number"),
        migrations.AddConstraint(
            model_name="voucher",
            constraint=models.UniqueConstraint(
                fields=("county_code", "organization", "year", "month", "number"),
                name="voucher_number",
            ),
        ),
        migrations.AlterField(
            model_name="voucher",
            name="reverses",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversed_by",
                to="economy.voucher",
                verbose_name="reverses voucher",
            ),
        ),
        migrations.AddConstraint(
            model_name="voucher",
            constraint=models.UniqueConstraint(
                condition=Q(reverses__isnull=False),
                fields=("county_code", "reverses"),
                name="voucher_reversed_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="voucherline",
            constraint=models.UniqueConstraint(
                fields=("county_code", "voucher", "line_no"), name="voucher_line_number"
            ),
        ),
    ]
