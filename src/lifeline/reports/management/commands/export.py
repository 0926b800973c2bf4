"""``lifeline export ctdc --organisation SLUG --member USER [--k 11] [--from-year Y]
[--to-year Y] --out FILE``: the CTDC-style statistical export (a zip of CSVs and a manifest),
written atomically and audited as the member's.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Membership
from lifeline.core.files import write_atomically
from lifeline.core.tenancy import scope
from lifeline.reports import ctdc


def member(organisation: str, username: str, capability: str) -> Membership:
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation__slug=organisation, user__username=username, is_active=True)
        .first()
    )
    if membership is None or not membership.has(capability):
        raise CommandError("No active member of that organisation who may do this.")
    return membership


class Command(BaseCommand):
    help = "Exports for people outside the organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True)
        # Part A: safe statistics ------------------------------------------------------------
        c = sub.add_parser("ctdc", help="k-anonymous victim-level file and aggregate tables (zip)")
        c.add_argument("--organisation", metavar="SLUG", required=True)
        c.add_argument("--member", metavar="USER", required=True, help="who exports (audited)")
        c.add_argument("--k", type=int, default=None, help="smallest group released (default 11)")
        c.add_argument("--from-year", type=int, default=None)
        c.add_argument("--to-year", type=int, default=None)
        c.add_argument("--out", type=Path, required=True, help="the zip file to write")
        # End of part A ----------------------------------------------------------------------

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        if format == "ctdc":
            self._ctdc(**options)

    def _ctdc(self, **options: Any) -> None:
        membership = member(options["organisation"], options["member"], "can_view_statistics")
        try:
            params = ctdc.check_parameters(
                k=options["k"] if options["k"] is not None else ctdc.default_k(),
                from_year=options["from_year"],
                to_year=options["to_year"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with scope(organisation=membership.organisation):
            release = write_atomically(
                options["out"].resolve(),
                lambda out: ctdc.ctdc_export(
                    actor=membership, params=params, out=out, channel="cli"
                ),
            )
        self.stdout.write(
            f"Wrote {options['out']}: {release.victims.records:,} of "
            f"{release.victims.total:,} victims released (k={params.k}), "
            f"{release.victims.suppressed:,} left out, {len(release.tables)} tables "
            f"({release.seconds:.1f} s)."
        )
