import pytest

from lifeline.cases.workflow import (
    MAIN_PATH,
    SIDE_STATES,
    TRANSITIONS,
    CaseStatus,
    Urgency,
    allowed_moves,
    can_move,
    suggested_urgency,
)


def test_it_allows_each_next_step_of_the_main_path():
    for current, following in zip(MAIN_PATH, MAIN_PATH[1:], strict=False):
        assert can_move(current, following), (current, following)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("reported", "home"),
        ("reported", "sheltered"),
        ("home", "rescued"),
        ("closed", "home"),
        ("rescued", "reported"),
        ("located", "located"),
    ],
)
def test_it_refuses_moves_outside_the_workflow(current, target):
    assert not can_move(current, target)


def test_it_reaches_every_side_state_and_leaves_it():
    reachable = {target for targets in TRANSITIONS.values() for target in targets}
    for state in SIDE_STATES:
        assert state in reachable
        assert TRANSITIONS[state]


def test_it_can_reach_home_from_every_state_but_closed():
    for start in CaseStatus.values:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert CaseStatus.CLOSED in seen, start


def test_it_lists_allowed_moves_in_workflow_order():
    assert allowed_moves("reported")[:2] == ["verifying", "located"]
    assert allowed_moves("home") == ["closed"]


def test_it_suggests_urgency_from_danger_signs():
    assert suggested_urgency(["beaten"]) == Urgency.CRITICAL
    assert suggested_urgency(["about_to_be_moved", "locked_in"]) == Urgency.CRITICAL
    assert suggested_urgency(["passport_taken"]) == Urgency.HIGH
    assert suggested_urgency([]) == Urgency.NORMAL
