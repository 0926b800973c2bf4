from django.conf import settings
from django.db import models
from django.utils import timezone

from lifeline.core.tenancy import TenantModel

# Dashboard and statistical exports (part A) -------------------------------------------------


class DashboardSnapshot(TenantModel):
    """The dashboard's figures for one organisation and one set of filters, as computed at
    ``computed_at``: aggregates only (codes and counts, no personal data), shown with their
    age so that a reader knows how fresh they are."""

    # SHA-256 of the filters and of whether site names are included (lifeline.reports.dashboard).
    key = models.CharField(max_length=64)
    filters = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="dashboard_snapshot_key")
        ]

    def __str__(self) -> str:
        return f"dashboard {self.key[:8]} at {self.computed_at:%Y-%m-%d %H:%M}"


# End of part A ------------------------------------------------------------------------------
