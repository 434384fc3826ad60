"""One edit-draft model: the recorder's edits and organisation users' changes are both Drafts, with
one idle rule, one staleness rule and one constraint per kind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.models import EDIT_DRAFT_IDLE_LIMIT, Draft, DraftKind
from events.organisation_services import organisation_edit_discard, organisation_edit_open
from events.selectors import draft_for, draft_needs_sign_in
from events.services import draft_expires_at, drafts_expire, event_edit_open
from tests.events.test_organisation_support import member, organisation_edits, processed_event
from tests.factories import make_hierarchy

pytestmark = pytest.mark.django_db


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


@pytest.fixture
def admin(hierarchy):
    """An admin may both record (and so edit their own record) and change their organisation's."""
    return member(hierarchy["T1"], AccountType.ADMIN)


@pytest.fixture
def event(admin):
    return processed_event(admin, "T1")


def test_both_edits_of_one_person_are_drafts_of_their_own_kind(event, admin):
    own = event_edit_open(event=event, actor=admin)
    theirs = organisation_edit_open(event=event, actor=admin)
    assert (own.kind, theirs.kind) == (DraftKind.EDIT, DraftKind.ORGANISATION_EDIT)
    assert own.base_revision_id == theirs.base_revision_id == event.visible_revision_id
    assert theirs.question_set_version == event.visible_revision.question_set_version
    assert own.answers["Description"] != theirs.answers["Description"]  # raw words, redacted ones
    assert list(organisation_edits()) == [theirs]


def test_one_edit_draft_per_record_owner_and_kind(event, admin):
    theirs = organisation_edit_open(event=event, actor=admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(
            kind=DraftKind.ORGANISATION_EDIT,
            event=event,
            owner=admin,
            base_revision=theirs.base_revision,
            question_set_version="5",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(kind=DraftKind.ORGANISATION_EDIT, owner=admin, question_set_version="5")


def test_staleness_is_idleness_or_a_newer_revision(event, admin):
    draft = organisation_edit_open(event=event, actor=admin)
    now = timezone.now()
    assert not draft.is_stale(event.visible_revision_id, now)
    assert draft.is_stale(event.visible_revision_id + 1, now)
    assert draft.is_stale(event.visible_revision_id, now + EDIT_DRAFT_IDLE_LIMIT + dt.timedelta(seconds=1))
    assert draft_expires_at(draft) == draft.updated_at + EDIT_DRAFT_IDLE_LIMIT


def test_idle_organisation_edits_expire_with_the_recorders(event, admin):
    own = event_edit_open(event=event, actor=admin)
    theirs = organisation_edit_open(event=event, actor=admin)
    Draft.objects.filter(pk__in=[own.pk, theirs.pk]).update(
        updated_at=timezone.now() - dt.timedelta(minutes=31)
    )
    assert drafts_expire() == 2
    assert not Draft.objects.exists()


def test_the_recording_screens_never_reach_an_organisation_edit(client, event, admin):
    theirs = organisation_edit_open(event=event, actor=admin)
    assert draft_for(theirs.key, owner_id=admin.pk, anonymous_keys=[]) is None
    client.force_login(admin)
    for url in (
        reverse("events:review", args=[theirs.key]),
        reverse("events:question", args=[theirs.key, "Description"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("events:delete_draft", args=[theirs.key])).status_code == 404
    assert organisation_edits().exists()


def test_only_an_organisation_edit_is_discarded_as_one(event, admin):
    own = event_edit_open(event=event, actor=admin)
    with pytest.raises(PermissionDenied):
        organisation_edit_discard(draft=own)
    assert Draft.objects.filter(pk=own.pk).exists()


def test_only_a_signed_in_recorders_own_drafts_send_a_visitor_to_sign_in(event, admin):
    """docs/adr/0022, amended: a signed-out owner is sent to sign in and back; signing in would not
    open an anonymous draft or an organisation user's changes, so those stay not found."""
    own_edit = event_edit_open(event=event, actor=admin)
    theirs = organisation_edit_open(event=event, actor=admin)
    new = Draft.objects.create(owner=admin, question_set_version="5")
    anonymous = Draft.objects.create(is_anonymous=True, question_set_version="5")
    assert draft_needs_sign_in(new.key) and draft_needs_sign_in(own_edit.key)
    assert not draft_needs_sign_in(theirs.key)
    assert not draft_needs_sign_in(anonymous.key)
    assert not draft_needs_sign_in("6f1c3c5e-0000-4000-8000-000000000000")
