"""The demo workspace behind ``lifeline demo``: two organisations, users and fictional cases."""

# Two organisations, one user per role, and a few hundred fictional requests and cases.
#
# Everything is written through the services (so the rows, blind indexes and audit chain are
# exactly what users would create); only the dates are moved into the past afterwards with
# queryset updates, because the services stamp "now". Every name, number and story here is
# invented; the places and the patterns (lures, danger signs, relocations) follow the reporting
# in shared/context/seed-article.txt. A fixed seed makes the workspace the same on every run.
#
# organisations: who works in the demo, the seed and the history span
# people_data:   names, profiles, phones and handles of the fictional victims
# texts:         places and the words of reports, reasons and notes
# journeys:      the paths through the workflow and the case context
# builder:       DemoBuilder, one organisation's requests, persons and cases
# workspace:     build_demo, the whole workspace

from lifeline.core.demo.builder import DemoBuilder
from lifeline.core.demo.journeys import (
    DECIDED_BY,
    PATHS,
    RARER_EXPLOITATION,
    RECRUITMENT_WEIGHTS,
    RELATIONSHIP_WEIGHTS,
    STATUS_WEIGHTS,
    USUAL_CONTROLS,
    S,
    plan_statuses,
)
from lifeline.core.demo.organisations import (
    DEMO_PASSWORD,
    HISTORY_DAYS,
    ORGANISATIONS,
    SEED,
    DemoOrganisation,
    DemoUser,
    Login,
    Summary,
    demo_logins,
)
from lifeline.core.demo.people_data import (
    EN_NAMES,
    ID_FIRST,
    ID_LAST,
    MY_NAMES,
    PHONE_STYLES,
    PROFILES,
    TH_FIRST,
    TH_LAST,
    VI_GIVEN,
    VI_MIDDLE,
    VI_SURNAMES,
    ZH_GIVEN,
    ZH_SURNAMES,
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
    MOVE_REASONS,
    NOT_TRAFFICKING_TEXTS,
    NOTES,
    OUT_OF_SCOPE_TEXTS,
    PLACES,
    REJECTED_TEXTS,
    SIGN_WEIGHTS,
    SPAM_TEXTS,
    WORDS,
    Place,
)
from lifeline.core.demo.workspace import build_demo

__all__ = [
    "DECIDED_BY",
    "DEMO_PASSWORD",
    "EN_NAMES",
    "HISTORY_DAYS",
    "ID_FIRST",
    "ID_LAST",
    "MOVE_REASONS",
    "MY_NAMES",
    "NOTES",
    "NOT_TRAFFICKING_TEXTS",
    "ORGANISATIONS",
    "OUT_OF_SCOPE_TEXTS",
    "PATHS",
    "PHONE_STYLES",
    "PLACES",
    "PROFILES",
    "RARER_EXPLOITATION",
    "RECRUITMENT_WEIGHTS",
    "REJECTED_TEXTS",
    "RELATIONSHIP_WEIGHTS",
    "SEED",
    "SIGN_WEIGHTS",
    "SPAM_TEXTS",
    "STATUS_WEIGHTS",
    "TH_FIRST",
    "TH_LAST",
    "USUAL_CONTROLS",
    "VI_GIVEN",
    "VI_MIDDLE",
    "VI_SURNAMES",
    "WORDS",
    "ZH_GIVEN",
    "ZH_SURNAMES",
    "DemoBuilder",
    "DemoOrganisation",
    "DemoUser",
    "F",
    "Login",
    "M",
    "Place",
    "Profile",
    "S",
    "Summary",
    "Victim",
    "build_demo",
    "demo_logins",
    "names_match",
    "phone_as_typed",
    "plan_statuses",
    "random_handle",
    "random_phone",
]
