"""Region polygons move from Region.boundary to their own table, RegionBoundary (region code →
GeoJSON geometry), so that the rows every list joins stay small. Existing polygons are kept."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 200


def move_boundaries(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    RegionBoundary = apps.get_model("regions", "RegionBoundary")
    rows = Region.objects.filter(old_boundary__isnull=False).values_list("code", "old_boundary")
    batch = []
    for code, geometry in rows.iterator(chunk_size=BATCH):
        batch.append(RegionBoundary(region_id=code, geometry=geometry))
        if len(batch) >= BATCH:
            RegionBoundary.objects.bulk_create(batch)
            batch = []
    RegionBoundary.objects.bulk_create(batch)


def restore_boundaries(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    RegionBoundary = apps.get_model("regions", "RegionBoundary")
    for boundary in RegionBoundary.objects.iterator(chunk_size=BATCH):
        Region.objects.filter(code=boundary.region_id).update(old_boundary=boundary.geometry)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        # Renamed first, so that the new table's reverse accessor ("boundary") is free.
        migrations.RenameField(model_name="region", old_name="boundary", new_name="old_boundary"),
        migrations.CreateModel(
            name="RegionBoundary",
            fields=[
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="boundary",
                        serialize=False,
                        to="regions.region",
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="boundary (GeoJSON geometry)")),
            ],
            options={
                "verbose_name": "region boundary",
                "verbose_name_plural": "region boundaries",
            },
        ),
        migrations.RunPython(move_boundaries, restore_boundaries),
        migrations.RemoveField(model_name="region", name="old_boundary"),
    ]
