"""Two people acting on the same request at the same moment, each on their own database connection.

The decision services lock the request row (SELECT ... FOR UPDATE): the second decision waits for the
first to commit, then sees it and is refused. To make the race certain rather than lucky, the first
audit write in each transaction is slowed down, so both transactions are open at once.
"""

import threading
import time

import pytest
from django.db import connection

import accounts.access
from accounts.access import (
    AccessAlreadyDecided,
    AccessRefused,
    access_request_approve,
    access_request_create,
    access_request_reject,
)
from accounts.models import AccessRequest, AccessRequestStatus, AccountType, AuditLogEntry, Membership, User
from tests.accounts.test_access_support import make_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises whole transactions",
    ),
]


def race(*calls, timeout: float = 20):
    """Run each call in its own thread and connection, all released at once; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread is stuck (deadlock?)"
    return outcomes


@pytest.fixture
def slow_audit(monkeypatch):
    original = accounts.access.audit_log_write

    def slow(**kwargs):
        entry = original(**kwargs)
        time.sleep(0.3)  # hold the transaction (and its row lock) open
        return entry

    monkeypatch.setattr(accounts.access, "audit_log_write", slow)


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_two_admins_approving_at_once_give_one_approval_and_one_clear_refusal(slow_audit):
    world = make_world()
    request = access_request_create(
        actor=world.jo, organisation=world.t1, account_type=AccountType.ORGANISATIONAL
    )
    outcomes = race(
        lambda: access_request_approve(AccessRequest.objects.get(pk=request.pk), actor=fresh(world.ada)),
        lambda: access_request_approve(AccessRequest.objects.get(pk=request.pk), actor=fresh(world.abe)),
    )
    approvals = [o for o in outcomes if isinstance(o, AccessRequest)]
    refusals = [o for o in outcomes if isinstance(o, AccessAlreadyDecided)]
    assert len(approvals) == 1 and len(refusals) == 1, outcomes
    winner = approvals[0].decided_by.get_full_name()
    assert f"This request has already been approved by {winner} on" in str(refusals[0])
    assert AuditLogEntry.objects.filter(action="access_request_approved").count() == 1
    assert AccessRequest.objects.get(pk=request.pk).status == AccessRequestStatus.APPROVED
    assert (
        Membership.objects.get(user=world.jo, organisation=world.t1).account_type
        == AccountType.ORGANISATIONAL
    )


def test_an_approval_and_a_rejection_at_once_give_exactly_one_decision(slow_audit):
    world = make_world()
    request = access_request_create(actor=world.sam, organisation=world.t2, account_type=AccountType.ADMIN)
    outcomes = race(
        lambda: access_request_approve(AccessRequest.objects.get(pk=request.pk), actor=fresh(world.sofia)),
        lambda: access_request_reject(AccessRequest.objects.get(pk=request.pk), actor=fresh(world.sunil)),
    )
    assert sum(isinstance(o, AccessRequest) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, AccessAlreadyDecided) for o in outcomes) == 1, outcomes
    decided = AccessRequest.objects.get(pk=request.pk)
    expected = AccountType.ADMIN if decided.status == AccessRequestStatus.APPROVED else AccountType.STANDARD
    assert Membership.objects.get(user=world.sam, organisation=world.t2).account_type == expected
    assert (
        AuditLogEntry.objects.filter(
            action__in=["access_request_approved", "access_request_rejected"]
        ).count()
        == 1
    )


def test_the_same_request_sent_twice_at_once_is_stored_once(slow_audit):
    world = make_world()
    outcomes = race(
        *[
            lambda: access_request_create(
                actor=fresh(world.jo), organisation=world.t1, account_type=AccountType.ADMIN
            )
            for _ in range(2)
        ]
    )
    assert sum(isinstance(o, AccessRequest) for o in outcomes) == 1, outcomes
    refusals = [o for o in outcomes if isinstance(o, AccessRefused)]
    assert len(refusals) == 1 and "You already asked for admin access" in str(refusals[0])
    assert AccessRequest.objects.filter(user=world.jo, status="pending").count() == 1
