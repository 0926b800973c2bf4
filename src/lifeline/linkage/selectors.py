"""Reads for duplicate detection, scoped to the actor's organisation.

Only members who see every person of their organisation (``can_review_duplicates``) compare
persons: a pair is about two persons, and both must be visible.
"""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership, Organisation
from lifeline.cases.models import Request, RequestStatus
from lifeline.linkage.comparison import DEFAULT_MODEL, Comparison, Model, compare
from lifeline.linkage.models import (
    CandidatePair,
    CrossMatch,
    DedupRun,
    MatchModel,
    MergeRecord,
    PairStatus,
)
from lifeline.linkage.profiles import person_profile, request_profile
from lifeline.people.models import ContactHandle, Identifier, Person, PersonName
from lifeline.people.selectors import person_get, persons_matching, visible_persons
from lifeline.people.services import split_names


def reviewable_persons(*, actor: Membership) -> QuerySet[Person]:
    """The persons duplicates are looked for among: none unless the actor may review them."""
    qs = visible_persons(actor=actor)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    return qs.filter(erased_at__isnull=True)


def person_pair(
    *, actor: Membership, uid: UUID | str, other_uid: UUID | str
) -> tuple[Person, Person]:
    """Both persons, or a plain 404 if either is missing or not visible to the actor."""
    return person_get(actor=actor, uid=uid), person_get(actor=actor, uid=other_uid)


def current_model(*, organisation: Organisation | int) -> Model:
    """The model the organisation's pairs are scored with: its newest training, or the
    priors before any run. Parameters only, no personal data: needs no capability."""
    from lifeline.linkage.training import model_from_json

    latest = (
        MatchModel.objects.filter(organisation=organisation)
        .order_by("-version")
        .only("parameters")
        .first()
    )
    return DEFAULT_MODEL if latest is None else model_from_json(latest.parameters)


def match_models(*, actor: Membership) -> QuerySet[MatchModel]:
    """The organisation's trained models, newest first; none for a member who may not review."""
    qs = MatchModel.objects.filter(organisation=actor.organisation)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    return qs.order_by("-version")


def compare_persons(*, a: Person, b: Person) -> Comparison:
    """Compare two persons the caller already fetched through a selector (so: in scope)."""
    model = current_model(organisation=a.organisation_id)
    return compare(person_profile(a), person_profile(b), model=model)


def review_queue(*, actor: Membership, status: str = PairStatus.OPEN) -> QuerySet[CandidatePair]:
    """The organisation's pairs with ``status``, most likely first; none for a member who may
    not review duplicates. Pairs with an erased person are left out."""
    qs = CandidatePair.objects.filter(organisation=actor.organisation, status=status)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    erased = Person.objects.filter(
        organisation=actor.organisation, erased_at__isnull=False, pk=OuterRef("person_a_id")
    )
    erased_b = Person.objects.filter(
        organisation=actor.organisation, erased_at__isnull=False, pk=OuterRef("person_b_id")
    )
    primary = Prefetch(
        "names", queryset=PersonName.objects.filter(is_primary=True), to_attr="primary_names"
    )
    merged = Person.objects.filter(
        organisation=actor.organisation, merged_into__isnull=False, pk=OuterRef("person_a_id")
    )
    merged_b = Person.objects.filter(
        organisation=actor.organisation, merged_into__isnull=False, pk=OuterRef("person_b_id")
    )
    if status in (PairStatus.OPEN, PairStatus.UNSURE):
        qs = qs.exclude(Exists(merged)).exclude(Exists(merged_b))
    return (
        qs.exclude(Exists(erased))
        .exclude(Exists(erased_b))
        .select_related("person_a", "person_b", "decided_by")
        .prefetch_related(
            Prefetch("person_a", queryset=Person.objects.prefetch_related(primary)),
            Prefetch("person_b", queryset=Person.objects.prefetch_related(primary)),
        )
        .order_by("-probability", "pk")
    )


def pair_of(*, actor: Membership, a: Person, b: Person) -> CandidatePair | None:
    """The recorded pair of two persons already fetched through a selector, if any."""
    low, high = (a, b) if a.pk < b.pk else (b, a)
    return CandidatePair.objects.filter(
        organisation=actor.organisation, person_a=low, person_b=high
    ).first()


@dataclass
class Suggestion:
    """A person a new request may be about, with why and how likely."""

    person: Person
    reasons: list[str]
    probability: float


