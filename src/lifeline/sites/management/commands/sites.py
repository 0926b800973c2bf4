"""``lifeline sites recount [--organisation SLUG]``: recount the counts kept on every site
(persons last known there, sightings, active cases) from the rows, and say how many were
wrong. The services keep them; this repairs them after a bulk load, a restore or a bug."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Organisation
from lifeline.core.tenancy import scope
from lifeline.sites.counters import recount_organisation


class Command(BaseCommand):
    help = "The site registry's upkeep: recount the counts kept on each site."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recount = sub.add_parser("recount", help="recount every site's kept counts")
        recount.add_argument("--organisation", metavar="SLUG", help="only this organisation")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        for organisation in organisations:
            with scope(organisation=organisation):
                sites, corrected = recount_organisation(organisation_id=organisation.pk)
            self.stdout.write(
                f"{organisation.slug}: {sites} sites recounted, {corrected} corrected."
            )
