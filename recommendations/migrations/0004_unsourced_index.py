from django.db import migrations, models


class Migration(migrations.Migration):
    """The review's recommendations without a source, read without a table scan."""

    dependencies = [("recommendations", "0003_history_and_versions")]

    operations = [
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(
                condition=models.Q(("source__isnull", True)),
                fields=["id"],
                name="recommendation_unsourced",
            ),
        ),
    ]
