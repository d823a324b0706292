from django.db import migrations

from core.editors import editor_permissions_operation

MODELS = ["source"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [editor_permissions_operation("core", MODELS)]
