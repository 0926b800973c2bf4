"""``lifeline report dashboard --organisation SLUG --member USER [--refresh] [--json]``: the
dashboard's figures for a member (aggregates only), from the cached snapshot or computed anew;
run from cron with ``--refresh`` to keep the page's snapshot warm.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lifeline.core.tenancy import scope
from lifeline.reports import dashboard
from lifeline.reports.management.commands.export import member
from lifeline.reports.statistics import DashboardFilters


class Command(BaseCommand):
    help = "Reports on the organisation's work."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        d = sub.add_parser("dashboard", help="the dashboard's figures")
        d.add_argument("--organisation", metavar="SLUG", required=True)
        d.add_argument("--member", metavar="USER", required=True)
        d.add_argument("--refresh", action="store_true", help="compute now, not from the cache")
        d.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: Any, report: str, **options: Any) -> None:
        membership = member(options["organisation"], options["member"], "can_view_statistics")
        with scope(organisation=membership.organisation):
            snapshot = dashboard.dashboard_snapshot(
                actor=membership, filters=DashboardFilters(), refresh=options["refresh"]
            )
            charts = dashboard.charts(snapshot)
        if options["json"]:
            body = {
                "as_of": snapshot.computed_at.isoformat(),
                "computed_in_ms": snapshot.duration_ms,
                "cases": snapshot.data["cases"],
                "charts": {c.id: {"columns": c.csv_header, "rows": c.csv_rows} for c in charts},
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
            return
        age = int((timezone.now() - snapshot.computed_at).total_seconds())
        self.stdout.write(
            f"As of {snapshot.computed_at:%Y-%m-%d %H:%M} UTC ({age} s ago, computed in "
            f"{snapshot.duration_ms} ms); {snapshot.data['cases']:,} cases."
        )
        for chart in charts:
            self.stdout.write(f"\n{chart.title}")
            for row in chart.rows:
                self.stdout.write("  " + " | ".join(str(cell) for cell in row))
            if chart.note:
                self.stdout.write(f"  ({chart.note})")
