"""How long personal data is kept, and what the retention runs erased."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureReason(models.TextChoices):
    SUBJECT_REQUEST = "subject_request", _("The person asked for their data to be erased")
    SURVIVOR_WISH = "survivor_wish", _("The survivor does not want to be on record")
    ENTERED_IN_ERROR = "entered_in_error", _("Recorded by mistake")
    RETENTION = "retention", _("The retention period ended")


DEFAULT_CLOSED_CASE_DAYS = 730
DEFAULT_REJECTED_REQUEST_DAYS = 90


class RetentionPolicy(models.Model):
    """Per organisation: how long closed cases and rejected requests keep their personal data.

    Not a TenantModel: an organisation admin (who sees no personal data) edits it, and the
    daily run reads every organisation's.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="retention_policy"
    )
    closed_case_days = models.PositiveIntegerField(
        _("keep closed cases for (days)"),
        null=True,
        blank=True,
        default=DEFAULT_CLOSED_CASE_DAYS,
        help_text=_("Empty keeps them until someone erases them."),
    )
    rejected_request_days = models.PositiveIntegerField(
        _("keep rejected requests for (days)"),
        null=True,
        blank=True,
        default=DEFAULT_REJECTED_REQUEST_DAYS,
        help_text=_("Empty keeps them until someone erases them."),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"retention of {self.organisation_id}"


class RetentionRun(models.Model):
    """One application of an organisation's policy: what it erased, in counts."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    ran_at = models.DateTimeField(default=timezone.now)
    closed_case_days = models.PositiveIntegerField(null=True)
    rejected_request_days = models.PositiveIntegerField(null=True)
    cases_erased = models.PositiveIntegerField(default=0)
    persons_erased = models.PositiveIntegerField(default=0)
    requests_erased = models.PositiveIntegerField(default=0)
    audit_payloads_scrubbed = models.PositiveIntegerField(default=0)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ran_at"]
        indexes = [models.Index(fields=["organisation", "-ran_at"])]

    def __str__(self) -> str:
        return f"retention run {self.pk}"
