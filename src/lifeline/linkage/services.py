"""Writes of duplicate detection: decisions on pairs, and the full deduplication run.

Each service validates before writing, owns its transaction and writes its audit entry inside
it. Audit payloads carry ids, codes and counts, never a name, a number or a score's inputs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.core.vocabularies import Gender
from lifeline.linkage import clk, engine
from lifeline.linkage.comparison import Comparison, Profile, compare, comparison_of
from lifeline.linkage.models import (
    DECISIONS,
    CandidatePair,
    CrossMatch,
    DedupRun,
    MatchModel,
    MergeRecord,
    PairSource,
    PairStatus,
    RunStatus,
)
from lifeline.linkage.profiles import person_profile
from lifeline.linkage.selectors import current_model
from lifeline.linkage.training import Training, vector_levels
from lifeline.people.models import ContactHandle, Identifier, NameToken, Person, PersonName
from lifeline.sites.counters import recounting
from lifeline.sites.models import Sighting
from lifeline.sites.sightings import mark_latest

# Pairs the run puts in the review queue: below this, the evidence is too thin to ask anyone.
QUEUE_THRESHOLD = 0.3

Progress = Callable[[str, int, int], None]


def _levels(comparison: Comparison) -> dict[str, str]:
    return {f.field: f.level for f in comparison.fields}


def _check_pair(actor: Membership, person: Person, other: Person) -> tuple[Person, Person]:
    if person.pk == other.pk:
        raise ValidationError(_("A person cannot be a duplicate of themselves."))
    if not (person.organisation_id == other.organisation_id == actor.organisation_id):
        raise ValidationError(_("Persons of different organisations are never linked here."))
    if person.erased_at is not None or other.erased_at is not None:
        raise ValidationError(_("This person's data was erased: there is nothing to compare."))
    if person.merged_into_id is not None or other.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another already."))
    return (person, other) if person.pk < other.pk else (other, person)


@transaction.atomic
def pair_decide(
    *,
    actor: Membership,
    person: Person,
    other: Person,
    decision: str,
    request: HttpRequest | None = None,
) -> CandidatePair:
    """Record that two persons are the same, different, or that the member is not sure.

    A "different" pair is never proposed again by a run; a decision may be changed later (and
    each change is audited). Locks the pair's row.
    """
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose same, different or not sure.")]})
    a, b = _check_pair(actor, person, other)
    model = current_model(organisation=actor.organisation)
    comparison = compare(person_profile(a), person_profile(b), model=model)
    pair, created = CandidatePair.objects.select_for_update().get_or_create(
        organisation=actor.organisation,
        person_a=a,
        person_b=b,
        defaults={"source": PairSource.REVIEW},
    )
    previous = "" if created else pair.status
    pair.status = decision
    pair.probability = comparison.probability
    pair.match_weight = comparison.match_weight
    pair.levels = _levels(comparison)
    pair.decided_by = actor.user
    pair.decided_at = timezone.now()
    pair.save(
        update_fields=[
            "status",
            "probability",
            "match_weight",
            "levels",
            "decided_by",
            "decided_at",
        ]
    )
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="linkage.pair.decided",
        obj=pair,
        payload={"decision": decision, "previous": previous, "person_ids": [a.pk, b.pk]},
        request=request,
    )
    if decision == PairStatus.SAME:
        persons_merge(actor=actor, person=a, other=b, request=request)
    return pair


# --------------------------------------------------------------------------------------------
# The full run
# --------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    persons: int = 0
    compared: int = 0
    proposed: int = 0
    updated: int = 0
    kept_decided: int = 0
    skipped_blocks: int = 0
    trained: bool = False
    model_version: int = 0
    seconds: float = 0.0

    def as_payload(self) -> dict[str, int | float | bool]:
        return {
            "persons": self.persons,
            "compared": self.compared,
            "proposed": self.proposed,
            "updated": self.updated,
            "kept_decided": self.kept_decided,
            "skipped_blocks": self.skipped_blocks,
            "trained": self.trained,
            "model_version": self.model_version,
            "seconds": round(self.seconds, 2),
        }


def organisation_profiles(*, organisation: Organisation) -> dict[int, Profile]:
    """Every live person's profile, decrypted in memory (call inside the organisation's scope)."""
    persons = Person.objects.filter(
        organisation=organisation, erased_at__isnull=True, merged_into__isnull=True
    ).order_by("pk")
    names: dict[int, list[PersonName]] = {}
    contacts: dict[int, list[ContactHandle]] = {}
    identifiers: dict[int, list[Identifier]] = {}
    for row in PersonName.objects.filter(organisation=organisation).order_by("pk"):
        names.setdefault(row.person_id, []).append(row)
    for contact in ContactHandle.objects.filter(organisation=organisation):
        contacts.setdefault(contact.person_id, []).append(contact)
    for identifier in Identifier.objects.filter(organisation=organisation):
        identifiers.setdefault(identifier.person_id, []).append(identifier)
    return {
        person.pk: person_profile(
            person,
            names=names.get(person.pk, []),
            contacts=contacts.get(person.pk, []),
            identifiers=identifiers.get(person.pk, []),
        )
        for person in persons.iterator(chunk_size=2000)
    }


def _noop(stage: str, done: int, total: int) -> None:
    return None


def dedup_run(
    *,
    organisation: Organisation,
    actor: Membership | None = None,
    progress: Progress = _noop,
    threshold: float = QUEUE_THRESHOLD,
    run: DedupRun | None = None,
    workers: int = 1,
) -> RunResult:
    """Compare the organisation's candidate pairs, train the model on them and fill the
    review queue.

    Each candidate pair is compared once into a comparison vector; the model is trained on
    the organisation's data (lifeline.linkage.training: u by random sampling, m by EM), stored
    as a new version, and scores the vectors. Merged records are not read (their data lives on
    the record they were merged into). Pairs already decided (same, different) are left as
    they are and never proposed again; open and not-sure pairs get their new probability.
    Call inside the organisation's scope. The comparing happens outside any transaction (in
    ``workers`` forked processes when more than 1: the command line's choice; a web process's
    task keeps 1); the model and the queue are written in one transaction each.
    """
    import numpy as np

    started = time.monotonic()
    result = RunResult()
    progress("reading", 0, 1)
    by_id = organisation_profiles(organisation=organisation)
    ids, profiles = list(by_id), list(by_id.values())
    del by_id
    result.persons = len(profiles)
    scored_pairs = engine.score(profiles, workers=workers, progress=progress)
    result.compared = len(scored_pairs.first)
    result.skipped_blocks = scored_pairs.skipped_blocks
    training = scored_pairs.training
    result.trained = training.trained
    result.model_version = _model_save(organisation=organisation, training=training, run=run)
    cut = math.log2(threshold / (1 - threshold))
    # A pair is stored lower id first (the pair table's check constraint), whichever of the two
    # the engine put first.
    scored = [
        (
            *sorted((ids[scored_pairs.first[i]], ids[scored_pairs.second[i]])),
            comparison_of(
                vector_levels(scored_pairs.vectors[i]),
                float(scored_pairs.tf_u[i]),
                model=training.model,
            ),
        )
        for i in np.flatnonzero(scored_pairs.weights >= cut)
    ]
    total = result.compared
    progress("recording", 0, len(scored))
    _record(organisation=organisation, scored=scored, result=result)
    result.seconds = time.monotonic() - started
    with transaction.atomic():
        audit_log(
            actor=actor.user if actor else None,
            organisation=organisation,
            action="linkage.run.completed",
            payload=result.as_payload(),
        )
    progress("done", total, total)
    return result


@transaction.atomic
def _model_save(*, organisation: Organisation, training: Training, run: DedupRun | None) -> int:
    """Store what the training learnt as the organisation's next model version (locks the
    organisation's models so that two runs never take one version)."""
    latest = (
        MatchModel.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-version")
        .first()
    )
    version = latest.version + 1 if latest else 1
    MatchModel.objects.create(
        organisation=organisation,
        version=version,
        trained=training.trained,
        reason=training.reason,
        parameters=training.parameters(),
        persons=training.persons,
        pairs=training.pairs,
        u_samples=training.u_samples,
        em_pairs=training.em_pairs,
        iterations=training.iterations,
        run=run,
    )
    return version


