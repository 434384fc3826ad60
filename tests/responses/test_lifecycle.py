"""The response lifecycle: every cell of the transitions table, every pair outside it refused, every
move audited (events/responses/lifecycle.py)."""

import itertools

import pytest

from events.responses import lifecycle
from events.responses.lifecycle import NEW, TRANSITIONS, IllegalTransition, ResponseAction, transition
from events.responses.models import ResponseKind, ResponseStatus

STATUSES = [NEW, *ResponseStatus.values]


@pytest.mark.parametrize(
    ("kind", "status", "action"), list(itertools.product(ResponseKind.values, STATUSES, ResponseAction))
)
def test_the_table_decides_every_kind_status_and_action(kind, status, action):
    if (kind, status, action) in TRANSITIONS:
        assert transition(kind, status, action) == TRANSITIONS[(kind, status, action)]
    else:
        with pytest.raises(IllegalTransition) as refused:
            transition(kind, status, action)
        assert lifecycle.ACTION_LABELS[action] in str(refused.value)


def test_the_paths_through_the_table():
    def walk(kind, *actions):
        status = NEW
        for action in actions:
            status = transition(kind, status, action)
        return status

    A = ResponseAction
    assert walk("none", A.DECIDED) == ResponseStatus.CLOSED
    assert walk("referral", A.DECIDED, A.REFERRAL_CLOSED) == ResponseStatus.CLOSED
    assert walk("swarm", A.DECIDED, A.ANSWERS_SAVED, A.COMPLETED) == ResponseStatus.COMPLETED
    assert walk(
        "psii", A.DECIDED, A.ANSWERS_SAVED, A.SUBMITTED_FOR_SIGN_OFF, A.RETURNED, A.SUBMITTED_FOR_SIGN_OFF,
        A.SIGNED_OFF, A.SHARED_WITH_ICB,
    ) == ResponseStatus.SHARED_WITH_ICB  # fmt: skip
    with pytest.raises(IllegalTransition, match="not allowed on a response that is in progress"):
        transition("psii", ResponseStatus.IN_PROGRESS, A.COMPLETED)  # a PSII is signed off, not completed
    with pytest.raises(IllegalTransition):
        transition("psii", ResponseStatus.AWAITING_SIGN_OFF, A.ANSWERS_SAVED)  # frozen while awaiting
