"""``lifeline retention apply [--organisation SLUG]``: apply the retention policies now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Organisation
from lifeline.core.tenancy import scope
from lifeline.privacy import services


class Command(BaseCommand):
    help = "Apply each organisation's retention policy (what the daily task does)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="erase what has been kept long enough")
        apply.add_argument("--organisation", metavar="SLUG", help="only this organisation")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        for organisation in organisations:
            with scope(organisation=organisation):
                run = services.retention_apply(organisation=organisation)
            self.stdout.write(
                f"{organisation.slug}: {run.cases_erased} closed cases, {run.persons_erased} "
                f"persons and {run.requests_erased} rejected requests erased "
                f"(closed cases kept {run.closed_case_days or 'forever'} days, rejected requests "
                f"{run.rejected_request_days or 'forever'})."
            )
