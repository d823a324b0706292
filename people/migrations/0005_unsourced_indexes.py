from django.db import migrations, models


class Migration(migrations.Migration):
    """The review's sessions and memberships without a source, read without a table scan."""

    dependencies = [
        ("core", "0004_source_editor_note"),
        ("people", "0004_person_editor_note"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="membership_unsourced",
            ),
        ),
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="session_unsourced",
            ),
        ),
    ]