def request_suggestions(*, actor: Membership, req: Request) -> list[Suggestion]:
    """Persons a new request may be about (a shared phone or handle, a similar name), each
    scored against what the request tells, most likely first."""
    if req.status != RequestStatus.NEW:
        return []
    contacts = [(req.subject_contact_kind, req.subject_contact)] if req.subject_contact else []
    found = persons_matching(actor=actor, names=split_names(req.subject_name), contacts=contacts)
    if not found:
        return []
    profile = request_profile(req)
    model = current_model(organisation=actor.organisation)
    persons = {
        p.pk: p
        for p in Person.objects.filter(
            organisation=actor.organisation, pk__in=[p.pk for p, _ in found]
        ).prefetch_related("names", "contacts", "identifiers")
    }
    out = [
        Suggestion(
            person=persons[person.pk],
            reasons=list(dict.fromkeys(reasons)),
            probability=compare(
                profile, person_profile(persons[person.pk]), model=model
            ).probability,
        )
        for person, reasons in found
    ]
    return sorted(out, key=lambda s: (-s.probability, -s.person.pk))


def merge_history(*, actor: Membership) -> QuerySet[MergeRecord]:
    """The organisation's merges, newest first; none for a member who may not review."""
    qs = MergeRecord.objects.filter(organisation=actor.organisation)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    primary = Prefetch(
        "names", queryset=PersonName.objects.filter(is_primary=True), to_attr="primary_names"
    )
    return (
        qs.select_related("merged_by", "undone_by")
        .prefetch_related(
            Prefetch("survivor", queryset=Person.objects.prefetch_related(primary)),
            Prefetch("absorbed", queryset=Person.objects.prefetch_related(primary)),
        )
        .order_by("-merged_at", "-pk")
    )


def merge_get(*, actor: Membership, uid: UUID | str) -> MergeRecord:
    """One merge, or a plain 404 (missing, another organisation's, or not for this actor)."""
    try:
        return merge_history(actor=actor).get(uid=uid)
    except (MergeRecord.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def runs(*, actor: Membership) -> QuerySet[DedupRun]:
    qs = DedupRun.objects.filter(organisation=actor.organisation)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    return qs.order_by("-created_at", "-pk")


def latest_run(*, actor: Membership) -> DedupRun | None:
    return runs(actor=actor).first()


def run_get(*, actor: Membership, uid: UUID | str) -> DedupRun:
    try:
        return runs(actor=actor).get(uid=uid)
    except (DedupRun.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def cross_matches(*, actor: Membership) -> QuerySet[CrossMatch]:
    """Which of the organisation's persons match a partner's records, best first."""
    qs = CrossMatch.objects.filter(
        organisation=actor.organisation,
        person__erased_at__isnull=True,
        person__merged_into__isnull=True,
    )
    if not actor.has("can_review_duplicates"):
        return qs.none()
    primary = Prefetch(
        "names", queryset=PersonName.objects.filter(is_primary=True), to_attr="primary_names"
    )
    return qs.prefetch_related(
        Prefetch("person", queryset=Person.objects.prefetch_related(primary))
    ).order_by("-score", "pk")


@dataclass
class Provenance:
    """The names, contacts and documents on a person that came from one merged record."""

    merge: MergeRecord
    label: str  # the merged record's primary name, as it was on that record
    names: list[PersonName]
    contacts: list[ContactHandle]
    identifiers: list[Identifier]


def merge_provenance(*, actor: Membership, person: Person) -> list[Provenance]:
    """Where the person's rows came from after merges (not undone), oldest merge first.

    A row that moved twice (record C merged into B, then B into A) is credited to the record it
    was first written on (C). Call with a person fetched through a selector, so one the actor
    may see; the rows are the person's own, so no more than the person page shows.
    """
    chain: list[MergeRecord] = []
    frontier = {person.pk}
    while frontier:
        found = list(
            MergeRecord.objects.filter(
                organisation=actor.organisation, survivor_id__in=frontier, undone_at__isnull=True
            ).select_related("merged_by")
        )
        chain += found
        frontier = {record.absorbed_id for record in found} - {r.survivor_id for r in chain}
    if not chain:
        return []
    chain.sort(key=lambda record: (record.merged_at, record.pk))
    origin: dict[tuple[str, int], MergeRecord] = {}
    for record in chain:
        for kind in ("names", "contacts", "identifiers"):
            for pk in record.moved.get(kind, []):
                origin.setdefault((kind, pk), record)
    rows: dict[int, Provenance] = {
        record.pk: Provenance(record, "", [], [], []) for record in chain
    }
    names = list(person.names.all())
    for name in names:
        source = origin.get(("names", name.pk))
        if source is not None:
            rows[source.pk].names.append(name)
            if name.pk in source.moved.get("primary_names", []) and not rows[source.pk].label:
                rows[source.pk].label = name.value
    for contact in person.contacts.all():
        source = origin.get(("contacts", contact.pk))
        if source is not None:
            rows[source.pk].contacts.append(contact)
    for identifier in person.identifiers.all():
        source = origin.get(("identifiers", identifier.pk))
        if source is not None:
            rows[source.pk].identifiers.append(identifier)
    return [p for p in rows.values() if p.names or p.contacts or p.identifiers]
