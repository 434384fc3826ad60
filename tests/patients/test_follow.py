"""Follow my record: only the link reaches the record; links expire; the recorder adds information;
the organisation's redacted notes and stages show; anonymous staff recorders get links too."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus
from events.patients.models import FollowLink, RecorderUpdate, Stage

from .helpers import follow_token, publish, send

pytestmark = pytest.mark.django_db


def test_the_link_shows_the_records_status_and_nothing_is_reachable_without_it(client, places):
    event = send(client)
    token = follow_token(client)
    page = client.get(reverse("patients:follow", args=[token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]  # never kept by a browser or proxy cache
    assert event.display_reference in body and "Received" in body
    assert "wrong dose of insulin" not in body  # the record's text is not shown, even to the link holder
    stranger = client.__class__()
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), event.reference, "x" * 43, ""):
        if guess:
            response = stranger.get(reverse("patients:follow", args=[guess]))
            assert response.status_code == 404
            assert event.display_reference not in response.content.decode()


def test_only_the_hash_of_the_token_is_stored(client, places):
    send(client)
    token = follow_token(client)
    link = FollowLink.objects.get()
    assert token not in link.token_hash and len(token) >= 43  # 256 random bits


def test_an_expired_link_shows_nothing_of_the_record(client, places):
    event = send(client)
    token = follow_token(client)
    FollowLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("patients:follow", args=[token]))
    assert response.status_code == 410
    assert event.display_reference not in response.content.decode()


def test_the_recorder_adds_information_as_a_new_revision_redacted_like_the_rest(client, places):
    event = publish(send(client))
    token = follow_token(client)
    url = reverse("patients:follow", args=[token])
    response = client.post(url, {"form": "information", "information": ""})
    assert response.status_code == 400 and "Type the information" in response.content.decode()
    response = client.post(url, {"form": "information", "information": "The nurse was called Jo Bloggs."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.RECORDER_UPDATED
    latest = event.revisions.order_by("-number").first()
    assert latest.number == 2 and latest.actor is None
    assert latest.answers["Description"].endswith("The nurse was called Jo Bloggs.")
    assert latest.redaction_status == "pending"  # queued for the same redaction as every revision
    assert event.visible_revision.number == 1


def test_organisation_updates_show_to_the_link_holder_once_redacted(
    client, places, user_factory, membership_factory
):
    from events.patients.services import recorder_update_give

    event = publish(send(client))
    token = follow_token(client)
    team = user_factory()
    membership_factory(user=team, organisation=places["RR8"], account_type="organisational")
    update = recorder_update_give(
        event=event, actor=team, stage=Stage.ACTIONS_AGREED, note="Dr Smith apologised."
    )
    body = client.get(reverse("patients:follow", args=[token])).content.decode()
    assert "Actions agreed" not in body  # its note is still being redacted
    RecorderUpdate.objects.filter(pk=update.pk).update(
        redacted_note="[PERSON 1] apologised.", is_redacted=True
    )
    body = client.get(reverse("patients:follow", args=[token])).content.decode()
    assert "Actions agreed" in body and "[PERSON 1] apologised." in body and "Smith" not in body


def test_the_reporter_may_have_the_link_emailed(client, places):
    event = send(client)
    response = client.post(reverse("patients:sent"), {"email": "not an email"})
    assert response.status_code == 400 and "correct format" in response.content.decode()
    assert 'value="not an email"' in response.content.decode()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("patients:sent"), {"email": "sam@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@example.org"]
    assert follow_token(client) in mail.outbox[0].body and event.display_reference in mail.outbox[0].body
    assert FollowLink.objects.get().email == "sam@example.org"


def test_an_anonymous_staff_recorder_can_get_a_follow_link(client, places):
    from events.lifecycle import event_create

    revision = event_create(
        actor=None,
        answers={"EventType": "1", "Organisation": "RR8", "Description": "A fall on the ward."},
        question_set_version="5",
        recorder_organisation=None,
        fallback_organisation=places["RR8"],
        is_anonymous=True,
    )
    session = client.session
    session["submitted_record"] = {"revision": revision.pk}
    session.save()
    page = client.get(reverse("events:submitted")).content.decode()
    assert "Get a link to follow this record" in page
    response = client.post(reverse("patients:staff_follow_link"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert revision.event.display_reference in page
    token = follow_token(client)
    assert client.get(reverse("patients:follow", args=[token])).status_code == 200
    assert client.post(reverse("patients:staff_follow_link")).status_code == 404  # once only


def test_a_stranger_cannot_get_a_link_for_a_record_they_did_not_just_make(client, places):
    assert client.post(reverse("patients:staff_follow_link")).status_code == 404


def test_a_record_the_organisation_marked_reviewed_reads_reviewed_to_its_recorder(client, places):
    from events.lifecycle import revision_append

    event = publish(send(client))
    revision = event.visible_revision
    revision_append(
        event=event, action="reviewed", actor=None, answers=revision.answers, redacted_from=revision
    )
    body = client.get(reverse("patients:follow", args=[follow_token(client)])).content.decode()
    assert "Reviewed" in body.split('data-testid="progress"')[1].split("</dl>")[0]
