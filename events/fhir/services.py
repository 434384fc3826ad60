"""Writes for the FHIR API: an event created or replaced by an LRMS, in one transaction each.

Like `events.services.event_submit`, each write goes through the lifecycle (events/lifecycle.py): a
new Event or a locked one, an immutable EventRevision with no actor, the revision's redaction queued
once the transaction commits and, for a new event, a message to the organisation's admins (an LRMS
is always "from outside"; the email says "by a local risk management system"). The `ApiSubmission`
beside the event records which client sent it for which organisation; it is what "From online
forms: no" means.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiClient, ApiIdempotencyRecord, ApiSubmission
from events.lifecycle import event_create, revision_append
from events.models import Event, EventRevision, RevisionAction
from events.notifications import event_recorded_notify_admins
from events.publication.api_outcomes import api_outcome_record
from events.publication.models import ApiSubmissionOutcome
from events.selectors import latest_revision
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from .auth import client_may_submit_for
from .national import statutory_changes, statutory_store_from_api
from .presenting import event_resource, resource_location
from .selectors import client_only_organisation
from .validation import Submission

DEFAULT_IDEMPOTENCY_TTL = dt.timedelta(hours=24)


class VersionConflict(Exception):
    def __init__(self, current: int):
        super().__init__(f"The current version is {current}")
        self.current = current


class IdempotencyKeyReused(Exception):
    pass


@dataclass(frozen=True)
class Idempotency:
    key: str
    request_hash: str


@dataclass(frozen=True)
class ApiResult:
    status: int
    body: dict[str, Any]
    location: str
    event: Event | None = None
    revision: EventRevision | None = None
    replayed: bool = False


def request_hash(method: str, path: str, document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


# Expired responses are deleted by a create at most this often per process, not by every one: a
# replay already ignores (and deletes) an expired one, so the purge is housekeeping, and a DELETE in
# each create's transaction cost a query and made concurrent creates of one client wait on each other.
PURGE_EVERY_SECONDS = 60
_purged_at = [float("-inf")]
_purge_lock = threading.Lock()


def _purge_due() -> bool:
    now = time.monotonic()
    with _purge_lock:
        if now - _purged_at[0] < PURGE_EVERY_SECONDS:
            return False
        _purged_at[0] = now
        return True


def idempotency_ttl() -> dt.timedelta:
    return getattr(settings, "FHIR_IDEMPOTENCY_TTL", DEFAULT_IDEMPOTENCY_TTL)


def idempotent_replay(*, client: ApiClient, idempotency: Idempotency) -> ApiResult | None:
    """The stored response to an earlier request with the same key, if there is one."""
    record = ApiIdempotencyRecord.objects.filter(client=client, key=idempotency.key).first()
    if record is None:
        return None
    if record.created_at < timezone.now() - idempotency_ttl():
        record.delete()
        return None
    if record.request_hash != idempotency.request_hash:
        raise IdempotencyKeyReused
    return ApiResult(record.response_status, record.response_body, record.response_location, replayed=True)


def idempotent_write(
    *, client: ApiClient, idempotency: Idempotency | None, write: Callable[[], ApiResult]
) -> ApiResult:
    """`write()` in one transaction with the answer stored under the request's Idempotency-Key.

    The key's row is inserted first: a concurrent retry with the same key blocks on it until this
    commits, then fails the unique constraint and replays the stored answer instead of writing twice.
    (Inserting it last, with the answer, saves a statement but lets the twin run its write first: a
    write that refuses a second of its kind, such as a Task API decision, answered it 422.)
    Without a key it is just `write()` in a transaction. Every create of the FHIR API goes through it.
    """
    try:
        return _idempotent_atomic(client, idempotency, write)
    except IntegrityError:
        if idempotency is None:
            raise
        replay = idempotent_replay(client=client, idempotency=idempotency)
        if replay is None:
            raise
        return replay


@transaction.atomic
def _idempotent_atomic(client, idempotency, write) -> ApiResult:
    if idempotency is not None and _purge_due():
        ApiIdempotencyRecord.objects.filter(
            client=client, created_at__lt=timezone.now() - idempotency_ttl()
        ).delete()
    record = None
    if idempotency is not None:
        # Inserted first: it holds the key, so a concurrent twin blocks here until this commits.
        record = ApiIdempotencyRecord.objects.create(
            client=client, key=idempotency.key, request_hash=idempotency.request_hash, response_status=0
        )
    result = write()
    if record is not None:
        record.response_status = result.status
        record.response_body = result.body
        record.response_location = result.location
        record.save(update_fields=["response_status", "response_body", "response_location"])
    return result


def event_create_from_api(
    *,
    client: ApiClient,
    submission: Submission,
    organisation: Organisation,
    base: str,
    idempotency: Idempotency | None = None,
) -> ApiResult:
    """A new event from an LRMS: reference number, revision 1, redaction queued, admins told; with an
    Idempotency-Key, at most once (`idempotent_write`)."""
    return idempotent_write(
        client=client,
        idempotency=idempotency,
        write=lambda: _create(client, submission, organisation, base),
    )


def _create(client, submission, organisation, base) -> ApiResult:
    revision = event_create(
        actor=None,
        answers=submission.answers,
        question_set_version=submission.version,
        recorder_organisation=organisation,
        fallback_organisation=organisation,
        is_anonymous=submission.anonymous,
    )
    event = revision.event
    statutory_store_from_api(event=event, revision=revision, answers=submission.statutory)
    api_submission = ApiSubmission.objects.create(
        event=event,
        client=client,
        organisation=organisation,
        data_sharing_opt_out=submission.data_sharing_opt_out,
    )
    event_recorded_notify_admins(event)
    return ApiResult(
        201,
        event_resource(event, revision, api_submission, base=base),
        resource_location(base, event, revision),
        event,
        revision,
    )


@transaction.atomic
def event_replace_from_api(
    *,
    client: ApiClient,
    event: Event,
    submission: Submission,
    organisation: Organisation,
    if_match: int | None,
    base: str,
) -> ApiResult:
    """Full replacement (PUT): a new revision, version + 1; 412 material when If-Match is stale.

    The event row is locked first, so of two updates naming the same version one wins and the other
    sees the new version and gets VersionConflict. Re-sending the current answers changes nothing.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = latest_revision(event)
    if if_match is not None and if_match != current.number:
        raise VersionConflict(current.number)
    api_submission = ApiSubmission.objects.select_for_update().get(event=event)
    unchanged = (
        submission.answers == current.answers
        and submission.version == current.question_set_version
        and submission.anonymous == event.is_anonymous
        and submission.data_sharing_opt_out == api_submission.data_sharing_opt_out
        and not statutory_changes(event, submission.statutory)
    )
    if unchanged:
        return ApiResult(
            200,
            event_resource(event, current, api_submission, base=base),
            resource_location(base, event, current),
            event,
            current,
        )
    revision = revision_append(
        event=event,
        action=RevisionAction.UPDATED,
        actor=None,
        answers=submission.answers,
        question_set_version=submission.version,
        fallback_organisation=organisation,
        is_anonymous=submission.anonymous,
    )
    statutory_store_from_api(event=event, revision=revision, answers=submission.statutory)
    api_submission.client = client
    api_submission.data_sharing_opt_out = submission.data_sharing_opt_out
    api_submission.save(update_fields=["client", "data_sharing_opt_out", "updated_at"])
    return ApiResult(
        200,
        event_resource(event, revision, api_submission, base=base),
        resource_location(base, event, revision),
        event,
        revision,
    )


