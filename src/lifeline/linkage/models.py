"""Candidate pairs of persons and the decisions taken on them.

A pair holds two persons of one organisation (the lower id first), the probability and the
levels of its last comparison (codes only: "exact", "same", "missing"…, never a field's
value), and the decision. A "different" decision stays, so the pair is never proposed again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.tenancy import TenantModel
from lifeline.people.models import Person


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    UNSURE = "unsure", _("Not sure")
    DIFFERENT = "different", _("Different persons")
    SAME = "same", _("Same person")


class PairSource(models.TextChoices):
    REVIEW = "review", _("Compared by a member")
    RUN = "run", _("Full deduplication")


DECISIONS = (PairStatus.SAME, PairStatus.DIFFERENT, PairStatus.UNSURE)


class CandidatePair(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(default=0.0)
    match_weight = models.FloatField(default=0.0)
    levels = models.JSONField(default=dict, blank=True)  # field -> level code
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    source = models.CharField(max_length=8, choices=PairSource.choices, default=PairSource.RUN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person_a", "person_b"], name="linkage_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="linkage_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-probability"])]

    def __str__(self) -> str:
        return f"pair {self.uid}"


class MergeRecord(TenantModel):
    """One merge of ``absorbed`` into ``survivor``, recorded so that it can be undone exactly.

    ``moved`` lists the ids of the rows that moved (names, contacts, documents, cases), the
    names that were primary on the absorbed record, and the fields of the survivor that were
    empty and were filled from the absorbed record: ids and field names only, never a value.
    The absorbed record keeps its own fields (encrypted, hidden while merged).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    absorbed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    # What the undo did: counts moved back, and what it left on the survivor (changed since).
    undo_report = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-merged_at"])]

    def __str__(self) -> str:
        return f"merge {self.uid}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DedupRun(TenantModel):
    """One full deduplication of an organisation, with its progress and its counts."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stage = models.CharField(max_length=12, blank=True, default="")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # counts only
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"run {self.uid}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class CrossMatch(TenantModel):
    """ "A record of yours matches one of theirs": one of the organisation's persons against an
    opaque reference in a partner's encodings file, with the Dice score of the two filters."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    partner = models.CharField(max_length=200)  # the organisation named in their file
    their_ref = models.CharField(max_length=32)
    score = models.FloatField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "-score"])]

    def __str__(self) -> str:
        return f"cross match {self.pk}"


class MatchModel(TenantModel):
    """What one training learnt on the organisation's data: the m and u probabilities of each
    comparison level and the prior odds of a candidate pair (lifeline.linkage.training's JSON,
    versioned), or the priors when there was too little data (``trained`` False, ``reason``
    says why). The newest version scores the organisation's pairs, at intake and in runs.
    Parameters only: no person's value is in it."""

    class Reason(models.TextChoices):
        NONE = "", _("Trained")
        PERSONS = "persons", _("Too few persons to learn from")
        PAIRS = "pairs", _("Too few candidate pairs to learn from")

    version = models.PositiveIntegerField()
    trained = models.BooleanField(default=False)
    reason = models.CharField(max_length=8, choices=Reason.choices, blank=True, default="")
    parameters = models.JSONField(default=dict)
    persons = models.PositiveIntegerField(default=0)
    pairs = models.PositiveBigIntegerField(default=0)
    u_samples = models.PositiveIntegerField(default=0)
    em_pairs = models.PositiveIntegerField(default=0)
    iterations = models.PositiveSmallIntegerField(default=0)
    run = models.ForeignKey(
        DedupRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="linkage_match_model_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"match model v{self.version}"
