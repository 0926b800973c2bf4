from django.core.management.base import BaseCommand, CommandError

from lifeline.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` re-computes the hash chain and names the first tampered row."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check that no row was edited, deleted or reordered")

    def handle(self, *args, action: str, **options):
        checked, problem = verify_chain()
        if problem is not None:
            raise CommandError(
                f"Audit log FAILED at row {problem.seq}: {problem.reason}. ({checked} rows present.)"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log OK: {checked} rows, chain intact."))
