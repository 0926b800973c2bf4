"""Case journeys: the paths to each state, how often each ends where, and the case context."""

from __future__ import annotations

import random
from typing import TypeVar

from lifeline.cases.workflow import CaseStatus, can_move
from lifeline.core.vocabularies import (
    MethodOfControl,
    MethodOfRecruitment,
    RelationshipToTrafficker,
    StatusDecidedBy,
    TypeOfExploitation,
)

S = CaseStatus

# fmt: off
# Realistic journeys to each state, along the allowed transitions (checked by _check_paths).
PATHS: dict[str, list[list[str]]] = {
    S.REPORTED: [[]],
    S.VERIFYING: [[S.VERIFYING]],
    S.LOCATED: [[S.VERIFYING, S.LOCATED]],
    S.RESCUE_PLANNED: [[S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED]],
    S.RESCUED: [[S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED, S.RESCUED], [S.VERIFYING, S.RESCUED]],
    S.SHELTERED: [[S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED, S.RESCUED, S.SHELTERED],
                  [S.VERIFYING, S.LOCATED, S.RESCUED, S.SHELTERED]],
    S.REPATRIATING: [[S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED, S.RESCUED, S.SHELTERED, S.REPATRIATING],
                     [S.VERIFYING, S.LOCATED, S.RESCUED, S.DETAINED, S.REPATRIATING]],
    S.HOME: [[S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED, S.RESCUED, S.SHELTERED, S.REPATRIATING, S.HOME],
             [S.VERIFYING, S.RESCUED, S.HOME]],
    S.CLOSED: [[S.VERIFYING, S.LOCATED, S.RESCUED, S.SHELTERED, S.REPATRIATING, S.HOME, S.CLOSED],
               [S.VERIFYING, S.CLOSED], [S.VERIFYING, S.DECLINED_HELP, S.CLOSED]],
    S.LOST_CONTACT: [[S.VERIFYING, S.LOST_CONTACT], [S.VERIFYING, S.LOCATED, S.LOST_CONTACT]],
    S.MOVED: [[S.VERIFYING, S.LOCATED, S.MOVED], [S.VERIFYING, S.LOCATED, S.RESCUE_PLANNED, S.MOVED]],
    S.DETAINED: [[S.VERIFYING, S.LOCATED, S.RESCUED, S.DETAINED], [S.VERIFYING, S.DETAINED]],
    S.DECLINED_HELP: [[S.VERIFYING, S.DECLINED_HELP], [S.VERIFYING, S.LOCATED, S.DECLINED_HELP]],
}
STATUS_WEIGHTS = {
    S.REPORTED: 8, S.VERIFYING: 14, S.LOCATED: 10, S.RESCUE_PLANNED: 5, S.RESCUED: 5, S.SHELTERED: 6,
    S.REPATRIATING: 5, S.HOME: 10, S.CLOSED: 14, S.LOST_CONTACT: 8, S.MOVED: 5, S.DETAINED: 4,
    S.DECLINED_HELP: 4,
}
USUAL_CONTROLS = (MethodOfControl.FALSE_PROMISES, MethodOfControl.EXCESSIVE_WORKING_HOURS)
RARER_EXPLOITATION = (TypeOfExploitation.FORCED_LABOUR, TypeOfExploitation.SEXUAL_EXPLOITATION)
RECRUITMENT_WEIGHTS = {
    MethodOfRecruitment.ONLINE_ADVERTISEMENT: 55, MethodOfRecruitment.ONLINE_SOCIAL_NETWORKS: 25,
    MethodOfRecruitment.FRIENDS: 15, MethodOfRecruitment.FAMILY: 5,
}
RELATIONSHIP_WEIGHTS = {
    RelationshipToTrafficker.UNACQUAINTED: 60, RelationshipToTrafficker.ACQUAINTED: 35,
    RelationshipToTrafficker.FAMILIAL: 5,
}
DECIDED_BY = (StatusDecidedBy.NGO, StatusDecidedBy.POLICE)
_AFTER_RESCUE = frozenset({S.RESCUED, S.SHELTERED, S.REPATRIATING, S.HOME, S.DETAINED})
_SIGN_TO_CONTROL = {
    "locked_in": MethodOfControl.RESTRICTS_MOVEMENT, "passport_taken": MethodOfControl.WITHHOLDS_DOCUMENTS,
    "debt_demanded": MethodOfControl.DEBT_BONDAGE, "beaten": MethodOfControl.PHYSICAL_ABUSE,
    "threatened": MethodOfControl.PHYSICAL_THREATS, "electrocution_threat": MethodOfControl.PHYSICAL_THREATS,
}
# fmt: on


def _check_paths() -> None:
    for target, paths in PATHS.items():
        for path in paths:
            current: str = S.REPORTED
            for step in path:
                if not can_move(current, step):
                    raise AssertionError(
                        f"demo path to {target}: {current} -> {step} is not allowed"
                    )
                current = step
            if current != target:
                raise AssertionError(f"demo path {path} ends at {current}, not {target}")


_check_paths()

_K = TypeVar("_K", bound=str)


def _weighted(rng: random.Random, weights: dict[_K, int]) -> _K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def plan_statuses(rng: random.Random, count: int) -> list[str]:
    """``count`` target states: every state once (when count allows), the rest by weight."""
    plan = list(CaseStatus.values)[:count]
    plan += [_weighted(rng, STATUS_WEIGHTS) for _ in range(count - len(plan))]
    rng.shuffle(plan)
    return plan
