from django.db import migrations

from core.editors import grant_editor_permissions, revoke_editor_permissions

MODELS = ["source"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, "core", MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, "core", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
