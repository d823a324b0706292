"""Fill an empty database with data at the scale of the full record, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from treaties.scale import RealDataPresent, generate_scale_data


class Command(BaseCommand):
    help = (
        "Write generated treaties × countries participations with their dated acts, valid "
        "under every constraint and sequence rule, statuses derived as the site derives them. "
        "Deterministic: the same arguments give the same rows. --treaties 500 --countries 200 "
        "makes 100,000 participations; --treaties 5000, 1,000,000. Refuses a database holding "
        "real data unless --alongside-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--treaties", type=int, default=500)
        parser.add_argument("--countries", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--alongside-real-data",
            action="store_true",
            help="add the generated rows to a database that already holds real records",
        )

    def handle(self, *args, **options):
        try:
            done = generate_scale_data(
                treaties=options["treaties"],
                countries=options["countries"],
                seed=options["seed"],
                alongside_real_data=options["alongside_real_data"],
            )
        except (RealDataPresent, ValueError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(
                f"Generated {done.treaties} treaties, {done.countries} countries, "
                f"{done.participations} participations and {done.actions} acts."
            )
