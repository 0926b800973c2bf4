"""``lifeline intake drain|status``: the public intake's durable inbox (lifeline.intake.inbox).

``drain`` makes a request of every acknowledged submission still waiting in the inbox (what
the drainer of ``lifeline serve`` does continuously); ``--follow`` keeps doing so until stopped,
which is how ``lifeline serve`` runs it. ``status`` counts what is waiting.
"""

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lifeline.intake import inbox


class Command(BaseCommand):
    help = "Make requests of the public submissions waiting in the intake inbox."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        drain = sub.add_parser("drain", help="make requests of every waiting submission")
        drain.add_argument(
            "--retry-held",
            action="store_true",
            help=f"also retry entries that failed {inbox.MAX_ATTEMPTS} times",
        )
        drain.add_argument(
            "--follow", action="store_true", help="keep draining until stopped (SIGTERM)"
        )
        sub.add_parser("status", help="count the waiting and held submissions")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "status":
            counts = inbox.status()
            self.stdout.write(
                f"{counts['pending']} waiting, {counts['held']} held after "
                f"{inbox.MAX_ATTEMPTS} failed attempts, {counts['drained']} drained kept as "
                "tombstones"
            )
            return
        if options["follow"]:
            self._follow()
            return
        total = inbox.DrainResult()
        while True:
            result = inbox.drain(retry_held=options["retry_held"])
            total.drained += result.drained
            total.failed += result.failed
            if result.drained == 0:  # nothing left, or only entries that fail again
                break
        counts = inbox.status()
        self.stdout.write(
            f"{total.drained} requests made, {total.failed} failed; "
            f"{counts['pending']} waiting, {counts['held']} held"
        )
        if total.failed:
            raise SystemExit(1)

    def _follow(self) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        parent = os.getppid()
        _thread, drainer_stop = inbox.start_drainer()
        # Ends with the server that started it, even one killed without a word.
        while not stop.wait(1.0) and os.getppid() == parent:
            pass
        drainer_stop.set()
        _thread.join(timeout=10)