# -- submission outcomes, for the organisation's data-quality page ----------------------------------------
def submission_accepted(*, organisation: Organisation) -> None:
    api_outcome_record(organisation=organisation, outcome=ApiSubmissionOutcome.Outcome.ACCEPTED)


def submission_rejected(*, client: ApiClient, document: Any, reason: str) -> None:
    """Counts a rejected POST or PUT against the organisation it was for, as far as that is known."""
    api_outcome_record(
        organisation=_rejected_for(client, document),
        outcome=ApiSubmissionOutcome.Outcome.REJECTED,
        reason=reason,
    )


def _rejected_for(client: ApiClient, document: Any) -> Organisation | None:
    """The ReporterOrganisation sent, when the key may submit for it; else the key's only organisation."""
    code = _reporter_organisation_sent(document) if isinstance(document, dict) else None
    organisation = organisation_by_code(code) if code else None
    if organisation is not None and client_may_submit_for(client, organisation):
        return organisation
    return client_only_organisation(client)


def _reporter_organisation_sent(document: dict) -> str | None:
    contained = document.get("contained")
    for resource in contained if isinstance(contained, list) else ():
        for extension in _list(resource.get("extension") if isinstance(resource, dict) else None):
            for item in _list(extension.get("extension") if isinstance(extension, dict) else None):
                if isinstance(item, dict) and item.get("url") == "ReporterOrganisation":
                    value = item.get("valueCode", item.get("valueString"))
                    return value.strip().upper() if isinstance(value, str) else None
    return None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
