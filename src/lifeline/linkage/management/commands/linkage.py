"""``lifeline linkage run [--organisation SLUG]``: find duplicates and fill the review queue.

``lifeline linkage export-encodings --organisation SLUG --member USER --secret-file F --output F``
and ``lifeline linkage import-encodings --organisation SLUG --member USER --secret-file F FILE``:
matching with another organisation without pooling data (docs/linkage.md). The secret is read
from a file so that it stays out of the shell history and the process list.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Organisation
from lifeline.accounts.selectors import command_membership
from lifeline.core.files import write_atomically
from lifeline.core.tenancy import scope
from lifeline.linkage import engine, services


class Command(BaseCommand):
    help = "Duplicate detection: compare each organisation's persons and fill its review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="a full deduplication of each organisation")
        run.add_argument("--organisation", metavar="SLUG", help="only this organisation")
        run.add_argument(
            "--workers",
            type=int,
            default=engine.default_workers(),
            help="processes comparing pairs (default: the cores, at most 4)",
        )
        for name, text in (
            ("export-encodings", "write the organisation's encodings for a partner"),
            ("import-encodings", "compare a partner's encodings file with the organisation"),
        ):
            sub_parser = sub.add_parser(name, help=text)
            sub_parser.add_argument("--organisation", metavar="SLUG", required=True)
            sub_parser.add_argument(
                "--member", metavar="USER", required=True, help="who does it (audited)"
            )
            sub_parser.add_argument("--secret-file", type=Path, required=True)
            if name == "export-encodings":
                sub_parser.add_argument("--output", type=Path, required=True)
            else:
                sub_parser.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action != "run":
            return self._encodings(action, **options)
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        for organisation in organisations:
            with scope(organisation=organisation):
                result = services.dedup_run(
                    organisation=organisation, workers=max(1, options["workers"])
                )
            self.stdout.write(
                f"{organisation.slug}: {result.persons} persons, {result.compared} pairs compared, "
                f"{result.proposed} new pairs to review, {result.updated} rescored, "
                f"{result.kept_decided} already decided left alone, "
                f"model version {result.model_version} "
                f"{'trained on this data' if result.trained else 'kept the starting values'} "
                f"({result.seconds:.1f} s)."
            )

    def _encodings(self, action: str, **options: Any) -> None:
        membership = command_membership(
            organisation=options["organisation"], username=options["member"]
        )
        if membership is None or not membership.has("can_review_duplicates"):
            raise CommandError("No active member of that organisation who may review duplicates.")
        secret = options["secret_file"].read_text(encoding="utf-8").strip()
        with scope(organisation=membership.organisation):
            try:
                if action == "export-encodings":
                    data = services.encodings_export(actor=membership, secret=secret)
                    write_atomically(options["output"].resolve(), lambda out: out.write(data))
                    self.stdout.write(f"Wrote {options['output']} ({len(data):,} bytes).")
                    return
                rows = services.encodings_import(
                    actor=membership, data=options["file"].read_bytes(), secret=secret
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        for row in rows:
            self.stdout.write(
                f"Person {row.person.uid}: a record of yours matches one of theirs at "
                f"{row.score:.2f}; contact the coordinator of {row.partner}."
            )
        self.stdout.write(f"{len(rows)} of your records match one of theirs.")