@transaction.atomic
def _record(
    *,
    organisation: Organisation,
    scored: Iterable[tuple[int, int, Comparison]],
    result: RunResult,
) -> None:
    existing = {
        (pair.person_a_id, pair.person_b_id): pair
        for pair in CandidatePair.objects.filter(organisation=organisation).select_for_update()
    }
    new: list[CandidatePair] = []
    changed: list[CandidatePair] = []
    for a, b, comparison in scored:
        pair = existing.get((a, b))
        if pair is None:
            new.append(
                CandidatePair(
                    organisation=organisation,
                    person_a_id=a,
                    person_b_id=b,
                    probability=comparison.probability,
                    match_weight=comparison.match_weight,
                    levels=_levels(comparison),
                    source=PairSource.RUN,
                )
            )
        elif pair.status in (PairStatus.OPEN, PairStatus.UNSURE):
            pair.probability = comparison.probability
            pair.match_weight = comparison.match_weight
            pair.levels = _levels(comparison)
            changed.append(pair)
        else:
            result.kept_decided += 1
    CandidatePair.objects.bulk_create(new, batch_size=1000)
    CandidatePair.objects.bulk_update(
        changed, ["probability", "match_weight", "levels"], batch_size=1000
    )
    result.proposed = len(new)
    result.updated = len(changed)


