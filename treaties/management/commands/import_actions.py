"""Import a depositary's status list, or this site's own CSV export, into the records."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.dates import PartialDate
from treaties.importing import (
    Batch,
    ImportRefused,
    RowError,
    apply_import,
    batch_source,
    plan_import,
)
from treaties.models import Treaty


class Command(BaseCommand):
    help = (
        "Import acts from FILE: this site's actions or participations CSV, a UN Treaty "
        "Collection status table or a UNODA list (UTF-8 or Shift_JIS). A depositary's list "
        "needs --treaty and --source. With --dry-run nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or tab-separated file")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--treaty", help="treaty slug, for a depositary's list (e.g. tpnw)")
        parser.add_argument(
            "--source",
            help="the batch's source: the slug of a recorded source, or the page's URL "
            "(a new source is recorded for a URL not yet known; give --source-title)",
        )
        parser.add_argument("--source-title", default="", help="title of a new source")
        parser.add_argument("--locator", default="", help="where in the source, for every row")
        parser.add_argument(
            "--depositary",
            default="",
            help="who keeps the list, for its rows (a UN Treaty Collection table: the UN "
            "Secretary-General; a depositary government's list: e.g. Washington)",
        )
        parser.add_argument(
            "--as-of", default="", help="the date the source states its list for (2026-11-01)"
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file lists every state's acts: record the treaty as complete as of --as-of",
        )
        parser.add_argument("--user", help="the editor to record as the importer (username)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the report (default: the site's, LANGUAGE_CODE)",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"] or translation.get_language()):
            return self.run(options)

    def run(self, options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        batch = self.batch(options)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        if options["dry_run"]:
            plan = plan_import(data, filename=path.name, batch=batch)
            self.report(plan)
            if not plan.ok:
                raise CommandError(
                    _("%(file)s would be refused (%(count)d errors).")
                    % {"file": path.name, "count": len(plan.errors)}
                )
            self.stdout.write(_("Dry run: nothing was written."))
            return
        try:
            plan, record = apply_import(
                data, filename=path.name, batch=batch, user=user, complete=options["complete"]
            )
        except ImportRefused as refused:
            self.report(refused.plan)
            raise CommandError(
                _("%(file)s was refused (%(count)d errors); nothing was written.")
                % {"file": path.name, "count": len(refused.plan.errors)}
            ) from None
        self.report(plan)
        if record is None:
            self.stdout.write(_("Nothing to change: the records already hold this file."))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Imported as batch %(batch)s.") % {"batch": record})
            )

    def batch(self, options):
        batch = Batch(locator=options["locator"], depositary=options["depositary"])
        if options["treaty"]:
            batch.treaty = Treaty.objects.filter(slug=options["treaty"]).first()
            if batch.treaty is None:
                raise CommandError(f"no treaty with slug {options['treaty']!r}")
        if options["as_of"]:
            try:
                batch.as_of = PartialDate.parse(options["as_of"])
            except ValueError as error:
                raise CommandError(f"--as-of: {error}") from None
        if options["source"]:
            try:
                batch.source = batch_source(
                    options["source"], title=options["source_title"], as_of=batch.as_of
                )
            except ValueError as error:
                raise CommandError(f"--source: {error}") from None
        if options["complete"] and (batch.as_of is None or batch.source is None):
            raise CommandError("--complete needs --source and --as-of")
        return batch

    def report(self, plan):
        write = self.stdout.write
        if plan.format:
            write(f"{plan.filename}: {plan.format_label}")
        write(plan.summary())
        for planned in plan.additions:
            write(f"  + {RowError(planned.line, planned.describe())}")
        for planned in plan.changes:
            changes = "; ".join(
                f"{name} {old} → {new}" for name, (old, new) in planned.changes.items()
            )
            write(f"  ~ {RowError(planned.line, planned.describe())}: {changes}")
        for error in plan.errors:
            self.stderr.write(f"  ! {error}")
