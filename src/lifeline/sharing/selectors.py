"""Reads of partners, referrals, operations, briefings and shares, scoped to the actor's
organisation and, for operations, to their members (the compartment)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership, Organisation
from lifeline.accounts.roles import CAPABILITIES
from lifeline.cases.selectors import visible_cases
from lifeline.core.tenancy import scopes_disabled
from lifeline.sharing.models import (
    Briefing,
    BriefingStatus,
    Operation,
    OperationCase,
    OperationMember,
    OperationPartner,
    OperationTarget,
    Partner,
    Referral,
    Share,
    ShareOpening,
    TransferRequest,
)


def _get(qs: QuerySet, uid: UUID | str):  # type: ignore[type-arg, no-untyped-def]
    try:
        return qs.get(uid=uid)
    except (qs.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


# Partners ---------------------------------------------------------------------------------


def visible_partners(*, actor: Membership) -> QuerySet[Partner]:
    qs = Partner.objects.filter(organisation=actor.organisation)
    return qs if actor.has("can_manage_partners") else qs.none()


def partner_list(*, actor: Membership, include_inactive: bool = False) -> QuerySet[Partner]:
    qs = visible_partners(actor=actor)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def partner_get(*, actor: Membership, uid: UUID | str) -> Partner:
    partner: Partner = _get(visible_partners(actor=actor), uid)
    return partner


def partners_by_uid(*, actor: Membership, uids: list[str]) -> list[Partner]:
    """The actor's active partners among ``uids``, in the order given; others are absent."""
    found = {
        str(p.uid): p
        for p in visible_partners(actor=actor).filter(is_active=True, uid__in=_uuids(uids))
    }
    return [found[u] for u in dict.fromkeys(str(u) for u in uids) if u in found]


def _uuids(values: list[str]) -> list[UUID]:
    out = []
    for value in values:
        try:
            out.append(UUID(str(value)))
        except ValueError:
            continue
    return out


# Referrals --------------------------------------------------------------------------------


