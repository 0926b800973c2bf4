import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lifeline.accounts.models import Organisation
from lifeline.accounts.roles import Role
from lifeline.accounts.services import organisation_create, user_add_to_organisation


class Command(BaseCommand):
    help = (
        "Add a user to an organisation with a role (creating the organisation with --create-org)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--password", default=None, help="omit to be asked (or --no-password)")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="create without a password (use an invitation link)",
        )
        parser.add_argument(
            "--create-org",
            metavar="NAME",
            default=None,
            help="create the organisation with this name",
        )
        parser.add_argument("--staff", action="store_true", help="also platform staff (admin site)")

    @transaction.atomic
    def handle(self, *args, **options):
        slug = options["org"]
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            if not options["create_org"]:
                raise CommandError(f"No organisation {slug!r}. Use --create-org NAME to create it.")
            org = organisation_create(name=options["create_org"], slug=slug)
        password = options["password"]
        if password is None and not options["no_password"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            membership = user_add_to_organisation(
                organisation=org,
                username=options["username"],
                role=options["role"],
                email=options["email"],
                display_name=options["name"],
                password=password or None,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        if options["staff"]:
            membership.user.is_staff = membership.user.is_superuser = True
            membership.user.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{membership.user.username} is {membership.get_role_display()} of {org}."
            )
        )
