from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditChainHead(models.Model):
    """A single row locked by every append, so that sequence numbers and hashes form one chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at {self.seq}"


class AuditEvent(models.Model):
    """Who viewed, changed, exported or shared what. Append-only and hash-chained.

    ``payload`` holds field names, ids and codes, never personal data. ``payload_digest`` is
    chained instead of the payload itself so that an erasure can scrub a payload and leave a
    verifiable record that it did.
    """

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    session_ref = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    payload_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["organisation", "object_type", "object_id"]),
            models.Index(fields=["organisation", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"
