"""Seed the charts of accounts (data/accounts.csv), the figures' formulas and the article's
end-2020 targets. All three are data: change them here or in the admin, never in code."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

# The chart as first (wrongly) loaded; 0010 re-keys it to the official codes.
DATA = Path(__file__).resolve().parent / "data" / "0002_accounts.csv"

# Accumulation: net credit of owners' equity (3xx) and of the year's result not yet carried
# forward (5xx). Operating income: operating income, contracting and remittance income,
# investment income (经营收入 + 发包及上交收入 + 投资收益).
TERMS = [
    ("accumulation", "3", "net_credit", 1),
    ("accumulation", "5", "net_credit", 1),
    ("operating_income", "501", "credit", 1),
    ("operating_income", "511", "credit", 1),
    ("operating_income", "541", "credit", 1),
]


def load(apps, schema_editor):
    Account = apps.get_model("economy", "Account")
    FigureTerm = apps.get_model("economy", "FigureTerm")
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    current = {}
    for row in rows:
        if row["chart"] == "2023":
            current[row["code"]] = Account.objects.create(
                chart="2023",
                code=row["code"],
                name=row["name"],
                category=row["category"],
                normal_side=row["normal_side"],
            )
    for row in rows:
        if row["chart"] != "2023":
            Account.objects.create(
                chart=row["chart"],
                code=row["code"],
                name=row["name"],
                category=row["category"],
                normal_side=row["normal_side"],
                successor=current[row["successor"]],
            )
    for figure, prefix, measure, sign in TERMS:
        FigureTerm.objects.create(figure=figure, account_prefix=prefix, measure=measure, sign=sign)
    # 0008 moved the targets into the yearly policy store and removed this model; with the
    # current models (tests reload the catalogues through this function) the declared
    # defaults of ``economy.policy`` are these same values.
    try:
        EconomyTarget = apps.get_model("economy", "EconomyTarget")
    except LookupError:
        return
    EconomyTarget.objects.create(
        year=2020,
        min_accumulation=Decimal("200000"),
        min_operating_income=Decimal("50000"),
        strong_accumulation=Decimal("500000"),
        rich_accumulation=Decimal("1000000"),
        strong_villages=100,
        rich_villages=20,
    )


def unload(apps, schema_editor):
    for name in ("EconomyTarget", "FigureTerm"):
        try:
            apps.get_model("economy", name).objects.all().delete()
        except LookupError:  # EconomyTarget, after 0008
            pass
    Account = apps.get_model("economy", "Account")
    Account.objects.exclude(successor=None).delete()
    Account.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
