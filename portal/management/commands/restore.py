from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from portal.backup import describe_database, restore_archive


class Command(BaseCommand):
    help = (
        "Load an archive written by `manage.py backup` into the database DATABASE_URL names, "
        "which must hold no content yet (it is migrated first if needed). All or nothing, "
        "tables included: on PostgreSQL the migration and the load run in one transaction; a "
        "SQLite database is built in a new file beside the target and moved in place once "
        "every row count matches the archive. On any error the target is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive, e.g. backups/treaty-tracker-….json.gz")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args, **options):
        using = options["database"]
        verbosity = options["verbosity"]
        target = describe_database(using)
        rows, links, migrated = restore_archive(
            options["file"], using=using, verbosity=verbosity, stdout=self.stdout
        )
        if migrated and verbosity:
            self.stdout.write(f"Migrated {target}.")
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {sum(rows.values())} rows of {sum(1 for n in rows.values() if n)} "
                    f"tables and {sum(links.values())} many-to-many links into {target}; "
                    "every count matches the archive."
                )
            )
        if verbosity >= 2:
            for label, count in sorted(rows.items()):
                if count:
                    self.stdout.write(f"  {label}: {count}")
