from django.db import migrations

from core.editors import editor_permissions_operation

MODELS = ["organization", "person", "studygroup", "membership", "session", "sessionitem"]


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [editor_permissions_operation("people", MODELS)]
