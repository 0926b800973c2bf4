"""``lifeline demo``: fill an empty database with the demo workspace (lifeline.core.demo)."""

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lifeline.accounts.models import Membership, Organisation
from lifeline.core.demo import DEMO_PASSWORD, Login, build_demo, demo_logins
from lifeline.core.tenancy import scopes_disabled


def _positive(text: str) -> int:
    value = int(text)
    if value < 1 or value > 100_000:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Create two demo organisations, one user per role and a few hundred fictional cases "
        "(through the services, so everything is audited). Refuses to touch a database that "
        "already has organisations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) if the database already has organisations",
        )
        parser.add_argument(
            "--cases", type=_positive, default=300, help="number of cases (default 300)"
        )
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"password of every demo user (default {DEMO_PASSWORD!r})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            if Organisation.objects.exists():
                if options["if_empty"]:
                    self.stdout.write(
                        "The database already has organisations: no demo data was added."
                    )
                    self._print_logins(
                        self._existing_logins(str(options["password"])), existing=True
                    )
                    return
                raise CommandError(
                    "The database already has organisations, so no demo data was added. The demo needs an "
                    "empty database: use a fresh LIFELINE_DATA_DIR (or DATABASE_URL), or pass --if-empty "
                    "to skip this step when data exists."
                )
            started = time.monotonic()
            try:
                with transaction.atomic():
                    summary = build_demo(
                        cases=int(options["cases"]),
                        password=str(options["password"]),
                        log=self.stdout.write,
                    )
            except ValidationError as exc:
                # The only user input that reaches a service is the password.
                raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo workspace created in {time.monotonic() - started:.1f} s: {summary.organisations} "
                f"organisations, {summary.users} users, {summary.cases} cases, {summary.requests} requests "
                f"({summary.triage} waiting for triage), {summary.evidence} evidence files, "
                f"{summary.sites} sites, {summary.sightings} sightings and {summary.lures} job "
                "offers in the lure library."
            )
        )
        self._print_logins(demo_logins(str(options["password"])), existing=False)

    def _existing_logins(self, password: str) -> list[Login]:
        order = [login.username for login in demo_logins(password)]
        memberships = sorted(
            Membership.objects.filter(user__username__in=order, is_active=True).select_related(
                "user", "organisation"
            ),
            key=lambda m: (order.index(m.user.username), m.organisation.name),
        )
        return [
            Login(m.user.username, m.organisation.name, m.get_role_display(), password)
            for m in memberships
        ]

    def _print_logins(self, logins: list[Login], *, existing: bool) -> None:
        if not logins:
            self.stdout.write(
                "No demo users in this database; create users with `lifeline createuser`."
            )
            return
        rows = [
            ("username", "organisation", "role", "password"),
            *[(login.username, login.organisation, login.role, login.password) for login in logins],
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(
            "Demo logins"
            + (" (password as given when the demo was created)" if existing else "")
            + ":"
        )
        self.stdout.write("\n".join(lines))
        self.stdout.write("")
        self.stdout.write(
            "At its first login each demo user except the analysts sets up a second factor: "
            "scan the QR code with an authenticator app (Aegis, FreeOTP, 2FAS, Google "
            "Authenticator…) or type the key shown, then keep the recovery codes. An admin can "
            "reset a member's second factor under Settings → Members."
        )
        self.stdout.write("")
        self.stdout.write(
            "Then open http://127.0.0.1:8000 (`lifeline serve` if it is not running)."
        )
        if not settings.LIFELINE_INTAKE_ORGANISATION:
            # The public pages serve one organisation, named by the operator, never by default.
            self.stdout.write(
                "The public pages (/help/, /check/, /job-check/) answer 404 until they are given "
                "an organisation: LIFELINE_INTAKE_ORGANISATION=mekong make run"
            )
