from django.db import migrations

from core.editors import grant_editor_permissions, revoke_editor_permissions

MODELS = ["recommendation", "footnote", "recommendationupdate"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, "recommendations", MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, "recommendations", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
