"""``lifeline restore FILE``: bring a backup into an empty instance, then verify it."""

from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.core import backup
from lifeline.core.management.commands.backup import ask_passphrase


class Command(BaseCommand):
    help = "Restore a backup into an empty instance (stop the service first), then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--keys-out",
            type=Path,
            help="where to write the restored keys when they come from LIFELINE_KEYS",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check that the backup decrypts whole, and show what it holds",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        passphrase = ask_passphrase(twice=False)
        try:
            if options["check"]:
                manifest = backup.check(path, passphrase)
                self.stdout.write(self.style.SUCCESS(f"{path} is intact: {manifest['counts']}"))
                return
            result = backup.restore(path, passphrase, keys_out=options["keys_out"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.manifest["counts"]
        self.stdout.write(
            f"Restored the backup of {result.manifest['created_at']}: "
            f"{counts['organisations']} organisations, {counts['persons']} persons, "
            f"{counts['cases']} cases, {result.files} files."
        )
        if result.keys_written_to is not None:
            self.stdout.write(f"Keys written to {result.keys_written_to}.")
        call_command("migrate", interactive=False, verbosity=0)
        restored = backup.instance_counts()
        differ = {k: (v, restored.get(k)) for k, v in counts.items() if restored.get(k) != v}
        if differ:
            raise CommandError(f"The restored instance differs from the backup: {differ}")
        self.stdout.write("The restored instance holds what the backup recorded.")
        call_command("audit", "verify", stdout=self.stdout)
        if "evidence" in get_commands():
            call_command("evidence", "verify", stdout=self.stdout)
