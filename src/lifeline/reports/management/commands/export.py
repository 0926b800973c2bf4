"""``lifeline export …``: exports that leave the organisation, each audited.

- ``lifeline export ftm --organisation SLUG --member USER --out FILE``: sites, operators and
  their links as FollowTheMoney entities, one per line (lifeline.reports.ftm), for Aleph.

(``lifeline export ctdc …`` is added beside it by the statistical exports.)
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Membership
from lifeline.core.files import write_atomically
from lifeline.core.tenancy import scope


def _member(organisation: str, username: str, capability: str) -> Membership:
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation__slug=organisation, user__username=username, is_active=True)
        .first()
    )
    if membership is None or not membership.has(capability):
        raise CommandError("No active member of that organisation who may make this export.")
    return membership


class Command(BaseCommand):
    help = "Exports for investigators (ftm) and for statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        # --- ftm: the investigators' export (lifeline.reports.ftm) ---------------------------
        ftm = sub.add_parser("ftm", help="sites, operators and links as FollowTheMoney entities")
        ftm.add_argument("--organisation", metavar="SLUG", required=True)
        ftm.add_argument("--member", metavar="USER", required=True, help="who exports (audited)")
        ftm.add_argument("--out", type=Path, required=True, help="the file to write")
        # --- end of ftm ----------------------------------------------------------------------

    def handle(self, *args: Any, kind: str, **options: Any) -> None:
        if kind == "ftm":
            return self._ftm(**options)
        raise CommandError(f"Unknown export {kind!r}.")

    # --- ftm -----------------------------------------------------------------------------------
    def _ftm(self, **options: Any) -> None:
        from lifeline.reports import ftm

        membership = _member(options["organisation"], options["member"], "can_view_sites")
        with scope(organisation=membership.organisation):
            export = ftm.ftm_export(actor=membership)
        out: Path = options["out"].resolve()
        write_atomically(out, lambda f: f.write(export.body.encode()))
        counts = export.counts
        self.stdout.write(
            f"Wrote {out}: {counts.sites} sites, {counts.companies} companies, "
            f"{counts.persons} persons, {counts.links} links."
        )

    # --- end of ftm ----------------------------------------------------------------------------
