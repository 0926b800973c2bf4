"""The demo organisations, their users and logins, and the workspace-wide settings."""

from __future__ import annotations

from dataclasses import dataclass

from lifeline.accounts.roles import Role

DEMO_PASSWORD = "lifeline-demo"  # noqa: S105 - printed for everyone: demo data only # nosec B105
SEED = 20210629  # the night in the seed article when Xu Mingjian jumped from the balcony
HISTORY_DAYS = 540  # about 18 months


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    display_name: str


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    phone_region: str
    case_prefix: str
    share: float  # of the cases
    profiles: tuple[tuple[str, int], ...]  # (profile key, weight)
    users: tuple[DemoUser, ...]


# fmt: off
ORGANISATIONS = (
    DemoOrganisation(
        name="Mekong Rescue Network", slug="mekong", phone_region="TH", case_prefix="MR", share=0.8,
        profiles=(("zh", 30), ("th", 20), ("vi", 15), ("id", 12), ("my", 13), ("en", 10)),
        users=(
            DemoUser("admin", Role.ORG_ADMIN, "Anong Srisawat"),
            DemoUser("coordinator", Role.COORDINATOR, "Lin Mei"),
            DemoUser("caseworker", Role.CASEWORKER, "Dara Sok"),
            DemoUser("caseworker2", Role.CASEWORKER, "Nguyen Thu Ha"),
            DemoUser("analyst", Role.ANALYST, "Tom Becker"),
        ),
    ),
    DemoOrganisation(
        name="Golden Bridge Aid", slug="goldenbridge", phone_region="KH", case_prefix="GB", share=0.2,
        profiles=(("zh", 40), ("vi", 22), ("id", 18), ("en", 12), ("th", 4), ("my", 4)),
        users=(
            DemoUser("gb-admin", Role.ORG_ADMIN, "Vuthy Keo"),
            DemoUser("gb-coordinator", Role.COORDINATOR, "Chen Hui"),
            DemoUser("gb-caseworker", Role.CASEWORKER, "Sreymom Chan"),
            DemoUser("gb-analyst", Role.ANALYST, "Ines Duarte"),
        ),
    ),
)
# fmt: on


@dataclass(frozen=True)
class Login:
    username: str
    organisation: str
    role: str
    password: str


def demo_logins(password: str = DEMO_PASSWORD) -> list[Login]:
    return [
        Login(user.username, spec.name, str(Role(user.role).label), password)
        for spec in ORGANISATIONS
        for user in spec.users
    ]


@dataclass
class Summary:
    organisations: int = 0
    users: int = 0
    cases: int = 0
    requests: int = 0
    triage: int = 0
    rejected: int = 0
    persons: int = 0
    evidence: int = 0
    sites: int = 0
    sightings: int = 0
    lures: int = 0
