from django.db import migrations, models

FIELD = models.TextField(
    blank=True,
    help_text="For editors only: never shown on the public pages or in the exports.",
    verbose_name="editors' note",
)


class Migration(migrations.Migration):
    """The single-language `note` was written for editors; it is now named for what it is."""

    dependencies = [("core", "0003_history_and_versions")]

    operations = [
        migrations.RenameField("source", "note", "editor_note"),
        migrations.AlterField("source", "editor_note", FIELD),
        migrations.RenameField("historicalsource", "note", "editor_note"),
        migrations.AlterField("historicalsource", "editor_note", FIELD),
    ]