@transaction.atomic
def run_start(*, actor: Membership, request: HttpRequest | None = None) -> DedupRun:
    """Queue a full deduplication of the actor's organisation (the caller enqueues the task
    with the run's id). Refused while another run of the organisation is queued or running."""
    busy = DedupRun.objects.select_for_update().filter(
        organisation=actor.organisation, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    if busy.exists():
        raise ValidationError(_("A search for duplicates is already running: wait for it to end."))
    run = DedupRun.objects.create(organisation=actor.organisation, started_by=actor.user)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="linkage.run.started",
        obj=run,
        request=request,
    )
    return run


def run_execute(*, run: DedupRun) -> DedupRun:
    """Carry out a queued run, writing its progress to the row as it goes (the task calls
    this inside the organisation's scope). A failure is recorded, then raised."""
    organisation = run.organisation
    DedupRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != "comparing" or now - last[0] > 1.0:
            last[0] = now
            DedupRun.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

    actor = None
    if run.started_by_id is not None:
        actor = Membership.objects.filter(
            organisation=organisation, user_id=run.started_by_id
        ).first()
    try:
        result = dedup_run(organisation=organisation, actor=actor, progress=progress, run=run)
    except Exception:
        DedupRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now()
        )
        raise
    DedupRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, result=result.as_payload(), finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


# --------------------------------------------------------------------------------------------
# Merging, and undoing a merge
# --------------------------------------------------------------------------------------------

# Fields of the survivor filled from the absorbed record when the survivor's is empty.
FILLABLE = ("birth_date", "age", "citizenship", "gender", "nationalities", "languages", "notes")


def _empty(field_name: str, value: object) -> bool:
    if field_name == "gender":
        return value in ("", Gender.UNKNOWN)
    return value in (None, "", [])


def _empty_value(field_name: str) -> object:
    return {"gender": Gender.UNKNOWN, "birth_date": None, "nationalities": [], "languages": []}.get(
        field_name, ""
    )


def _age_band(person: Person) -> str:
    from lifeline.people.services import _derived_age_band

    age = int(person.age) if str(person.age).isdigit() else None
    return _derived_age_band(age=age, birth_date=person.birth_date)


def _locked(*persons: Person) -> list[Person]:
    ids = sorted(p.pk for p in persons)
    rows = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids)}
    return [rows[p.pk] for p in persons]


