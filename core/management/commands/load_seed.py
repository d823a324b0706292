from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from core.history import record_current_state

# One fixture file per app, loaded in dependency order.
SEED_ORDER = ["core", "treaties", "people", "recommendations"]


class Command(BaseCommand):
    help = "Load the seed data built from the source documents (safe to run again)."

    def handle(self, *args, **options):
        fixture_dir = settings.FIXTURE_DIRS[0]
        files = [
            str(fixture_dir / f"{label}.json")
            for label in SEED_ORDER
            if apps.is_installed(label) and (fixture_dir / f"{label}.json").exists()
        ]
        verbosity = options["verbosity"]
        with transaction.atomic():
            # History is written below, once, as "seed data": django-simple-history would
            # otherwise record a nameless version for every many-to-many field loaddata sets.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", *files, verbosity=max(verbosity - 1, 0))
            # loaddata saves raw rows; derived values are brought up to date here.
            for model in apps.get_models():
                refresh = getattr(model, "refresh_derived_after_seed", None)
                if refresh is not None:
                    refresh()
            # Apps may load more through their own path (the treaties' import files):
            # each offers a `load_seed_imports` hook on its AppConfig.
            for config in apps.get_app_configs():
                load_imports = getattr(config, "load_seed_imports", None)
                if load_imports is not None:
                    for name, summary in load_imports(fixture_dir, verbosity=verbosity):
                        if verbosity > 1:
                            self.stdout.write(f"{name}: {summary}")
            # Give every seed row a first version, so later edits can be undone to it.
            record_current_state()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Loaded seed data from {len(files)} files."))
