"""Encryption at rest and key rotation."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from events.models import Draft
from events.services import draft_create
from lfpse.encryption import decrypt_json, encrypt_json
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored_answers(draft: Draft) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM events_draft WHERE id = %s", [draft.pk])
        return cursor.fetchone()[0]


def test_values_round_trip_and_are_unreadable_at_rest():
    draft = draft_create(actor=UserFactory(), anonymous=False)
    draft.answers = {"Description": "Mrs Dorota Zielinska fell"}
    draft.save()
    assert "Zielinska" not in stored_answers(draft)
    assert Draft.objects.get(pk=draft.pk).answers == {"Description": "Mrs Dorota Zielinska fell"}


def test_rotation_re_encrypts_with_the_new_key_and_old_keys_can_then_go(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    draft = draft_create(actor=UserFactory(), anonymous=False)
    draft.answers = {"Description": "Mr Kwame Mensah"}
    draft.save()
    before = stored_answers(draft)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "events.Draft.answers: 1 values re-encrypted" in out.getvalue()
    after = stored_answers(draft)
    assert after != before

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone: the data is still readable
    assert Draft.objects.get(pk=draft.pk).answers == {"Description": "Mr Kwame Mensah"}


def test_a_wrong_key_fails_loudly_not_silently(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_json({"a": 1})
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="could not be read"):
        decrypt_json(token)


def test_production_refuses_to_derive_a_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_DERIVE_FROM_SECRET_KEY = False
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        encrypt_json({"a": 1})
