from django.db import migrations

from core.editors import editor_permissions_operation

MODELS = [
    "treaty",
    "country",
    "participation",
    "treatyaction",
    "reportedfigure",
    "treatyevent",
]


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [editor_permissions_operation("treaties", MODELS)]
