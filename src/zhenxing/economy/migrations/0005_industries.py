"""Seed the industry catalogue from the source article: the leading industries it names (it
counts eight and names three: 刺梨, 核桃, 软籽石榴; the city administrator adds the other five)
and the distinctive ones. Data, not code: change it here or through a later migration."""

from django.db import migrations

INDUSTRIES = [
    ("L01", "刺梨", "leading", "吨"),
    ("L02", "核桃", "leading", "吨"),
    ("L03", "软籽石榴", "leading", "吨"),
    ("D01", "精品水果", "distinctive", "吨"),
    ("D02", "中草药", "distinctive", "吨"),
    ("D03", "食用菌", "distinctive", "吨"),
    ("D04", "茶叶", "distinctive", "吨"),
    ("D05", "生态渔业", "distinctive", "吨"),
    ("D06", "乡村旅游", "distinctive", "人次"),
]


def load(apps, schema_editor):
    Industry = apps.get_model("economy", "Industry")
    for code, name, kind, unit in INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "unit": unit})


def unload(apps, schema_editor):
    apps.get_model("economy", "Industry").objects.filter(
        code__in=[c for c, *_ in INDUSTRIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("economy", "0004_linkage_industries_support")]

    operations = [migrations.RunPython(load, unload)]
