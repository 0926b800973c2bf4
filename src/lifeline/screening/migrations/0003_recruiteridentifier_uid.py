import uuid

from django.db import migrations, models


def fill_uids(apps, schema_editor):
    identifiers = apps.get_model("screening", "RecruiterIdentifier")
    for pk in identifiers.objects.values_list("pk", flat=True):
        identifiers.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_lure_place_language_report")]

    operations = [
        migrations.AddField(
            model_name="recruiteridentifier",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recruiteridentifier",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
