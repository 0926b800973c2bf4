"""``lifeline backup``: one encrypted, consistent snapshot of the database, files and keys."""

import datetime
import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.audit.services import audit_log
from lifeline.core import backup


def ask_passphrase(*, twice: bool) -> str:
    """The passphrase from LIFELINE_BACKUP_PASSPHRASE(_FILE), or asked at the terminal."""
    found = backup.passphrase_from_env()
    if found is not None:
        return found
    try:
        first = getpass.getpass("Backup passphrase: ")
        if twice and getpass.getpass("The same passphrase again: ") != first:
            raise CommandError("The two passphrases differ: nothing was written.")
    except EOFError:
        raise CommandError(
            "No passphrase: set LIFELINE_BACKUP_PASSPHRASE (or _FILE) or run at a terminal."
        ) from None
    return first


class Command(BaseCommand):
    help = "Write an encrypted backup (database snapshot, evidence files and keys) while running."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the file to write (default: lifeline-<time>.backup in the current folder)",
        )
        parser.add_argument(
            "--without-keys",
            action="store_true",
            help="leave the encryption keys out (then keep them safe separately: a restore "
            "needs them)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        output = options["output"] or Path(f"lifeline-{stamp}.backup")
        passphrase = ask_passphrase(twice=True)
        try:
            result = backup.create(
                output.resolve(), passphrase, include_keys=not options["without_keys"]
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit_log(
            actor=None,
            organisation=None,
            action="core.backup.created",
            payload={"files": result.files, "bytes": result.size},
        )
        counts = result.counts
        self.stdout.write(
            f"Backup written to {result.path} ({result.size / 1e6:.1f} MB) in "
            f"{result.seconds:.1f} s: {counts['organisations']} organisations, "
            f"{counts['persons']} persons, {counts['cases']} cases, {result.files} files"
            f"{'' if not options['without_keys'] else ', without the keys'}."
        )
