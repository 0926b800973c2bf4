"""The case workflow: states, allowed moves, and how they map onto HTCDS case status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFYING = "verifying", _("Verifying")
    LOCATED = "located", _("Located")
    RESCUE_PLANNED = "rescue_planned", _("Rescue planned")
    RESCUED = "rescued", _("Rescued")
    SHELTERED = "sheltered", _("Sheltered")
    REPATRIATING = "repatriating", _("Repatriating")
    HOME = "home", _("Home")
    CLOSED = "closed", _("Closed")
    # Side states: the journey has stalled or left the main path.
    LOST_CONTACT = "lost_contact", _("Lost contact")
    MOVED = "moved", _("Moved")
    DETAINED = "detained", _("Detained")
    DECLINED_HELP = "declined_help", _("Declined help")


S = CaseStatus
MAIN_PATH = [
    S.REPORTED,
    S.VERIFYING,
    S.LOCATED,
    S.RESCUE_PLANNED,
    S.RESCUED,
    S.SHELTERED,
    S.REPATRIATING,
    S.HOME,
    S.CLOSED,
]
SIDE_STATES = [S.LOST_CONTACT, S.MOVED, S.DETAINED, S.DECLINED_HELP]

# Victims escape on their own, get moved before a raid, or are detained by police after a
# rescue, so besides the next step each state allows the detours seen in real journeys.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REPORTED: frozenset(
        {S.VERIFYING, S.LOCATED, S.RESCUED, S.LOST_CONTACT, S.DECLINED_HELP, S.CLOSED}
    ),
    S.VERIFYING: frozenset(
        {S.LOCATED, S.RESCUED, S.LOST_CONTACT, S.MOVED, S.DETAINED, S.DECLINED_HELP, S.CLOSED}
    ),
    S.LOCATED: frozenset(
        {S.RESCUE_PLANNED, S.RESCUED, S.MOVED, S.LOST_CONTACT, S.DETAINED, S.DECLINED_HELP}
    ),
    S.RESCUE_PLANNED: frozenset({S.RESCUED, S.LOCATED, S.MOVED, S.LOST_CONTACT, S.DETAINED}),
    S.RESCUED: frozenset({S.SHELTERED, S.REPATRIATING, S.DETAINED, S.HOME}),
    S.SHELTERED: frozenset({S.REPATRIATING, S.HOME, S.DECLINED_HELP, S.LOST_CONTACT}),
    S.REPATRIATING: frozenset({S.HOME, S.SHELTERED, S.DETAINED}),
    S.HOME: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.VERIFYING}),  # reopened when the person asks for help again
    S.LOST_CONTACT: frozenset({S.VERIFYING, S.LOCATED, S.MOVED, S.RESCUED, S.HOME, S.CLOSED}),
    S.MOVED: frozenset({S.VERIFYING, S.LOCATED, S.LOST_CONTACT, S.RESCUED, S.CLOSED}),
    S.DETAINED: frozenset({S.REPATRIATING, S.SHELTERED, S.HOME, S.LOST_CONTACT}),
    S.DECLINED_HELP: frozenset({S.VERIFYING, S.CLOSED}),
}

OPEN_STATES = frozenset(set(CaseStatus.values) - {S.CLOSED})

# HTCDS case status (Active, FollowUp, Closed, ClosedReferred) for exports.
HTCDS_STATUS = {state: "Active" for state in CaseStatus.values} | {
    S.HOME: "FollowUp",
    S.CLOSED: "Closed",
}


def allowed_moves(current: str) -> list[str]:
    """The states a case in ``current`` may move to, in workflow order."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [state for state in [*MAIN_PATH, *SIDE_STATES] if state in allowed]


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Urgency(models.IntegerChoices):
    # Integers so that "most urgent first" is an index-friendly ORDER BY.
    CRITICAL = 30, _("Critical")
    HIGH = 20, _("High")
    NORMAL = 10, _("Normal")


URGENCY_CODES: dict[int, str] = {
    Urgency.CRITICAL: "critical",
    Urgency.HIGH: "high",
    Urgency.NORMAL: "normal",
}
URGENCY_FROM_CODE = {code: value for value, code in URGENCY_CODES.items()}


class UrgencyReason(models.TextChoices):
    INJURED = "injured", _("Injured")
    BEATEN = "beaten", _("Beaten or tortured")
    ELECTROCUTION = "electrocution_threat", _("Threatened with electrocution")
    THREATENED = "threatened", _("Threatened")
    LOCKED_IN = "locked_in", _("Locked in")
    PASSPORT_TAKEN = "passport_taken", _("Passport taken")
    DEBT_DEMANDED = "debt_demanded", _("Debt or ransom demanded")
    ABOUT_TO_BE_MOVED = "about_to_be_moved", _("About to be moved")
    OTHER = "other", _("Other danger")


_CRITICAL_REASONS = frozenset(
    {
        UrgencyReason.INJURED,
        UrgencyReason.BEATEN,
        UrgencyReason.ELECTROCUTION,
        UrgencyReason.ABOUT_TO_BE_MOVED,
    }
)


def suggested_urgency(reasons: list[str]) -> int:
    """Violence, injury or an imminent move is critical; any other danger sign is high."""
    if _CRITICAL_REASONS.intersection(reasons):
        return Urgency.CRITICAL
    if reasons:
        return Urgency.HIGH
    return Urgency.NORMAL
