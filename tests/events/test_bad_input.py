"""Hostile and unusual input on the recording pages: clear messages, nothing lost, always escaped."""

import pytest
from django.urls import reverse

from events.models import Draft
from events.services import draft_create, draft_record_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = UserFactory()
    client.force_login(user)
    draft = draft_create(actor=user, anonymous=False)
    draft_record_page(draft=draft, page_id="EventType", values={"EventType": "1"})
    return client, draft


def description_url(draft):
    return reverse("events:question", args=[draft.key, "Description"])


def test_text_over_the_limit_is_refused_with_a_clear_message_and_kept(signed_in):
    client, draft = signed_in
    text = "a" * 100_000
    response = client.post(description_url(draft), {"Description": text})
    content = response.content.decode()
    assert "Description must be 32,000 characters or less" in content
    assert text in content  # what was typed is shown again, not thrown away
    assert "Description" not in Draft.objects.get(pk=draft.pk).answers


@pytest.mark.parametrize(
    "text",
    [
        "Patient 😀🙏 was upset 💊",
        "كان المريض يعاني من ألم شديد",  # Arabic, right to left
        "המטופל נפל ליד המיטה",  # Hebrew
        "Line one\x00\x07\x1b[31m control characters",
        "<script>alert('x')</script><b>bold</b> & <img src=x onerror=alert(1)>",
    ],
)
def test_unusual_text_is_stored_and_shown_escaped(signed_in, text):
    client, draft = signed_in
    response = client.post(description_url(draft), {"Description": text})
    assert response.status_code == 302
    stored = Draft.objects.get(pk=draft.pk).answers["Description"]
    assert stored.strip() and "\x00" not in stored and "\x1b" not in stored
    page = client.get(description_url(draft)).content.decode()
    review = client.get(reverse("events:review", args=[draft.key])).content.decode()
    for content in (page, review):
        assert "<script>alert" not in content
        assert "<img src=x" not in content
