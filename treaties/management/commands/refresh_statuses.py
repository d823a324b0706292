"""Store the statuses that today's date gives: run it daily (see the README)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from treaties.services import refresh_statuses


class Command(BaseCommand):
    help = (
        "Bring every stored status up to date with the calendar: treaties that entered into "
        "force or expired, participations whose acts took effect. Each change is a version "
        "in the edit history. Safe to run at any time; meant to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", help="derive the statuses for this day instead of today (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(
                    f"--on: {options['on']!r} is not a day like 2026-12-01"
                ) from None
        result = refresh_statuses(on=on)
        for treaty, old, new in result.treaties:
            self.stdout.write(f"{treaty.slug}: {old} → {new}")
        for participation, old, new in result.participations:
            self.stdout.write(
                f"{participation.treaty.slug} {participation.country.code}: {old} → {new}"
            )
        if options["verbosity"]:
            self.stdout.write(f"{result.changed} stored statuses changed.")
