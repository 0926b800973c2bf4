"""``lifeline linkage run [--organisation SLUG]``: find duplicates and fill the review queue."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Organisation
from lifeline.core.tenancy import scope
from lifeline.linkage import services


class Command(BaseCommand):
    help = "Duplicate detection: compare each organisation's persons and fill its review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="a full deduplication of each organisation")
        run.add_argument("--organisation", metavar="SLUG", help="only this organisation")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        for organisation in organisations:
            with scope(organisation=organisation):
                result = services.dedup_run(organisation=organisation)
            self.stdout.write(
                f"{organisation.slug}: {result.persons} persons, {result.compared} pairs compared, "
                f"{result.proposed} new pairs to review, {result.updated} rescored, "
                f"{result.kept_decided} already decided left alone "
                f"({result.seconds:.1f} s)."
            )
