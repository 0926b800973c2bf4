from django.core.management.base import BaseCommand, CommandError

from lifeline.accounts.models import User
from lifeline.accounts.services import second_factor_reset_by_operator


class Command(BaseCommand):
    help = (
        "Remove a user's second factor (authenticator app and recovery codes), e.g. an "
        "organisation's only admin who lost their phone. They set up a new one at their next "
        "login. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        second_factor_reset_by_operator(user=user)
        self.stdout.write(
            f"{user.username}'s second factor was removed; they set up a new one at next login."
        )
