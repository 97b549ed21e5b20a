from django.db import migrations


def seed(apps, schema_editor):
    from kawal.potential.standard import load_standard_list

    load_standard_list(apps.get_model("potential", "Sector"), apps.get_model("potential", "CommodityType"))


class Migration(migrations.Migration):
    dependencies = [("potential", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
