from django.db import migrations

from core.editors import grant_editor_permissions, revoke_editor_permissions

MODELS = ["organization", "person", "studygroup", "membership", "session", "sessionitem"]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, "people", MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, "people", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
