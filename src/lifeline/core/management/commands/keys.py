"""``lifeline keys generate | status | rotate | shred``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from lifeline.audit.services import audit_log
from lifeline.core import crypto, keystore, rotation

SHRED_PHRASE = "destroy the keys"


class Command(BaseCommand):
    help = "Encryption keys: generate a keyring, show key use, rotate the keys, or destroy them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate", help="print a new keyring (JSON) for LIFELINE_KEYS_FILE")
        sub.add_parser("status", help="count stored values and files per key")
        rotate = sub.add_parser(
            "rotate",
            help="re-encrypt every personal field and file under a new key (resumable)",
        )
        rotate.add_argument("--batch-size", type=int, default=rotation.DEFAULT_BATCH_SIZE)
        rotate.add_argument(
            "--settle-seconds",
            type=float,
            default=2 * crypto.RECHECK_SECONDS,
            help="how long to wait for running processes to pick up the new key",
        )
        rotate.add_argument(
            "--pause",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="sleep between batches, to leave room for a busy service",
        )
        rotate.add_argument("--no-progress", action="store_true", help="no progress bar")
        shred = sub.add_parser(
            "shred", help="destroy the keys: every personal field becomes unreadable"
        )
        shred.add_argument(
            "--confirm",
            action="append",
            default=[],
            metavar="ANSWER",
            help=f'answer both questions without a prompt: --confirm "{SHRED_PHRASE}" '
            "--confirm <fingerprint shown by `keys status`>",
        )
        shred.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never prompt: without both --confirm answers, nothing is destroyed",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(crypto.Keyring.generate().to_json())
        elif action == "status":
            self.status()
        elif action == "rotate":
            self.rotate(options)
        else:
            self.shred(options["confirm"], interactive=options.get("interactive", True))

    def status(self) -> None:
        keyring = crypto.get_keyring()
        if keyring.shredded_at is not None:
            self.stdout.write(f"The keys were destroyed on {keyring.shredded_at}.")
        else:
            self.stdout.write(
                f"Keyring {keyring.fingerprint}: active key {keyring.active_key_id}; "
                f"keys present: {', '.join(sorted(keyring.data_keys))}"
            )
            if keyring.retiring:
                self.stdout.write(
                    f"A rotation is unfinished (retiring {', '.join(sorted(keyring.retiring))}): "
                    "run `lifeline keys rotate` to finish it."
                )
        usage = rotation.key_usage()
        self.stdout.write(f"Records with encrypted fields: {usage.records}")
        for kind, counts in (("values", usage.fields), ("files", usage.files)):
            for key_id, count in sorted(counts.items()):
                present = key_id in keyring.data_keys
                note = "" if present else "  (key not present: unreadable)"
                self.stdout.write(f"  {kind} under {key_id}: {count}{note}")

    def rotate(self, options: dict[str, Any]) -> None:
        bar: tqdm[Any] | None = None

        def on_start(result: rotation.RotationResult, total: int) -> None:
            nonlocal bar
            verb = "Resuming" if result.resumed else "Rotating"
            self.stdout.write(
                f"{verb}: new key {result.new_key_id}, retiring {', '.join(result.retired)}",
            )
            self.stdout.flush()
            if not options["no_progress"]:
                bar = tqdm(total=total, unit="rec", file=self.stderr._out, desc="re-encrypting")

        def progress(count: int) -> None:
            if bar is not None:
                bar.update(count)

        try:
            result = rotation.rotate(
                batch_size=options["batch_size"],
                settle_seconds=options["settle_seconds"],
                pause=options["pause"],
                progress=progress,
                on_start=on_start,
            )
        except (rotation.RotationError, keystore.KeyFileRequired) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        audit_log(
            actor=None,
            organisation=None,
            action="core.keys.rotated",
            payload={
                "active": result.new_key_id,
                "retired": result.retired,
                "values": result.values_reencrypted,
                "files": result.files_reencrypted,
            },
        )
        rate = result.records_scanned / result.sweep_seconds if result.sweep_seconds else 0.0
        self.stdout.write(
            f"Done in {result.seconds:.1f} s: {result.records_scanned} records "
            f"({rate:.0f} per second), {result.values_reencrypted} values and "
            f"{result.files_reencrypted} files re-encrypted under {result.new_key_id}; "
            f"retired {', '.join(result.retired)}."
        )
        if result.unreadable:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.unreadable} values did not decrypt (tampered or damaged) and "
                    "stay unreadable."
                )
            )

    def shred(self, answers: list[str], *, interactive: bool) -> None:
        try:
            path = keystore.writable_keyring_path("destroy")
        except keystore.KeyFileRequired as exc:
            raise CommandError(
                "The keys come from the LIFELINE_KEYS variable: destroy them where that "
                "variable is kept, then restart Lifeline."
            ) from exc
        keyring = crypto.load_keyring()
        if keyring.shredded_at is not None:
            raise CommandError(f"The keys were already destroyed on {keyring.shredded_at}.")
        questions = [
            f"This destroys the encryption keys in {path}. Every name, contact, note and file "
            "becomes unreadable for good, for everyone, unless you hold a copy of the keys "
            f'elsewhere.\nType "{SHRED_PHRASE}" to go on: ',
            f"Second confirmation: type this keyring's fingerprint, {keyring.fingerprint}: ",
        ]
        expected = [SHRED_PHRASE, keyring.fingerprint]
        for number, (question, want) in enumerate(zip(questions, expected, strict=True)):
            if number < len(answers):
                answer = answers[number]
            elif interactive:
                answer = input(question)
            else:
                answer = ""
            if answer.strip() != want:
                raise CommandError("Not confirmed: the keys were left as they were.")
        try:
            with keystore.exclusive(path):
                shredded_at = keystore.shred(path)
        except BlockingIOError as exc:
            raise CommandError("Another key command is running on this keyring.") from exc
        audit_log(
            actor=None,
            organisation=None,
            action="core.keys.shredded",
            payload={"fingerprint": keyring.fingerprint},
        )
        self.stdout.write(
            f"The keys were destroyed at {shredded_at}. Personal data on this server is now "
            "unreadable. Delete any other copy of the keys (backups, LIFELINE_KEYS_FILE copies)."
        )
