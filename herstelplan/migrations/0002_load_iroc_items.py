"""Load the I.ROC indicator and answer wording from ``fixtures/iroc_items.json``.

The wording is data: an administrator can replace it (admin, or ``loaddata`` with a licensed
version of the same file). Existing rows are left alone, so re-running never overwrites it.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "iroc_items.json"


def load(apps, schema_editor):
    models = {
        "herstelplan.irocindicator": apps.get_model("herstelplan", "IrocIndicator"),
        "herstelplan.irocanswerlabel": apps.get_model("herstelplan", "IrocAnswerLabel"),
    }
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        models[row["model"]].objects.get_or_create(pk=row["pk"], defaults=row["fields"])


class Migration(migrations.Migration):
    dependencies = [("herstelplan", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
