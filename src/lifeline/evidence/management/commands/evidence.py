from django.core.management.base import BaseCommand, CommandError

from lifeline.evidence.verify import verify_all


class Command(BaseCommand):
    help = "Evidence tools. `evidence verify` re-hashes every stored file and lists changed ones."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify", help="decrypt and re-hash every file; exit 1 if any changed or is missing"
        )

    def handle(self, *args, action: str, **options):
        report = verify_all()
        for problem in report.problems:
            self.stdout.write(
                f"{problem.kind.upper()}: evidence {problem.evidence_uid} ({problem.part}): "
                f"{problem.reason}"
            )
        for name in report.unreferenced:
            self.stdout.write(f"NOTE: blob {name} is not referenced by any evidence")
        summary = (
            f"{report.checked} files checked, {report.bytes / (1024 * 1024):.1f} MB in "
            f"{report.seconds:.2f} s ({report.mb_per_second:.1f} MB/s): "
            f"{report.count('changed')} changed, {report.count('missing')} missing, "
            f"{report.count('unreadable')} unreadable."
        )
        if report.problems:
            raise CommandError(f"Evidence FAILED: {summary}", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Evidence OK: {summary}"))
