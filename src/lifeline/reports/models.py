import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedJSONField, EncryptedTextField
from lifeline.core.tenancy import TenantModel

# --- Imports of the spreadsheets networks keep (lifeline.reports.importing) -------------------


class ImportMapping(TenantModel):
    """How the columns of one kind of spreadsheet map to Lifeline's fields, remembered per
    organisation by the signature of its header row (so the next file of the same shape gets
    the mapping proposed). Header texts are column titles, not personal data."""

    signature = models.CharField(max_length=64)
    headers = EncryptedJSONField(default=list)
    columns = EncryptedJSONField(default=dict)  # header -> Lifeline field code ("" = ignored)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "signature"], name="reports_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"mapping {self.signature[:8]}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: map the columns")
    CHECKED = "checked", _("Checked: ready to import")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class ImportBatch(TenantModel):
    """One uploaded spreadsheet on its way in: mapping, dry run, import, and possibly rollback.

    The file itself is personal data: it is kept encrypted in the evidence folder (``blob``)
    only until the import ends or the batch is rolled back or abandoned, then destroyed. The
    problems of the dry run hold row numbers, column titles and codes, never a cell's value.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = EncryptedTextField(blank=True, default="")
    file_format = models.CharField(max_length=4)  # csv / xlsx
    blob = models.CharField(max_length=32, blank=True, default="")
    encoding = models.CharField(max_length=20, blank=True, default="")
    sheet = EncryptedTextField(blank=True, default="")
    sheets = EncryptedJSONField(default=list, blank=True)  # the visible sheets, to choose from
    headers = EncryptedJSONField(default=list)
    signature = models.CharField(max_length=64, blank=True, default="")
    columns = EncryptedJSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    notices = EncryptedJSONField(default=list, blank=True)  # file-level: hidden sheets, merges…
    # [{row, column, field, code, message, blocking}]: column titles, never a cell's value.
    problems = EncryptedJSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # counts and options only
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("reports:import_detail", kwargs={"uid": self.uid})

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def blocking_problems(self) -> int:
        return sum(1 for p in self.problems if p.get("blocking", True))


class ImportedRecord(TenantModel):
    """One object an import created, so that the whole import can be rolled back."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    model = models.CharField(max_length=40)  # "people.person", "cases.case"
    object_id = models.BigIntegerField()
    row = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["batch", "model"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


# --- end of imports --------------------------------------------------------------------------


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