@transaction.atomic
def persons_merge(
    *, actor: Membership, person: Person, other: Person, request: HttpRequest | None = None
) -> MergeRecord:
    """Merge two records of one person: the older (lower id) survives.

    The absorbed record's names (with their search tokens), contacts, documents, cases and sightings move
    to the survivor; the survivor's empty fields are filled from it; the absorbed record is
    hidden (``merged_into``) but keeps its own fields so that ``merge_undo`` can restore it.
    Refused for a person with themselves, across organisations, or for an erased or already
    merged record. Locks both person rows.
    """
    survivor, absorbed = _check_pair(actor, person, other)
    survivor, absorbed = _locked(survivor, absorbed)
    _check_pair(actor, survivor, absorbed)  # again, under the lock
    names = list(PersonName.objects.filter(person=absorbed).values_list("pk", "is_primary"))
    moved: dict[str, list[Any]] = {
        "names": [pk for pk, _primary in names],
        "primary_names": [pk for pk, primary in names if primary],
        "contacts": list(
            ContactHandle.objects.filter(person=absorbed).values_list("pk", flat=True)
        ),
        "identifiers": list(
            Identifier.objects.filter(person=absorbed).values_list("pk", flat=True)
        ),
        "cases": list(Case.objects.filter(person=absorbed).values_list("pk", flat=True)),
        "sightings": list(Sighting.objects.filter(person=absorbed).values_list("pk", flat=True)),
        "fields": [],
    }
    PersonName.objects.filter(pk__in=moved["names"]).update(person=survivor, is_primary=False)
    NameToken.objects.filter(name_id__in=moved["names"]).update(person=survivor)
    ContactHandle.objects.filter(pk__in=moved["contacts"]).update(person=survivor)
    Identifier.objects.filter(pk__in=moved["identifiers"]).update(person=survivor)
    # The absorbed record's latest sighting stops being a latest one, and its cases follow it.
    with recounting(person_ids=[survivor.pk, absorbed.pk]):
        Case.objects.filter(pk__in=moved["cases"]).update(person=survivor)
        Sighting.objects.filter(pk__in=moved["sightings"]).update(person=survivor)
        mark_latest(survivor)
    for field_name in FILLABLE:
        value = getattr(absorbed, field_name)
        if _empty(field_name, getattr(survivor, field_name)) and not _empty(field_name, value):
            setattr(survivor, field_name, value)
            moved["fields"].append(field_name)
    now = timezone.now()
    survivor.age_band = _age_band(survivor)
    survivor.version += 1
    survivor.updated_at = now
    survivor.save(update_fields=[*moved["fields"], "age_band", "version", "updated_at"])
    absorbed.merged_into = survivor
    absorbed.version += 1
    absorbed.updated_at = now
    absorbed.save(update_fields=["merged_into", "version", "updated_at"])
    record = MergeRecord.objects.create(
        organisation=actor.organisation,
        survivor=survivor,
        absorbed=absorbed,
        moved=moved,
        merged_by=actor.user,
        merged_at=now,
    )
    CandidatePair.objects.filter(
        organisation=actor.organisation, person_a=survivor, person_b=absorbed
    ).update(status=PairStatus.SAME, decided_by=actor.user, decided_at=now)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="linkage.persons.merged",
        obj=record,
        payload={
            "person_ids": [survivor.pk, absorbed.pk],
            **{key: len(value) for key, value in moved.items() if key != "fields"},
            "fields": moved["fields"],
        },
        request=request,
    )
    return record


def _move_back(model: type, ids: list[int], *, survivor: Person, absorbed: Person) -> int:
    """Move the rows of ``ids`` still on the survivor back to the absorbed record."""
    qs = model.objects.filter(pk__in=ids, person=survivor)  # type: ignore[attr-defined]
    return int(qs.update(person=absorbed))


@transaction.atomic
def merge_undo(
    *, actor: Membership, record: MergeRecord, request: HttpRequest | None = None
) -> MergeRecord:
    """Undo a merge: what moved goes back, the filled fields are emptied again.

    Changes made since the merge are kept, and the report says so: a row added to the survivor
    after the merge stays on it; a moved row deleted since cannot come back (counted); a field
    filled by the merge and changed since keeps its new value. The pair goes back to "not
    sure". Refused if the merge was undone already or either record was erased. Locks both
    person rows and the record.
    """
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise ValidationError(_("This merge was undone already."))
    survivor, absorbed = _locked(record.survivor, record.absorbed)
    if survivor.erased_at is not None or absorbed.erased_at is not None:
        raise ValidationError(_("This person's data was erased: the merge cannot be undone."))
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("The surviving record was merged again since: undo that merge first.")
        )
    moved = record.moved
    report: dict[str, object] = {}
    back = PersonName.objects.filter(pk__in=moved["names"], person=survivor)
    report["names"] = back.update(person=absorbed)
    NameToken.objects.filter(name_id__in=moved["names"]).update(person=absorbed)
    PersonName.objects.filter(pk__in=moved["primary_names"]).update(is_primary=True)
    report["contacts"] = _move_back(
        ContactHandle, moved["contacts"], survivor=survivor, absorbed=absorbed
    )
    report["identifiers"] = _move_back(
        Identifier, moved["identifiers"], survivor=survivor, absorbed=absorbed
    )
    with recounting(person_ids=[survivor.pk, absorbed.pk]):
        report["cases"] = _move_back(Case, moved["cases"], survivor=survivor, absorbed=absorbed)
        # Merges recorded before sightings existed moved none.
        report["sightings"] = _move_back(
            Sighting, moved.get("sightings", []), survivor=survivor, absorbed=absorbed
        )
        mark_latest(survivor)
        mark_latest(absorbed)
    report["gone"] = sum(
        len(moved.get(key, [])) - int(report[key])  # type: ignore[call-overload]
        for key in ("names", "contacts", "identifiers", "cases", "sightings")
    )
    since = record.merged_at
    report["kept_added_since"] = (
        PersonName.objects.filter(person=survivor, created_at__gt=since).count()
        + ContactHandle.objects.filter(person=survivor, created_at__gt=since).count()
        + Identifier.objects.filter(person=survivor, created_at__gt=since).count()
    )
    emptied, kept = [], []
    for field_name in moved["fields"]:
        if getattr(survivor, field_name) == getattr(absorbed, field_name):
            setattr(survivor, field_name, _empty_value(field_name))
            emptied.append(field_name)
        else:
            kept.append(field_name)
    report["fields_emptied"], report["fields_kept"] = emptied, kept
    now = timezone.now()
    survivor.age_band = _age_band(survivor)
    survivor.version += 1
    survivor.updated_at = now
    survivor.save(update_fields=[*emptied, "age_band", "version", "updated_at"])
    absorbed.merged_into = None
    absorbed.version += 1
    absorbed.updated_at = now
    absorbed.save(update_fields=["merged_into", "version", "updated_at"])
    record.undone_at, record.undone_by, record.undo_report = now, actor.user, report
    record.save(update_fields=["undone_at", "undone_by", "undo_report"])
    CandidatePair.objects.filter(
        organisation=actor.organisation, person_a=survivor, person_b=absorbed
    ).update(status=PairStatus.UNSURE, decided_by=actor.user, decided_at=now)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="linkage.merge.undone",
        obj=record,
        payload={"person_ids": [survivor.pk, absorbed.pk], **report},
        request=request,
    )
    return record


