from django.db import migrations, models

FIELD = models.TextField(
    blank=True,
    help_text="For editors only: never shown on the public pages or in the exports.",
    verbose_name="editors' note",
)


class Migration(migrations.Migration):
    """The single-language `note` was written for editors; it is now named for what it is."""

    dependencies = [("treaties", "0007_country_name_ja_reading")]

    operations = [
        migrations.RenameField("country", "note", "editor_note"),
        migrations.AlterField("country", "editor_note", FIELD),
        migrations.RenameField("historicalcountry", "note", "editor_note"),
        migrations.AlterField("historicalcountry", "editor_note", FIELD),
        migrations.AlterField(
            "treaty",
            "key_dates_note",
            models.TextField(
                blank=True,
                help_text=(
                    "Where each key date comes from, for editors only: never shown on the "
                    "public pages."
                ),
                verbose_name="key dates: editors' note",
            ),
        ),
        migrations.AlterField(
            "historicaltreaty",
            "key_dates_note",
            models.TextField(
                blank=True,
                help_text=(
                    "Where each key date comes from, for editors only: never shown on the "
                    "public pages."
                ),
                verbose_name="key dates: editors' note",
            ),
        ),
    ]
