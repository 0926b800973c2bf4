"""``lifeline export …``: exports that leave the organisation, each audited as the member's.

- ``lifeline export ctdc --organisation SLUG --member USER [--k 11] [--from-year Y]
  [--to-year Y] --out FILE``: the CTDC-style statistical export (a zip of CSVs and a manifest),
  written atomically (lifeline.reports.ctdc).
- ``lifeline export ftm --organisation SLUG --member USER --out FILE``: sites, operators and
  their links as FollowTheMoney entities, one per line (lifeline.reports.ftm), for Aleph.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Membership
from lifeline.accounts.selectors import command_membership
from lifeline.core.files import write_atomically
from lifeline.core.tenancy import scope
from lifeline.reports import ctdc


def member(organisation: str, username: str, capability: str) -> Membership:
    membership = command_membership(organisation=organisation, username=username)
    if membership is None or not membership.has(capability):
        raise CommandError("No active member of that organisation who may do this.")
    return membership


class Command(BaseCommand):
    help = "Exports for people outside the organisation: statistics (ctdc), investigators (ftm)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="format", required=True)
        c = sub.add_parser("ctdc", help="k-anonymous victim-level file and aggregate tables (zip)")
        c.add_argument("--organisation", metavar="SLUG", required=True)
        c.add_argument("--member", metavar="USER", required=True, help="who exports (audited)")
        c.add_argument("--k", type=int, default=None, help="smallest group released (default 11)")
        c.add_argument("--from-year", type=int, default=None)
        c.add_argument("--to-year", type=int, default=None)
        c.add_argument("--out", type=Path, required=True, help="the zip file to write")

        ftm = sub.add_parser("ftm", help="sites, operators and links as FollowTheMoney entities")
        ftm.add_argument("--organisation", metavar="SLUG", required=True)
        ftm.add_argument("--member", metavar="USER", required=True, help="who exports (audited)")
        ftm.add_argument("--out", type=Path, required=True, help="the file to write")

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        if format == "ctdc":
            self._ctdc(**options)
        elif format == "ftm":
            self._ftm(**options)
        else:
            raise CommandError(f"Unknown export {format!r}.")

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

    def _ftm(self, **options: Any) -> None:
        from lifeline.reports import ftm

        membership = member(options["organisation"], options["member"], "can_view_sites")
        with scope(organisation=membership.organisation):
            export = ftm.ftm_export(actor=membership)
        out: Path = options["out"].resolve()
        write_atomically(out, lambda f: f.write(export.body.encode()))
        counts = export.counts
        self.stdout.write(
            f"Wrote {out}: {counts.sites} sites, {counts.companies} companies, "
            f"{counts.persons} persons, {counts.links} links."
        )
