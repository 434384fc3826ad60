"""Walks the patient form with the test client, as a browser without JavaScript would."""

from django.urls import reverse

from events.lifecycle import revision_publish
from events.models import Event

ANSWERS = {
    "ReporterWants": {"ReporterWants": ["learn"]},
    "ReporterRole": {"ReporterRole": "family"},
    "Organisation": {"Organisation-search": "RR8"},
    "EventDate": {"EventDate-day": "3", "EventDate-month": "11", "EventDate-year": "2026"},
    "CareStage": {"CareStage": "treatment"},
    "WentWrong": {"WentWrong": ["medicine", "communication"]},
    "WhatHappened": {"WhatHappened": "My mother was given the wrong dose of insulin on the ward at night."},
    "PersonHarm": {"PersonHarm": "moderate"},
    "PersonFeelings": {"PersonFeelings": "low"},
    "PersonEffect": {"PersonEffect": "She stayed two more days in hospital."},
    "Sharing": {"Sharing": "organisation"},
    "ContactName": {"ContactName": "Sam Jones"},
    "ContactEmail": {"ContactEmail": "sam.jones@example.org"},
    "ContactPhone": {"ContactPhone": "07700 900123"},
}


def walk(client, **changes) -> str:
    """Starts a report and answers every page it asks; returns the "Check your answers" URL."""
    answers = {**ANSWERS, **changes}
    response = client.post(reverse("patients:start"))
    assert response.status_code == 302, response
    url = response["Location"]
    for _ in range(30):
        page_id = url.rstrip("/").split("/")[-1]
        if page_id == "check":
            return url
        response = client.post(url, answers[page_id])
        assert response.status_code == 302, (page_id, response.content.decode()[:3000])
        url = response["Location"]
    raise AssertionError("the form never ended")


def send(client, **changes) -> Event:
    response = client.post(walk(client, **changes))
    assert response.status_code == 302 and response["Location"] == reverse("patients:sent"), response
    return Event.objects.latest("created_at")


def publish(event: Event) -> Event:
    """As the redaction worker would, with the text marked so tests can tell it was redacted."""
    for revision in event.revisions.all():
        redacted = dict(revision.answers)
        redacted["Description"] = "[redacted] " + redacted.get("Description", "")
        revision_publish(revision_id=revision.pk, redacted_answers=redacted)
    event.refresh_from_db()
    return event


def follow_token(client) -> str:
    return client.session["patient_sent"]["token"]