def visible_referrals(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent or received; only those who may refer see them."""
    qs = Referral.objects.filter(Q(sender=actor.organisation) | Q(receiver=actor.organisation))
    return qs if actor.has("can_refer_cases") else qs.none()


def referral_list(*, actor: Membership, direction: str = "") -> QuerySet[Referral]:
    qs = visible_referrals(actor=actor)
    if direction == "incoming":
        qs = qs.filter(receiver=actor.organisation)
    elif direction == "outgoing":
        qs = qs.filter(sender=actor.organisation)
    return qs.select_related("sender", "receiver", "case").order_by("-created_at", "-pk")


def referral_get(*, actor: Membership, uid: UUID | str) -> Referral:
    referral: Referral = _get(
        visible_referrals(actor=actor).select_related("sender", "receiver", "case"), uid
    )
    return referral


def transfer_requests_of(*, referral: Referral) -> QuerySet[TransferRequest]:
    """The transfer requests of ``referral``, which came from ``referral_get`` (scoped to the
    two organisations it belongs to), newest first."""
    return (
        TransferRequest.objects.filter(referral=referral)
        .select_related("requested_by", "answered_by", "transfer")
        .order_by("-requested_at", "-pk")
    )


def referrals_of_case(*, actor: Membership, case_id: int) -> QuerySet[Referral]:
    return referral_list(actor=actor).filter(Q(case_id=case_id) | Q(received_case_id=case_id))


def receiving_organisations(*, actor: Membership) -> QuerySet[Organisation]:
    """The other organisations on this Lifeline that can receive a referral: those with an
    active member who may answer one."""
    answerers = Membership.objects.filter(
        organisation=OuterRef("pk"), is_active=True, role__in=CAPABILITIES["can_refer_cases"]
    )
    return (
        Organisation.objects.exclude(pk=actor.organisation_id)
        .filter(Exists(answerers))
        .order_by("name")
    )


# Operations -------------------------------------------------------------------------------


def visible_operations(*, actor: Membership) -> QuerySet[Operation]:
    """Operations the actor is a member of. Nobody else, not even a coordinator, sees one."""
    qs = Operation.objects.filter(organisation=actor.organisation)
    if not actor.has("can_view_operations"):
        return qs.none()
    mine = OperationMember.objects.filter(
        organisation=actor.organisation, user=actor.user, operation=OuterRef("pk")
    )
    return qs.filter(Exists(mine))


def operation_list(*, actor: Membership, status: str = "") -> QuerySet[Operation]:
    qs = visible_operations(actor=actor)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-window_start", "-pk")


def operation_get(*, actor: Membership, uid: UUID | str) -> Operation:
    operation: Operation = _get(visible_operations(actor=actor), uid)
    return operation


def operation_members(*, operation: Operation) -> QuerySet[OperationMember]:
    return (
        OperationMember.objects.filter(
            organisation_id=operation.organisation_id, operation=operation
        )
        .select_related("user")
        .order_by("user__username")
    )


def operation_targets(*, operation: Operation) -> QuerySet[OperationTarget]:
    return (
        OperationTarget.objects.filter(
            organisation_id=operation.organisation_id, operation=operation
        )
        .select_related("site")
        .order_by("site__name")
    )


def operation_cases(*, actor: Membership, operation: Operation) -> list[tuple[OperationCase, bool]]:
    """The operation's cases, each with whether the actor may open it (a caseworker member sees
    the references of cases not assigned to them, not their names)."""
    rows = list(
        OperationCase.objects.filter(organisation_id=operation.organisation_id, operation=operation)
        .select_related("case")
        .order_by("case__reference")
    )
    open_ids = set(
        visible_cases(actor=actor)
        .filter(pk__in=[r.case_id for r in rows])
        .values_list("pk", flat=True)
    )
    return [(row, row.case_id in open_ids) for row in rows]


def operation_partners(*, operation: Operation) -> QuerySet[OperationPartner]:
    return (
        OperationPartner.objects.filter(
            organisation_id=operation.organisation_id, operation=operation
        )
        .select_related("partner")
        .order_by("partner__name")
    )


def member_candidates(*, actor: Membership) -> QuerySet[Membership]:
    """Members who may join an operation: coordinators and caseworkers."""
    return (
        Membership.objects.filter(
            organisation=actor.organisation,
            is_active=True,
            role__in=CAPABILITIES["can_view_operations"],
        )
        .select_related("user")
        .order_by("user__username")
    )


# Briefings and shares ---------------------------------------------------------------------


def visible_briefings(*, actor: Membership) -> QuerySet[Briefing]:
    """Briefings of the operations the actor is a member of, and of the cases they may see;
    only those who may brief partners see any."""
    qs = Briefing.objects.filter(organisation=actor.organisation)
    if not actor.has("can_brief_partners"):
        return qs.none()
    return qs.filter(
        Q(operation__in=visible_operations(actor=actor))
        | Q(operation__isnull=True, case__in=visible_cases(actor=actor))
    )


def briefing_get(*, actor: Membership, uid: UUID | str) -> Briefing:
    briefing: Briefing = _get(
        visible_briefings(actor=actor).select_related("operation", "case"), uid
    )
    return briefing


def briefings_of_operation(*, actor: Membership, operation: Operation) -> QuerySet[Briefing]:
    return visible_briefings(actor=actor).filter(operation=operation).order_by("-created_at")


def briefings_of_case(*, actor: Membership, case_id: int) -> QuerySet[Briefing]:
    return visible_briefings(actor=actor).filter(case_id=case_id).order_by("-created_at")


def shares_of_briefing(*, briefing: Briefing) -> QuerySet[Share]:
    return (
        Share.objects.filter(organisation_id=briefing.organisation_id, briefing=briefing)
        .select_related("partner")
        .order_by("variant")
    )


def share_get(*, actor: Membership, uid: UUID | str) -> Share:
    share: Share = _get(
        Share.objects.filter(
            organisation=actor.organisation, briefing__in=visible_briefings(actor=actor)
        ).select_related("partner", "briefing"),
        uid,
    )
    return share


def share_by_link(*, digest: str) -> Share | None:
    """The share behind a public link (the digest of its secret), in any organisation: the
    caller runs unscoped and must open the organisation's scope before reading anything more."""
    if not digest:
        return None
    with scopes_disabled():
        return (
            Share.objects.filter(link_digest=digest)
            .select_related("briefing", "partner", "organisation")
            .first()
        )


def share_openings(*, share: Share) -> QuerySet[ShareOpening]:
    return ShareOpening.objects.filter(organisation_id=share.organisation_id, share=share)


def shares_before(*, operation: Operation, moment: object) -> QuerySet[Share]:
    """Every share of the operation's briefings made before ``moment``: who received what,
    when (listed when a site was found empty)."""
    return (
        Share.objects.filter(
            organisation_id=operation.organisation_id,
            briefing__operation=operation,
            created_at__lt=moment,
        )
        .select_related("partner", "briefing", "created_by")
        .defer("briefing__canary_set")
        .order_by("created_at", "pk")
    )


def traceable_briefings(*, actor: Membership) -> QuerySet[Briefing]:
    """The briefings a leak may be traced against: those the actor sees that went to partners."""
    return visible_briefings(actor=actor).exclude(status=BriefingStatus.WITHDRAWN)