# --------------------------------------------------------------------------------------------
# Across organisations, without pooling data
# --------------------------------------------------------------------------------------------

CROSS_THRESHOLD = 0.8


def encodings_export(
    *, actor: Membership, secret: str, request: HttpRequest | None = None
) -> bytes:
    """The organisation's persons as keyed Bloom filters (lifeline.linkage.clk), to send to a
    partner who holds the same secret. Audited with the count; the secret is never stored."""
    try:
        clk.check_secret(secret)
    except clk.EncodingError as exc:
        raise ValidationError({"secret": [str(exc)]}) from None
    profiles = organisation_profiles(organisation=actor.organisation)
    data, refs = clk.dump(profiles=profiles, secret=secret, organisation=actor.organisation.name)
    with transaction.atomic():
        audit_log(
            actor=actor.user,
            organisation=actor.organisation,
            action="linkage.encodings.exported",
            payload={"records": len(refs), "schema_version": clk.SCHEMA_VERSION},
            request=request,
        )
    return data


def encodings_import(
    *,
    actor: Membership,
    data: bytes,
    secret: str,
    threshold: float = CROSS_THRESHOLD,
    request: HttpRequest | None = None,
) -> list[CrossMatch]:
    """Compare a partner's encodings file with the organisation's persons and record which of
    ours match one of theirs (replacing the last results from the same partner).

    A file made with another secret or schema version, or a damaged one, is refused with a
    clear message and the refusal is audited; nothing else changes.
    """
    try:
        theirs = clk.load(data, secret=secret)
    except clk.EncodingError as exc:
        with transaction.atomic():
            audit_log(
                actor=actor.user,
                organisation=actor.organisation,
                action="linkage.encodings.refused",
                payload={"size": len(data)},
                request=request,
            )
        raise ValidationError({"file": [str(exc)]}) from None
    profiles = organisation_profiles(organisation=actor.organisation)
    ours = [(pid, clk.encode(p, secret=secret)) for pid, p in profiles.items() if p.names]
    found = clk.matches(ours, theirs, threshold=threshold)
    with transaction.atomic():
        CrossMatch.objects.filter(
            organisation=actor.organisation, partner=theirs.organisation
        ).delete()
        rows = CrossMatch.objects.bulk_create(
            CrossMatch(
                organisation=actor.organisation,
                person_id=person_id,
                partner=theirs.organisation,
                their_ref=ref,
                score=score,
                imported_by=actor.user,
            )
            for person_id, ref, score in found
        )
        audit_log(
            actor=actor.user,
            organisation=actor.organisation,
            action="linkage.encodings.imported",
            payload={"records": len(theirs.records), "matches": len(rows)},
            request=request,
        )
    return rows
