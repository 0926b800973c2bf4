"""DemoBuilder: one organisation's requests, persons and cases, made through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from lifeline.accounts.models import Membership
from lifeline.accounts.roles import Role
from lifeline.cases import services as case_services
from lifeline.cases.models import Case, Request, TimelineEvent
from lifeline.cases.workflow import Urgency
from lifeline.core.demo.journeys import (
    _AFTER_RESCUE,
    _SIGN_TO_CONTROL,
    DECIDED_BY,
    PATHS,
    RARER_EXPLOITATION,
    RECRUITMENT_WEIGHTS,
    RELATIONSHIP_WEIGHTS,
    USUAL_CONTROLS,
    S,
    _weighted,
    plan_statuses,
)
from lifeline.core.demo.organisations import HISTORY_DAYS, DemoOrganisation, Summary
from lifeline.core.demo.people_data import (
    PHONE_STYLES,
    PROFILES,
    F,
    M,
    Profile,
    Victim,
    names_match,
    phone_as_typed,
    random_handle,
    random_phone,
)
from lifeline.core.demo.texts import (
    _PHASE,
    MOVE_REASONS,
    NOTES,
    PLACES,
    REJECTED_TEXTS,
    SIGN_WEIGHTS,
    WORDS,
    Place,
)
from lifeline.core.vocabularies import TraffickingStatus, TypeOfExploitation
from lifeline.people.models import NameKind, Person
from lifeline.people.services import ContactInput, IdentifierInput, NameInput, person_create


class DemoBuilder:
    """Builds one organisation's workspace. Must run inside a transaction and a scope for
    that organisation (``build_demo`` does both)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: dt.datetime,
        spec: DemoOrganisation,
        members: dict[str, Membership],
    ) -> None:
        self.rng, self.now, self.spec, self.members = rng, now, spec, members
        self.coordinator = members[
            next(u.username for u in spec.users if u.role == Role.COORDINATOR)
        ]
        self.caseworkers = [members[u.username] for u in spec.users if u.role == Role.CASEWORKER]
        self.victims: list[Victim] = []
        self.summary = Summary()

    # -- helpers ------------------------------------------------------------------------------

    def _profile(self) -> Profile:
        return PROFILES[_weighted(self.rng, dict(self.spec.profiles))]

    def _victim(self, profile: Profile) -> Victim:
        gender = self.rng.choices([M, F], weights=[60, 40])[0]
        native, romanised, country = profile.make_name(self.rng, gender)
        return Victim(profile, native, romanised, country, gender, random_phone(self.rng, country))

    def _phone_text(self, victim: Victim, *, avoid: str = "") -> str:
        styles = [s for s in PHONE_STYLES if s != avoid]
        return phone_as_typed(
            victim.phone, self.rng.choice(styles), default_region=self.spec.phone_region
        )

    def _report(self, victim: Victim, relation: str, signs: Sequence[str], place: Place) -> str:
        words = WORDS[victim.profile.key]
        parts = [words[relation].format(place=place.local.get(victim.profile.key, place.english))]
        parts += [words[sign] for sign in signs]
        if self.rng.random() < 0.6:
            parts.append(self.rng.choice(words["lures"]))
        parts.append(self.rng.choice(words["closings"]))
        return " ".join(part for part in parts if part)

    def _signs(self) -> list[str]:
        count = self.rng.choices([0, 1, 2, 3], weights=[15, 35, 35, 15])[0]
        signs: list[str] = []
        while len(signs) < count:
            sign = _weighted(self.rng, SIGN_WEIGHTS)
            if sign not in signs:
                signs.append(sign)
        return signs

    def _past(self, *, max_days: float = HISTORY_DAYS, min_days: float = 0.0) -> dt.datetime:
        # Skewed towards recent months: the desk has grown.
        days = min_days + (max_days - min_days) * self.rng.random() ** 1.4
        return self.now - dt.timedelta(days=days, minutes=self.rng.randint(5, 600))

    def _request(
        self,
        victim: Victim,
        *,
        received_at: dt.datetime,
        subject_name: str | None = None,
        phone_style_avoid: str = "",
        with_contact: bool = True,
    ) -> Request:
        rng = self.rng
        relation = rng.choices(["self", "family", "friend"], weights=[30, 50, 20])[0]
        signs = self._signs()
        place = rng.choice(PLACES)
        values: dict[str, Any] = {
            "channel": rng.choice(victim.profile.channels),
            "reporter_relation": relation,
            "language": victim.profile.language,
            "subject_name": victim.native if subject_name is None else subject_name,
            "location_text": place.text(rng, victim.profile.key),
            "text": self._report(victim, relation, signs, place),
            "danger_signs": signs,
            "received_at": received_at,
        }
        if with_contact:
            kind = "whatsapp" if values["channel"] == "whatsapp" else "phone"
            values |= {
                "subject_contact_kind": kind,
                "subject_contact": self._phone_text(victim, avoid=phone_style_avoid),
            }
        if relation != "self" and rng.random() < 0.7:
            reporter = self._victim(victim.profile)
            values |= {
                "reporter_name": reporter.native,
                "reporter_contact_kind": "phone",
                "reporter_contact": phone_as_typed(
                    reporter.phone, "international", default_region=""
                ),
            }
        # A caseworker who takes a call may log it too.
        actor = rng.choice([self.coordinator] * 4 + self.caseworkers[:1])
        self.summary.requests += 1
        return case_services.request_create(actor=actor, **values)

    def _person(self, victim: Victim, *, created_at: dt.datetime) -> Person:
        rng = self.rng
        names = [NameInput(value=victim.native)]
        if victim.romanised and victim.romanised != victim.native and rng.random() < 0.55:
            names.append(NameInput(value=victim.romanised, kind=NameKind.ROMANISED))
        contacts = [ContactInput(kind="phone", value=victim.phone, is_safe=rng.random() < 0.3)]
        if rng.random() < 0.4:
            kind = rng.choice(victim.profile.handle_kinds)
            value = (
                victim.phone
                if kind == "whatsapp"
                else random_handle(rng, kind, victim.romanised or victim.native)
            )
            contacts.append(ContactInput(kind=kind, value=value))
        identifiers = []
        if rng.random() < 0.3:
            number = rng.choice("EGKP") + "".join(rng.choice("0123456789") for _ in range(8))
            identifiers.append(
                IdentifierInput(kind="passport", value=number, country=victim.country)
            )
        age = rng.choice([None, *range(17, 46)]) if rng.random() < 0.85 else None
        person = person_create(
            actor=self.coordinator,
            names=names,
            gender=victim.gender,
            age=age,
            citizenship=victim.country,
            languages=[victim.profile.language],
            contacts=contacts,
            identifiers=identifiers,
        )
        Person.objects.filter(pk=person.pk).update(created_at=created_at, updated_at=created_at)
        self.summary.persons += 1
        return person

    def _stamp(self, case: Case, marker: dt.datetime, when: dt.datetime) -> None:
        """Move the timeline rows written since ``marker`` to ``when`` (the services stamp now)."""
        TimelineEvent.objects.filter(case=case, recorded_at__gte=marker).update(
            occurred_at=when, recorded_at=when
        )

    # -- one case -----------------------------------------------------------------------------

    def case(self, target: str, *, victim: Victim | None = None) -> Case:
        rng = self.rng
        victim = victim or self._victim(self._profile())
        repeat = victim.person is not None
        path = rng.choice(PATHS[target])
        # Journeys that went further started longer ago.
        received = self._past(min_days=min(2.0 * len(path), 60.0))
        if repeat and victim.case is not None:
            received = self.now - (self.now - victim.case.created_at) * rng.uniform(0.05, 0.5)
        req = self._request(victim, received_at=received)
        created = min(
            received + dt.timedelta(minutes=rng.randint(20, 2000)),
            self.now - dt.timedelta(minutes=30),
        )
        if victim.person is None:
            victim.person = self._person(victim, created_at=created)
        marker = timezone.now()
        case = case_services.request_open_case(
            actor=self.coordinator, req=req, person=victim.person
        )
        TimelineEvent.objects.filter(case=case, recorded_at__gte=marker).update(recorded_at=created)
        Request.objects.filter(pk=req.pk).update(triaged_at=created)

        actions = self._plan(case, path)
        span = min(
            (self.now - created).total_seconds() - 600, len(actions) * rng.uniform(1, 9) * 86400
        )
        times = sorted(
            created + dt.timedelta(seconds=rng.uniform(60, max(span, 120))) for _ in actions
        )
        worker = self.coordinator
        status = S.REPORTED
        last_move = created
        for (action, arg), when in zip(actions, times, strict=True):
            marker = timezone.now()
            if action == "assign":
                worker = rng.choice(self.caseworkers) if self.caseworkers else self.coordinator
                case_services.case_assign(actor=self.coordinator, case=case, assignee=worker)
            elif action == "context":
                case = case_services.case_update(
                    actor=worker,
                    case=case,
                    expected_version=case.version,
                    **self._context(victim, case, path),
                )
            elif action == "move":
                case = case_services.case_move(
                    actor=worker,
                    case=case,
                    to_status=arg,
                    expected_version=case.version,
                    reason=rng.choice(MOVE_REASONS[arg]),
                )
                status, last_move = arg, when
                if arg == S.MOVED:
                    case = case_services.case_update(
                        actor=worker,
                        case=case,
                        expected_version=case.version,
                        last_known_location=rng.choice(PLACES).text(rng, "en"),
                    )
            elif action == "urgency":
                urgency, reasons, note = arg
                case = case_services.case_set_urgency(
                    actor=worker,
                    case=case,
                    urgency=urgency,
                    reasons=reasons,
                    expected_version=case.version,
                    note=note,
                )
            elif action == "note":
                kind, body = rng.choice(NOTES[_PHASE.get(status, "after")])
                location = rng.choice(PLACES).text(rng, "en") if kind == "location" else ""
                case_services.timeline_add(
                    actor=worker,
                    case=case,
                    kind=kind,
                    body=body,
                    location=location,
                    channel=rng.choice(victim.profile.channels) if kind == "contact" else "",
                    occurred_at=when,
                )
            self._stamp(case, marker, when)
        Case.objects.filter(pk=case.pk).update(
            created_at=created,
            updated_at=times[-1] if times else created,
            status_changed_at=last_move,
        )
        case.created_at = created
        victim.case = case
        if not repeat:
            self.victims.append(victim)
        self.summary.cases += 1
        return case

    def _plan(self, case: Case, path: list[str]) -> list[tuple[str, Any]]:
        rng = self.rng
        actions: list[tuple[str, Any]] = []
        for position, step in enumerate(path):
            if rng.random() < 0.45:
                actions.append(("note", None))
            actions.append(("move", step))
            if position == 0:
                if rng.random() < 0.8:
                    actions.append(("assign", None))
                if rng.random() < 0.8:
                    actions.append(("context", None))
                if case.urgency != Urgency.CRITICAL and rng.random() < 0.12:
                    reasons = sorted({*case.urgency_reasons, "about_to_be_moved"})
                    actions.append(
                        ("urgency", (Urgency.CRITICAL, reasons, "Says the group is moved tonight."))
                    )
            if step == S.RESCUED and case.urgency != Urgency.NORMAL and rng.random() < 0.7:
                actions.append(("urgency", (Urgency.NORMAL, [], "Safe in the partner's care.")))
            if step == S.LOST_CONTACT and case.urgency == Urgency.NORMAL:
                actions.append(
                    ("urgency", (Urgency.HIGH, ["other"], "No contact; last messages were scared."))
                )
        if not path and rng.random() < 0.5:
            actions.append(("note", None))
        return actions

    def _context(self, victim: Victim, case: Case, path: list[str]) -> dict[str, Any]:
        rng = self.rng
        controls = [_SIGN_TO_CONTROL[s] for s in case.urgency_reasons if s in _SIGN_TO_CONTROL]
        controls += [c for c in USUAL_CONTROLS if rng.random() < 0.6]
        exploitation = [TypeOfExploitation.FORCED_CRIMINALITY]
        if rng.random() < 0.1:
            exploitation.append(rng.choice(RARER_EXPLOITATION))
        rescued = bool(_AFTER_RESCUE.intersection(path))
        return {
            "exploitation_types": exploitation,
            "methods_of_control": list(dict.fromkeys(controls)),
            "recruitment_method": _weighted(rng, RECRUITMENT_WEIGHTS),
            "recruitment_apps": rng.sample(victim.profile.apps, k=rng.randint(1, 2)),
            "relationship_to_trafficker": _weighted(rng, RELATIONSHIP_WEIGHTS),
            "trafficking_status": TraffickingStatus.ACTUAL
            if rescued
            else TraffickingStatus.POSSIBLE,
            "trafficking_status_decided_by": rng.choice(DECIDED_BY) if rescued else "",
        }

    # -- the whole organisation ---------------------------------------------------------------

    def fill(self, count: int) -> Summary:
        rng = self.rng
        profile_keys = [key for key, _weight in self.spec.profiles]
        for position, target in enumerate(plan_statuses(rng, count)):
            # The first cases cover every language, so that every script shows up.
            finished = [
                v
                for v in self.victims
                if v.case is not None and v.case.status in (S.CLOSED, S.HOME)
            ]
            if position > count // 2 and finished and rng.random() < 0.04:
                self.case(
                    S.VERIFYING if target == S.REPORTED else target, victim=rng.choice(finished)
                )
                continue
            profile = (
                PROFILES[profile_keys[position]]
                if position < len(profile_keys)
                else self._profile()
            )
            self.case(
                target, victim=None if position >= len(profile_keys) else self._victim(profile)
            )
        self._attached(max(1, count // 20))
        self._triage(max(3, count // 15))
        self._rejected(max(2, count // 25))
        return self.summary

    def _attached(self, count: int) -> None:
        """Further reports about a known case, joined to its timeline."""
        candidates = [v for v in self.victims if v.case is not None and v.case.status != S.CLOSED]
        for victim in self.rng.sample(candidates, k=min(count, len(candidates))):
            case = victim.case
            assert case is not None  # noqa: S101 - narrows the type: every candidate has one # nosec B101
            received = case.created_at + (self.now - case.created_at) * self.rng.uniform(0.1, 0.9)
            req = self._request(victim, received_at=received, phone_style_avoid="international")
            marker = timezone.now()
            case_services.request_attach_to_case(actor=self.coordinator, req=req, case=case)
            self._stamp(case, marker, received)
            Request.objects.filter(pk=req.pk).update(triaged_at=received + dt.timedelta(hours=2))

    def _triage(self, count: int) -> None:
        """New requests waiting for triage; some are about people the desk already knows
        (same phone typed differently, or a romanised spelling), so suggestions show up."""
        rng = self.rng
        known = [v for v in self.victims if v.person is not None]
        for position in range(count):
            received = self.now - dt.timedelta(minutes=rng.randint(10, 5 * 24 * 60))
            kind = position % 3
            if kind == 0 and known:
                victim = rng.choice(known)
                self._request(
                    victim,
                    received_at=received,
                    subject_name=victim.romanised or victim.native,
                    phone_style_avoid="international",
                )
            elif kind == 1 and known:
                romanised = [v for v in known if v.romanised and names_match(v.native, v.romanised)]
                victim = rng.choice(romanised or known)
                self._request(
                    victim,
                    received_at=received,
                    subject_name=victim.romanised or victim.native,
                    with_contact=False,
                )
            else:
                self._request(self._victim(self._profile()), received_at=received)
            self.summary.triage += 1

    def _rejected(self, count: int) -> None:
        rng = self.rng
        texts = list(REJECTED_TEXTS.items())
        for position in range(count):
            received = self._past(max_days=HISTORY_DAYS)
            if position % 4 == 3 and self.victims:
                victim = rng.choice(self.victims)
                req = self._request(victim, received_at=received)
                reason = "duplicate"
            else:
                reason, pool = texts[position % 3]
                self.summary.requests += 1
                req = case_services.request_create(
                    actor=self.coordinator,
                    channel=rng.choice(["web", "telegram", "facebook"]),
                    reporter_relation="other",
                    language="en",
                    text=rng.choice(pool),
                    received_at=received,
                )
            case_services.request_reject(actor=self.coordinator, req=req, reason=reason)
            Request.objects.filter(pk=req.pk).update(
                triaged_at=received + dt.timedelta(hours=rng.randint(1, 30))
            )
            self.summary.rejected += 1
