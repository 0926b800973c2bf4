"""What the public pages keep besides the request itself: the receipt that lets a sender
check in later, and the check-ins. Codes, tokens and duress words are kept only as keyed
hashes (lifeline.core.crypto.blind_index): a copy of the database does not reveal them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel


class Receipt(TenantModel):
    """The receipt of one public request: its code and the form's one-time token, hashed.

    ``token_digest`` is unique, so a form submitted twice (a flaky network, a reload) makes one
    request: the second submission finds the first one's receipt."""

    request = models.OneToOneField(
        "cases.Request", on_delete=models.CASCADE, related_name="receipt"
    )
    token_digest = models.CharField(max_length=32, unique=True)
    code_digest = models.CharField(max_length=32, unique=True)
    duress_digest = models.CharField(max_length=32, blank=True)
    # Its length in characters, so that a check-in's message is searched for it in one pass
    # (the word itself is known only by its keyed hash).
    duress_length = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"receipt of {self.request_id}"


class CheckInStatus(models.TextChoices):
    STILL_THERE = "still_there", _("Still there")
    MOVED = "moved", _("Moved")
    SAFE = "safe", _("Safe now")
    IN_DANGER = "in_danger", _("In danger now")


class CheckIn(TenantModel):
    """A sender's later word about a request, through its receipt code."""

    request = models.ForeignKey("cases.Request", on_delete=models.CASCADE, related_name="checkins")
    status = models.CharField(_("status"), max_length=12, choices=CheckInStatus.choices)
    message = EncryptedTextField(_("message"), blank=True, default="")
    # Set when the message held the duress word agreed at intake. The sender's page never
    # shows it; coordinators see it loudly.
    under_duress = models.BooleanField(default=False)
    language = models.CharField(max_length=12, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "request", "-received_at"])]

    def __str__(self) -> str:
        return f"check-in {self.status} on {self.request_id}"
