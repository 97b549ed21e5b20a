"""AuditEvent keeps its region as a code plus copied ancestor codes instead of a foreign key to
regions.Region (core sits below the regions app). Existing rows keep their region."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Length, Substr


def copy_region_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    with_region = AuditEvent.objects.filter(region__isnull=False)
    with_region.update(region_code=F("region_id"), province_code=Substr("region_id", 1, 2))
    lengths = with_region.annotate(n=Length("region_id"))
    lengths.filter(n__gte=5).update(regency_code=Substr("region_id", 1, 5))
    lengths.filter(n__gte=8).update(district_code=Substr("region_id", 1, 8))


def restore_region_links(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.filter(region_code__isnull=False).update(region_id=F("region_code"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="region_code",
            field=models.CharField(blank=True, max_length=13, null=True, verbose_name="region"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="province_code",
            field=models.CharField(blank=True, default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="regency_code",
            field=models.CharField(blank=True, default="", max_length=5),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="district_code",
            field=models.CharField(blank=True, default="", max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(copy_region_codes, restore_region_links),
        migrations.RemoveField(model_name="auditevent", name="region"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["region_code", "-created_at"], name="audit_region_recent"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["district_code", "-created_at"], name="audit_district_recent"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["regency_code", "-created_at"], name="audit_regency_recent"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["province_code", "-created_at"], name="audit_province_recent"
            ),
        ),
    ]
