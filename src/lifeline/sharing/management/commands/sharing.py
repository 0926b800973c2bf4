"""``lifeline sharing trace FILE --as USER``: rank the recipients a leaked text or image came from.

The trace runs as a member (``--as``, with ``--organisation`` when they belong to several):
it sees the briefings that member may see, and it is audited like the page.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifeline.accounts.models import Membership
from lifeline.core.tenancy import scope

IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM")


class Command(BaseCommand):
    help = "Partners and sharing: trace a leak to its recipient (`lifeline sharing trace FILE`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        trace = sub.add_parser(
            "trace",
            help="rank the recipients whose briefing variant a leaked text or image matches",
        )
        trace.add_argument("file", help="the leaked text or image (PNG, JPEG...); - reads stdin")
        trace.add_argument("--as", dest="username", required=True, help="the member who traces")
        trace.add_argument("--organisation", default="", help="their organisation's short name")
        trace.add_argument("--top", type=int, default=5, help="how many recipients to list")

    def handle(self, *args: Any, **options: Any) -> None:
        from lifeline.sharing.briefings import trace_leak

        data = sys.stdin.buffer.read() if options["file"] == "-" else _read(Path(options["file"]))
        memberships = Membership.objects.filter(
            user__username=options["username"], is_active=True
        ).select_related("organisation", "user")
        if options["organisation"]:
            memberships = memberships.filter(organisation__slug=options["organisation"])
        found = list(memberships[:2])
        if len(found) != 1:
            raise CommandError(
                "no such member"
                if not found
                else "member of several organisations: pass --organisation"
            )
        actor = found[0]
        if not actor.has("can_trace_leaks"):
            raise CommandError(f"{actor.user.username}'s role may not trace leaks")
        is_image = data.startswith(IMAGE_SIGNATURES)
        with scope(organisation=actor.organisation):
            try:
                suspects = trace_leak(
                    actor=actor,
                    text="" if is_image else data.decode("utf-8", errors="replace"),
                    image=data if is_image else None,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            if not suspects:
                self.stdout.write("It matches no recipient of any briefing this member can see.")
                return
            for rank, suspect in enumerate(suspects[: options["top"]], start=1):
                share = suspect.share
                self.stdout.write(
                    f"{rank}. {share.partner.name} (score {suspect.score:.2f}; briefing "
                    f"{share.briefing.uid}, shared {share.created_at:%Y-%m-%d %H:%M})"
                )
                for mark in suspect.matched:
                    self.stdout.write(f"   - {mark}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
