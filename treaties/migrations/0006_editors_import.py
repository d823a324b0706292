from django.db import migrations

from core.editors import editor_permissions_operation


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0005_import_batches_and_complete_records"),
    ]

    operations = [editor_permissions_operation("treaties", ["importbatch"], ("add", "view"))]
