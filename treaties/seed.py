"""The public record beyond the two seed documents, loaded through the importer.

`fixtures/imports/` holds the import files built from public records (the depositaries'
status lists, the UN Treaty Collection, UNODA, the CTBTO, ICAN …) and `manifest.json`,
which lists them in the order they load. Each entry is a file in one of the importer's
formats; a depositary's list names its treaty, source, locator and as-of date there, as an
editor would give them on the import page. The sources every row cites, and the figures
and events of the record since 2021, are ordinary fixtures beside them. Loading runs the
same importer as the admin and `manage.py import_actions`, so it is proved on real data.
"""

import json
from pathlib import Path

from django.core.management import call_command
from django.test.utils import override_settings

from core.dates import PartialDate

from .importing import Batch, ImportRefused, apply_import, batch_source
from .models import Treaty

IMPORTS = "imports"
MANIFEST = "manifest.json"
# Loaded before the import files, in this order.
FIXTURES = ("sources.json", "countries.json", "record.json")


class SeedImportError(Exception):
    pass


def load_imports(fixture_dir: Path, *, verbosity: int = 0) -> list[tuple[str, str]]:
    """Load the import fixtures and run every file of the manifest; [(file, summary)]."""
    folder = Path(fixture_dir) / IMPORTS
    manifest = folder / MANIFEST
    if not manifest.exists():
        return []
    fixtures = [str(folder / name) for name in FIXTURES if (folder / name).exists()]
    if fixtures:
        call_command("loaddata", *fixtures, verbosity=max(verbosity - 1, 0))
    results = []
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        path = folder / entry["file"]
        batch = Batch(locator=entry.get("locator", ""))
        if entry.get("treaty"):
            batch.treaty = Treaty.objects.get(slug=entry["treaty"])
        if entry.get("as_of"):
            batch.as_of = PartialDate.parse(entry["as_of"])
        if entry.get("source"):
            batch.source = batch_source(entry["source"])
        try:
            # Seed rows get their first version together, as "seed data", from load_seed
            # (an editor's import, by contrast, writes a version naming the batch).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                plan, _record = apply_import(
                    path.read_bytes(),
                    filename=path.name,
                    batch=batch,
                    complete=entry.get("complete", False),
                )
        except ImportRefused as refused:
            errors = "\n".join(str(error) for error in refused.plan.errors)
            raise SeedImportError(f"{path.name} was refused:\n{errors}") from None
        results.append((path.name, plan.summary()))
    return results
