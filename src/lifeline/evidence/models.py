"""Evidence files attached to a case, a request or a site, and their chain of custody."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel


class Evidence(TenantModel):
    """One uploaded file. Its content lives encrypted in a blob (``lifeline.evidence.storage``)
    named ``blob_name``; ``sha256`` is the digest of the original bytes, taken at upload.

    It belongs to exactly one parent: a case, a request or a site (photos of a compound,
    satellite images, a company registry extract)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    request = models.ForeignKey(
        "cases.Request", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    original_name = EncryptedTextField(_("file name"), blank=True, default="")
    description = EncryptedTextField(_("description"), blank=True, default="")
    media_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    blob_name = models.CharField(max_length=32, unique=True)
    preview_blob_name = models.CharField(max_length=32, unique=True, null=True, blank=True)
    preview_media_type = models.CharField(max_length=32, blank=True)
    preview_sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the files were destroyed and the names scrubbed (lifeline.privacy); the row and
    # its custody trail stay.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(case__isnull=False, request__isnull=True, site__isnull=True)
                    | Q(case__isnull=True, request__isnull=False, site__isnull=True)
                    | Q(case__isnull=True, request__isnull=True, site__isnull=False)
                ),
                name="evidence_exactly_one_parent",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "case", "-created_at"]),
            models.Index(fields=["organisation", "request", "-created_at"]),
            models.Index(fields=["organisation", "site", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Evidence {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", kwargs={"uid": self.uid})


class CustodyAction(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VIEWED = "viewed", _("Viewed")
    PREVIEWED = "previewed", _("Preview shown")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
    SHARED = "shared", _("Shared")
    ERASED = "erased", _("Erased")


class CustodyEvent(TenantModel):
    """One handling of one evidence file. ``detail`` holds codes and ids, never personal data;
    the same handling is also in the audit log (``evidence.evidence.<action>``)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(max_length=16, choices=CustodyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["evidence", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.evidence_id}"
