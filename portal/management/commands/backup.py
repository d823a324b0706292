from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from portal.backup import archive_name, default_backup_dir, describe_database, write_archive


class Command(BaseCommand):
    help = (
        "Write a complete archive of the database (every app, history tables, users and "
        "groups, the change log and the admin log) to backups/treaty-tracker-<UTC time>"
        ".json.gz, or to --output. `manage.py restore` loads it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="PATH",
            help="Where to write the archive (a .json.gz file); default: a timestamped "
            "file in backups/.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args, **options):
        using = options["database"]
        path = Path(options["output"]) if options["output"] else None
        if path is None:
            path = default_backup_dir() / archive_name()
        elif not path.name.endswith(".json.gz"):
            raise CommandError(f"{path}: the archive's name must end in .json.gz.")
        counts = write_archive(path, using=using)
        if options["verbosity"] >= 1:
            self.stderr.write(
                f"Backed up {sum(counts.values())} rows of {len(counts)} tables "
                f"from {describe_database(using)}."
            )
        if options["verbosity"] >= 2:
            for label, count in sorted(counts.items()):
                self.stderr.write(f"  {label}: {count}")
        # The path alone on stdout, for scripts: `FILE=$(manage.py backup)`.
        self.stdout.write(str(path.resolve()))
