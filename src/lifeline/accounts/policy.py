"""Who must log in with a second factor: the organisation's policy applied to a membership.

Pure functions over rows already loaded; ``SecondFactorMiddleware`` enforces the answer.
"""

from collections.abc import Iterable

from lifeline.accounts.models import Membership, SecondFactorPolicy, User

# Under the default policy, anyone whose role grants one of these must use a second factor.
SENSITIVE_CAPABILITIES = ("can_view_persons", "can_manage_members", "can_manage_organisation")


def membership_requires_second_factor(membership: Membership) -> bool:
    """Whether ``membership``'s organisation requires a second factor of this member.

    An inactive membership grants nothing, so it requires nothing either."""
    if not membership.is_active:
        return False
    policy = membership.organisation.second_factor_policy
    if policy == SecondFactorPolicy.EVERYONE:
        return True
    if policy == SecondFactorPolicy.OPTIONAL:
        return False
    return any(membership.has(capability) for capability in SENSITIVE_CAPABILITIES)


def second_factor_required(*, user: User, memberships: Iterable[Membership]) -> bool:
    """Whether ``user`` must verify a second factor before using anything but the login pages.

    The strictest of the user's organisations wins, whichever one the session has chosen: a
    member cannot pick a lenient organisation to reach a strict one's data through a later
    switch. Platform staff always need one (the admin site checks it too)."""
    return user.is_staff or any(membership_requires_second_factor(m) for m in memberships)
