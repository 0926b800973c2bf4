from django.db import migrations


def create_head(apps, schema_editor):
    # The head row exists before the first append, so concurrent first appends lock the same
    # row instead of racing to create it.
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
