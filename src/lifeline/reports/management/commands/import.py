"""``lifeline import FILE --organisation SLUG --member USER [--mapping MAPPING.json] [--dry-run]``

Import a network's spreadsheet (CSV or XLSX) as the web screens do: the file is kept
encrypted while it is worked on, the mapping (a JSON object: column title -> Lifeline field,
``""`` to leave a column out) is remembered for the organisation; without ``--mapping`` the
remembered one, or one guessed from the titles, is used and printed. The dry run lists every
row's problems; ``--dry-run`` stops there and destroys the stored file. Otherwise the import
runs (refused rows keep it from starting unless ``--only-valid``) and prints the batch uid,
which ``lifeline import --rollback UID`` undoes.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Membership
from lifeline.accounts.selectors import command_membership
from lifeline.core.tenancy import scope
from lifeline.reports.importing import fields, selectors, services
from lifeline.reports.models import ImportBatch


class Command(BaseCommand):
    help = "Import a spreadsheet of cases (CSV or XLSX) with a dry run; or roll an import back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="the CSV or XLSX file")
        parser.add_argument("--organisation", metavar="SLUG", required=True)
        parser.add_argument("--member", metavar="USER", required=True, help="who imports (audited)")
        parser.add_argument(
            "--mapping",
            type=Path,
            help="JSON: column title -> one of " + ", ".join(fields.FIELDS) + ', or ""',
        )
        parser.add_argument("--encoding", help="CSV only: the file's encoding (default: detected)")
        parser.add_argument(
            "--sheet", help="XLSX only: the sheet to read (default: the first visible)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--only-valid", action="store_true", help="import the rows without problems"
        )
        parser.add_argument(
            "--keep-duplicates", action="store_true", help="import rows already recorded too"
        )
        parser.add_argument("--rollback", metavar="UID", help="roll back the import with this uid")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = command_membership(
            organisation=options["organisation"], username=options["member"]
        )
        if membership is None or not membership.has("can_import_cases"):
            raise CommandError("No active member of that organisation who may import cases.")
        with scope(organisation=membership.organisation):
            try:
                if options["rollback"]:
                    return self._rollback(membership, options["rollback"])
                if options["file"] is None:
                    raise CommandError("Name the file to import (or --rollback UID).")
                self._import(membership, **options)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None

    def _rollback(self, membership: Membership, uid: str) -> None:
        from django.http import Http404

        try:
            batch = selectors.import_batch_get(actor=membership, uid=uid)
        except Http404:
            raise CommandError("No import of this organisation has that uid.") from None
        counts = services.import_rollback(actor=membership, batch=batch)
        self.stdout.write(
            f"Rolled back: {counts['cases']} cases and {counts['persons']} persons removed, "
            f"{counts['erased']} persons erased."
        )

    def _import(self, membership: Membership, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        batch = services.import_upload(actor=membership, data=data, filename=path.name)
        try:
            columns = batch.columns
            if options["mapping"]:
                try:
                    columns = json.loads(options["mapping"].read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"The mapping file is not readable JSON: {exc}.") from None
                if not isinstance(columns, dict):
                    raise CommandError("The mapping must be a JSON object: column title -> field.")
            else:
                self.stdout.write("Mapping (remembered or guessed from the titles):")
                for header, code in columns.items():
                    self.stdout.write(f"  {header} -> {code or '(not imported)'}")
            run = services.import_check(
                actor=membership,
                batch=batch,
                columns=columns,
                encoding=options["encoding"],
                sheet=options["sheet"],
            )
        except BaseException:
            self._abandon(membership, batch)
            raise
        batch.refresh_from_db()
        for notice in batch.notices:
            self.stdout.write(f"Note: {notice}")
        for problem in run.problems:
            kind = "refused" if problem["blocking"] else "warning"
            column = f" [{problem['column']}]" if problem["column"] else ""
            self.stdout.write(f"row {problem['row']}{column}: {kind}: {problem['message']}")
        result = batch.result
        self.stdout.write(
            f"{result['rows']} rows checked: {result['importable']} can be imported, "
            f"{result['refused']} refused, {result['duplicates']} already recorded or repeated "
            f"({result['seconds']} s)."
        )
        if options["dry_run"]:
            self._abandon(membership, batch)
            self.stdout.write("Dry run: nothing was written; the stored file was destroyed.")
            return
        try:
            services.import_start(
                actor=membership,
                batch=batch,
                only_valid=options["only_valid"],
                skip_duplicates=not options["keep_duplicates"],
            )
        except ValidationError:
            self._abandon(membership, batch)
            raise
        batch = services.import_execute(batch=ImportBatch.objects.get(pk=batch.pk))
        self.stdout.write(
            f"Imported {batch.done} rows as persons with a case "
            f"(left out as already recorded: {batch.result.get('skipped_duplicates', 0)}). "
            f"Import {batch.uid}: `lifeline import --organisation {membership.organisation.slug} "
            f"--member {membership.user.username} --rollback {batch.uid}` undoes it."
        )

    def _abandon(self, membership: Membership, batch: ImportBatch) -> None:
        batch.refresh_from_db()
        if batch.status in ("uploaded", "checked"):
            services.import_abandon(actor=membership, batch=batch)
