from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lifeline.core.crypto import Keyring


class Command(BaseCommand):
    help = "Encryption keys. `keys generate` prints a new keyring for LIFELINE_KEYS / LIFELINE_KEYS_FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate", help="print a new keyring (JSON) to standard output")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        self.stdout.write(Keyring.generate().to_json())
