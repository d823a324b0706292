import core.sorting
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes the public lists read in order (treaties, then each treaty's participations;
    the timeline) and the review's facts without a source, so neither sorts nor scans a table."""

    dependencies = [
        ("core", "0004_source_editor_note"),
        ("treaties", "0008_country_editor_note"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="participation_unsourced",
            ),
        ),
        migrations.AddIndex(
            model_name="reportedfigure",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="reportedfigure_unsourced",
            ),
        ),
        migrations.AddIndex(
            model_name="treaty",
            index=models.Index(
                models.F("display_order"),
                core.sorting.CodePointOrder(models.F("slug")),
                name="treaty_list_order",
            ),
        ),
        migrations.AddIndex(
            model_name="treaty",
            index=models.Index(
                condition=models.Q(("source__isnull", True)), fields=["id"], name="treaty_unsourced"
            ),
        ),
        migrations.AddIndex(
            model_name="treatyaction",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="treatyaction_unsourced",
            ),
        ),
        migrations.AddIndex(
            model_name="treatyevent",
            index=models.Index(fields=["date_on", "id"], name="treatyevent_date_order"),
        ),
        migrations.AddIndex(
            model_name="treatyevent",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="treatyevent_unsourced",
            ),
        ),
    ]
