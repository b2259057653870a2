"""The iWmo product categories the teams use. More categories exist; an administrator adds
them (the list is data). Municipal product codes are loaded with the municipalities."""

from django.db import migrations

CATEGORIES = [
    ("02", "Begeleiding"),
    ("07", "Dagbesteding"),
    ("15", "Beschermd wonen"),
]


def load(apps, schema_editor):
    category = apps.get_model("wmo", "ProductCategory")
    for code, name in CATEGORIES:
        category.objects.update_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("wmo", "ProductCategory").objects.filter(
        code__in=[code for code, _ in CATEGORIES], products__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("wmo", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
