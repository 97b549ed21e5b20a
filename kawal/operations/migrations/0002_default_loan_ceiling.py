import datetime

from django.db import migrations


def seed(apps, schema_editor):
    LoanCeiling = apps.get_model("operations", "LoanCeiling")
    LoanCeiling.objects.get_or_create(
        valid_from=datetime.date(2025, 1, 1),
        defaults={"amount": 3_000_000_000, "basis": "PMK 49/2025"},
    )


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
