"""Who must log in with a second factor (lifeline.accounts.policy)."""

import pytest

from lifeline.accounts.models import Membership, Organisation, SecondFactorPolicy, User
from lifeline.accounts.policy import membership_requires_second_factor, second_factor_required
from lifeline.accounts.roles import Role


def _member(role, policy=SecondFactorPolicy.PERSONAL_DATA, *, active=True, staff=False):
    # Unsaved rows: the policy is a pure function of them.
    org = Organisation(name="Org", slug="org", second_factor_policy=policy)
    user = User(username="u", is_staff=staff)
    return Membership(user=user, organisation=org, role=role, is_active=active)


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ORG_ADMIN, True),
        (Role.COORDINATOR, True),
        (Role.CASEWORKER, True),
        (Role.ANALYST, False),
    ],
)
def test_it_requires_it_by_default_of_roles_that_see_personal_data_or_manage(role, required):
    assert membership_requires_second_factor(_member(role)) is required


@pytest.mark.parametrize("role", list(Role))
def test_it_requires_it_of_every_role_under_everyone(role):
    assert membership_requires_second_factor(_member(role, SecondFactorPolicy.EVERYONE))


@pytest.mark.parametrize("role", list(Role))
def test_it_requires_it_of_no_role_under_optional(role):
    assert not membership_requires_second_factor(_member(role, SecondFactorPolicy.OPTIONAL))


def test_it_ignores_an_inactive_membership():
    assert not membership_requires_second_factor(_member(Role.COORDINATOR, active=False))


def test_it_takes_the_strictest_of_a_users_organisations():
    lenient = _member(Role.COORDINATOR, SecondFactorPolicy.OPTIONAL)
    strict = _member(Role.ANALYST, SecondFactorPolicy.EVERYONE)
    assert second_factor_required(user=lenient.user, memberships=[lenient, strict])
    assert not second_factor_required(user=lenient.user, memberships=[lenient])


def test_it_always_requires_it_of_platform_staff():
    staff = User(username="ops", is_staff=True)
    assert second_factor_required(user=staff, memberships=[])
    assert not second_factor_required(user=User(username="nobody"), memberships=[])


def test_it_defaults_new_organisations_to_personal_data():
    assert Organisation().second_factor_policy == SecondFactorPolicy.PERSONAL_DATA
