from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from core.history import record_current_state, saved_rows
from core.registry import site


class Command(BaseCommand):
    help = "Load the seed data built from the source documents (safe to run again)."

    def handle(self, *args, **options):
        fixture_dir = settings.FIXTURE_DIRS[0]
        parts = site.parts()
        # One fixture file per app, in the order the apps are installed (lowest first).
        files = [
            str(fixture_dir / part.seed_fixture)
            for part in parts
            if part.seed_fixture and (fixture_dir / part.seed_fixture).exists()
        ]
        verbosity = options["verbosity"]
        # Everything after the load touches the rows the seed saved and no others, so its
        # time and memory follow the seed's size, not the database's.
        with transaction.atomic(), saved_rows() as saved:
            # History is written below, once, as "seed data": django-simple-history would
            # otherwise record a nameless version for every many-to-many field loaddata sets.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", *files, verbosity=max(verbosity - 1, 0))
            # loaddata saves raw rows; derived values are brought up to date here.
            for part in parts:
                if part.after_seed_fixtures is not None:
                    part.after_seed_fixtures(saved)
            # Apps may load more through their own path (the treaties' import files).
            for part in parts:
                if part.load_seed_imports is not None:
                    for name, summary in part.load_seed_imports(fixture_dir, verbosity=verbosity):
                        if verbosity > 1:
                            self.stdout.write(f"{name}: {summary}")
            # Give every seed row a first version, so later edits can be undone to it.
            record_current_state(only=saved)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Loaded seed data from {len(files)} files."))
