"""Briefings, their shares and links, and the leak trace (writes and the reads they audit).

A briefing is built once by ``redaction.build_briefing`` and turned into a canary set
(``lifeline.sharing.canary``): each recipient's share is one variant of it. The set's JSON,
which holds the document and every variant, is stored encrypted on the briefing. Pages, files,
images and links all render a share's variant from that set, so nothing outside the briefing's
allow-list can reach any of them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.core.errors import NotPermitted
from lifeline.core.tenancy import scope
from lifeline.sharing import redaction, selectors
from lifeline.sharing.models import (
    Briefing,
    BriefingLevel,
    BriefingStatus,
    OpeningOutcome,
    Operation,
    OperationStatus,
    Partner,
    Share,
    ShareOpening,
)
from lifeline.sharing.services import _audit, _refuse

if TYPE_CHECKING:
    from lifeline.cases.models import Case
    from lifeline.sharing import canary

MAX_RECIPIENTS = 50
MAX_LINK_HOURS = 24 * 30
MAX_LINK_VIEWS = 100
MAX_TRACE_IMAGE = 15 * 1024 * 1024
MAX_SUSPECTS = 20


def to_canary(doc: redaction.BriefingDocument) -> canary.Document:
    from lifeline.sharing import canary

    return canary.Document(
        title=doc.title,
        sections=[
            canary.Section(heading=s.heading, kind=s.kind, lines=list(s.lines))
            for s in doc.sections
        ],
        rendezvous_landmarks=list(doc.landmarks),
    )


def canary_set(briefing: Briefing) -> canary.CanarySet:
    from lifeline.sharing import canary

    return canary.CanarySet.from_json(json.loads(briefing.canary_set))


def briefing_create(
    *,
    actor: Membership,
    level: str,
    partners: Sequence[Partner],
    operation: Operation | None = None,
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Briefing:
    """Brief ``partners`` (active, from ``selectors.partners_by_uid``) about an operation or a
    case (from scoped selectors) at ``level``. Each partner gets a share carrying a variant of
    its own. A briefing that names a target site before the operation's window opens waits for
    a second coordinator's approval; until then none of its shares can be delivered."""
    from lifeline.sharing import canary

    if not actor.has("can_brief_partners"):
        raise NotPermitted
    subject = operation if operation is not None else case
    errors: dict[str, list[str]] = {}
    if level not in BriefingLevel.values:
        errors["level"] = [_("Choose what is shared.")]
    if not partners:
        errors["partners"] = [_("Choose at least one recipient.")]
    elif len(partners) > MAX_RECIPIENTS:
        errors["partners"] = [_("At most %(n)d recipients at once.") % {"n": MAX_RECIPIENTS}]
    if any(p.organisation_id != actor.organisation_id or not p.is_active for p in partners):
        errors["partners"] = [_("Choose among your active partners.")]
    if (operation is None) == (case is None):
        errors["__all__"] = [_("Brief about one operation or one case.")]
    elif operation is not None and operation.status == OperationStatus.CLOSED:
        errors["__all__"] = [_("This operation is closed.")]
    if errors:
        _audit(
            actor,
            "sharing.briefing.refused",
            subject,
            request,
            reason="invalid",
            fields=sorted(errors),
        )
        raise ValidationError(errors)
    facts = (
        redaction.gather_operation(operation)
        if operation is not None
        else redaction.gather_case(case)  # type: ignore[arg-type]
    )
    document = redaction.build_briefing(facts, level=level)
    early = bool(operation is not None and facts.sites and timezone.now() < operation.window_start)
    with transaction.atomic():
        briefing = Briefing(
            organisation=actor.organisation,
            operation=operation,
            case=case,
            level=level,
            reveals_target_early=early,
            status=BriefingStatus.AWAITING_APPROVAL if early else BriefingStatus.READY,
            created_by=actor.user,
        )
        # A fresh secret per set: tracing needs only the set's JSON, so the secret is not kept.
        cs = canary.make_set(
            to_canary(document),
            recipients=len(partners),
            secret=secrets.token_bytes(32),
            set_id=str(briefing.uid),
        )
        briefing.canary_set = json.dumps(cs.to_json(), ensure_ascii=False)
        briefing.save(force_insert=True)
        shares = [
            Share.objects.create(
                organisation=actor.organisation,
                briefing=briefing,
                partner=partner,
                variant=index,
                created_by=actor.user,
            )
            for index, partner in enumerate(partners)
        ]
        _audit(
            actor,
            "sharing.briefing.created",
            briefing,
            request,
            level=level,
            operation_id=operation.pk if operation else None,
            case_id=case.pk if case else None,
            partner_ids=[p.pk for p in partners],
            needs_approval=early,
        )
        for share in shares:
            _audit(
                actor, "sharing.share.created", share, request,
                briefing_id=briefing.pk, partner_id=share.partner_id, variant=share.variant,
            )  # fmt: skip
        return briefing


