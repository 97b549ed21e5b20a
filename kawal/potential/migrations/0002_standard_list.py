from django.db import migrations


def load(apps, schema_editor):
    from kawal.potential.standard import STANDARD_SECTORS

    Sector = apps.get_model("potential", "Sector")
    CommodityType = apps.get_model("potential", "CommodityType")
    for order, (code, name, serving, commodities) in enumerate(STANDARD_SECTORS):
        sector, _ = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "serving_units": serving, "order": order}
        )
        for c_order, (c_name, unit) in enumerate(commodities):
            CommodityType.objects.get_or_create(
                sector=sector, name=c_name, defaults={"default_unit": unit, "order": c_order}
            )


class Migration(migrations.Migration):
    dependencies = [("potential", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
