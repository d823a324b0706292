from django.db import migrations

from core.editors import grant_editor_permissions, revoke_editor_permissions

MODELS = [
    "treaty",
    "country",
    "participation",
    "treatyaction",
    "reportedfigure",
    "treatyevent",
]


def grant(apps, schema_editor):
    grant_editor_permissions(apps, "treaties", MODELS)


def revoke(apps, schema_editor):
    revoke_editor_permissions(apps, "treaties", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