def briefing_approve(
    *, actor: Membership, briefing: Briefing, request: HttpRequest | None = None
) -> Briefing:
    """A second coordinator (not the one who prepared it) lets an early briefing go out."""
    if not actor.has("can_brief_partners"):
        raise NotPermitted
    with transaction.atomic():
        current = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if current.created_by_id == actor.user_id:
            problem = (
                "same_coordinator",
                _("A second coordinator must approve it, not the one who prepared it."),
            )
        elif current.status != BriefingStatus.AWAITING_APPROVAL:
            problem = ("not_waiting", _("This briefing is not waiting for approval."))
        else:
            current.status = BriefingStatus.READY
            current.approved_by, current.approved_at = actor.user, timezone.now()
            current.save(update_fields=["status", "approved_by", "approved_at"])
            _audit(actor, "sharing.briefing.approved", current, request)
            return current
    raise _refuse(
        actor, "sharing.briefing.refused", briefing, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


# Delivering a share -----------------------------------------------------------------------


def _require_ready(briefing: Briefing) -> None:
    if briefing.status == BriefingStatus.WITHDRAWN:
        raise ValidationError({"__all__": [_("This briefing was withdrawn.")]})
    if briefing.status != BriefingStatus.READY:
        raise ValidationError(
            {"__all__": [_("This briefing waits for a second coordinator's approval.")]}
        )


def share_variant(*, share: Share) -> canary.Document:
    return canary_set(share.briefing).document(share.variant)


def share_deliver(
    *, actor: Membership, share: Share, form: str, request: HttpRequest | None = None
) -> bytes | canary.Document:
    """The share's variant, as the printable page's document (``page``), the text file
    (``file``) or the page image (``image``), audited as handed out."""
    if not actor.has("can_brief_partners"):
        raise NotPermitted
    try:
        _require_ready(share.briefing)
    except ValidationError:
        _audit(actor, "sharing.share.refused", share, request, reason="not_approved", form=form)
        raise
    cs = canary_set(share.briefing)
    result: bytes | canary.Document
    if form == "page":
        result = cs.document(share.variant)
    elif form == "file":
        result = cs.text(share.variant).encode("utf-8")
    elif form == "image":
        result = cs.page_png(share.variant)
    else:
        raise ValueError(form)
    _audit(
        actor, f"sharing.share.{form}_handed_out", share, request,
        partner_id=share.partner_id, variant=share.variant,
    )  # fmt: skip
    return result


def share_marks(*, share: Share) -> list[str]:
    return list(canary_set(share.briefing).marks(share.variant))


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def share_link_create(
    *,
    actor: Membership,
    share: Share,
    expires_in_hours: int,
    max_views: int,
    request: HttpRequest | None = None,
) -> str:
    """Make (or replace) the share's time-limited link; returns its secret, shown once."""
    if not actor.has("can_brief_partners"):
        raise NotPermitted
    errors: dict[str, list[str]] = {}
    if not 1 <= expires_in_hours <= MAX_LINK_HOURS:
        errors["expires_in_hours"] = [_("Between 1 hour and 30 days.")]
    if not 1 <= max_views <= MAX_LINK_VIEWS:
        errors["max_views"] = [_("Between 1 and %(n)d openings.") % {"n": MAX_LINK_VIEWS}]
    if share.revoked_at is not None:
        errors["__all__"] = [_("This share was revoked.")]
    elif share.briefing.status != BriefingStatus.READY:
        errors["__all__"] = [_("This briefing is not ready to go out.")]
    if errors:
        _audit(
            actor,
            "sharing.share.refused",
            share,
            request,
            reason="link_invalid",
            fields=sorted(errors),
        )
        raise ValidationError(errors)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        Share.objects.filter(pk=share.pk).update(
            link_digest=link_digest(token),
            expires_at=timezone.now() + datetime.timedelta(hours=expires_in_hours),
            max_views=max_views,
            views=0,
        )
        share.refresh_from_db()
        _audit(
            actor, "sharing.share.link_created", share, request,
            hours=expires_in_hours, max_views=max_views,
        )  # fmt: skip
    return token


def share_revoke(*, actor: Membership, share: Share, request: HttpRequest | None = None) -> Share:
    if not actor.has("can_brief_partners"):
        raise NotPermitted
    with transaction.atomic():
        current = Share.objects.select_for_update().get(pk=share.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
            _audit(actor, "sharing.share.revoked", current, request)
            return current
    raise _refuse(
        actor, "sharing.share.refused", share, request,
        reason="revoked", field="__all__", message=_("This share was already revoked."),
    )  # fmt: skip


@dataclass
class Opening:
    share: Share | None
    outcome: str  # OpeningOutcome, or "" for a link that does not exist
    document: canary.Document | None = None


def share_open(*, token: str, request: HttpRequest | None = None) -> Opening:
    """Open a public link. Every opening is recorded (shown or refused, and why) and audited in
    the share's organisation; the visitor is told only whether it is available."""
    share = selectors.share_by_link(digest=link_digest(token)) if token else None
    if share is None:
        return Opening(share=None, outcome="")
    with scope(organisation=share.organisation), transaction.atomic():
        current = Share.objects.select_for_update().select_related("briefing").get(pk=share.pk)
        now = timezone.now()
        if current.revoked_at is not None:
            outcome = OpeningOutcome.REVOKED
        elif current.briefing.status == BriefingStatus.WITHDRAWN:
            outcome = OpeningOutcome.WITHDRAWN
        elif current.briefing.status != BriefingStatus.READY:
            outcome = OpeningOutcome.NOT_APPROVED
        elif current.expires_at is None or now >= current.expires_at:
            outcome = OpeningOutcome.EXPIRED
        elif current.max_views is not None and current.views >= current.max_views:
            outcome = OpeningOutcome.EXHAUSTED
        else:
            outcome = OpeningOutcome.SHOWN
            Share.objects.filter(pk=current.pk).update(views=F("views") + 1)
        ShareOpening.objects.create(organisation=share.organisation, share=current, outcome=outcome)
        audit_log(
            actor=None,
            organisation=share.organisation,
            action="sharing.share.link_opened",
            obj=current,
            payload={"outcome": outcome, "partner_id": current.partner_id},
            session_ref="",
        )
        document = (
            canary_set(current.briefing).document(current.variant)
            if outcome == OpeningOutcome.SHOWN
            else None
        )
        return Opening(share=current, outcome=outcome, document=document)


# Tracing a leak ---------------------------------------------------------------------------


# Loaded sets by briefing uid (random, never reused, unlike a row id), with the text index the
# engine builds on first use: a set never changes once made, and a withdrawn one is no longer
# asked for (the selector excludes it, and its erasure drops it from here).
_LOADED: OrderedDict[str, canary.CanarySet] = OrderedDict()
MAX_LOADED = 2000


def _loaded_sets(actor: Membership, ids: dict[str, int]) -> list[canary.CanarySet]:
    """The sets of the briefings `ids` (uid -> row id): those not yet loaded are read (and
    decrypted) in one query, the others come from memory."""
    missing = [pk for uid, pk in ids.items() if uid not in _LOADED]
    if missing:
        for briefing in Briefing.objects.filter(
            organisation=actor.organisation, pk__in=missing
        ).only("uid", "canary_set"):
            _LOADED[str(briefing.uid)] = canary_set(briefing)
    sets = []
    for uid in ids:
        cs = _LOADED.get(uid)
        if cs is not None:
            _LOADED.move_to_end(uid)
            sets.append(cs)
    while len(_LOADED) > MAX_LOADED:
        _LOADED.popitem(last=False)
    return sets


def forget_loaded(briefing_uids: Sequence[str]) -> None:
    """Drop sets from the cache (a withdrawn briefing's set is deleted, not just hidden)."""
    for uid in briefing_uids:
        _LOADED.pop(str(uid), None)


@dataclass
class Suspect:
    share: Share
    score: float
    matched: list[str]


def trace_leak(
    *,
    actor: Membership,
    text: str = "",
    image: bytes | None = None,
    request: HttpRequest | None = None,
) -> list[Suspect]:
    """Rank the recipients whose variant the leaked text or image matches, best first, among
    the briefings the actor may see."""
    from lifeline.sharing import canary

    if not actor.has("can_trace_leaks"):
        raise NotPermitted
    if not text.strip() and not image:
        raise ValidationError({"text": [_("Paste the text, or choose an image.")]})
    if image is not None and len(image) > MAX_TRACE_IMAGE:
        raise ValidationError({"image": [_("The image is too large (at most 15 MB).")]})
    # The sets' JSON is only read (and decrypted) for briefings not already loaded.
    # Only the ids: building hundreds of model instances cost more than scoring their sets.
    briefings = {
        str(uid): pk
        for uid, pk in selectors.traceable_briefings(actor=actor).values_list("uid", "pk")
    }
    sets = _loaded_sets(actor, briefings)
    if image:
        try:
            matches = canary.trace_image(image, sets)
        except Exception as exc:  # the engine refuses what is not an image it can read
            raise ValidationError(
                {"image": [_("This file could not be read as an image.")]}
            ) from exc
    else:
        matches = canary.trace_text(text, sets)
    # Only the best few are worth naming; fetching every weak match's share would cost more
    # than the trace itself.
    matches = [m for m in matches if m.set_id in briefings][:MAX_SUSPECTS]
    wanted = Q(pk__in=[])
    for m in matches:
        wanted |= Q(briefing_id=briefings[m.set_id], variant=m.index)
    shares = {
        (str(s.briefing.uid), s.variant): s
        for s in Share.objects.filter(organisation=actor.organisation)
        .filter(wanted)
        .select_related("partner", "briefing")
        .defer(
            "briefing__canary_set",
            "partner__contact_name",
            "partner__contact_details",
            "partner__notes",
        )
    }
    suspects = [
        Suspect(share=shares[(m.set_id, m.index)], score=m.score, matched=list(m.matched))
        for m in matches
        if (m.set_id, m.index) in shares
    ]
    _audit(
        actor, "sharing.leak.traced", None, request,
        form="image" if image else "text", count=len(suspects),
        share_ids=[s.share.pk for s in suspects[:10]],
    )  # fmt: skip
    return suspects


def approval_needed(briefing: Briefing) -> bool:
    return briefing.status == BriefingStatus.AWAITING_APPROVAL


def is_ready(briefing: Briefing) -> bool:
    return briefing.status == BriefingStatus.READY
