from django.db import migrations

from core.editors import editor_permissions_operation

MODELS = ["recommendation", "footnote", "recommendationupdate"]


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("core", "0002_editors_group"),
    ]

    operations = [editor_permissions_operation("recommendations", MODELS)]
