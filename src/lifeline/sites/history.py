"""Which status claims may follow which (the site's status history).

A claim follows the latest one recorded for the site. Claims are recorded in date order: one
dated before the latest claim is refused, so that the history never contradicts itself.
"""

from lifeline.sites.models import SiteStatus

S = SiteStatus

# The statuses a site may be claimed to have next. "Active" may be re-confirmed by a newer
# source; a closed site can only reopen (a raid on a closed site is a raid on whatever reopened
# there, which is a new claim of "reopened" first).
NEXT: dict[str, frozenset[str]] = {
    "": frozenset({S.SUSPECTED, S.ACTIVE, S.RAIDED, S.ABANDONED, S.CLOSED, S.RELOCATED}),
    S.SUSPECTED: frozenset({S.SUSPECTED, S.ACTIVE, S.RAIDED, S.ABANDONED, S.CLOSED, S.RELOCATED}),
    S.ACTIVE: frozenset({S.ACTIVE, S.RAIDED, S.ABANDONED, S.CLOSED, S.RELOCATED}),
    S.RAIDED: frozenset({S.ACTIVE, S.ABANDONED, S.CLOSED, S.REOPENED, S.RELOCATED}),
    S.ABANDONED: frozenset({S.REOPENED, S.CLOSED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ACTIVE, S.RAIDED, S.ABANDONED, S.CLOSED, S.RELOCATED}),
    S.RELOCATED: frozenset({S.REOPENED, S.ABANDONED, S.CLOSED}),
}


def can_follow(current: str, new: str) -> bool:
    return new in NEXT.get(current, frozenset())


def allowed_next(current: str) -> list[tuple[str, str]]:
    return [
        (value, str(label)) for value, label in SiteStatus.choices if can_follow(current, value)
    ]
