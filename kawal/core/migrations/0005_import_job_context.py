from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_used_form_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="context",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
