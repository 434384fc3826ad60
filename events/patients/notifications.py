"""Emails to recorders about the progress of their record (the closed loop, docs/adr/0019).

Signed-in recorders are written to at their account's address; anyone who asked for progress by
email on a follow link (a patient, or an anonymous staff recorder) at that address. The email says
where the record has got to and the organisation's note, redacted; it never carries a follow link
(only its hash is kept) nor anything the recorder wrote. Queued to the worker once the transaction
commits, carrying ids only, and retried there when sending fails; a failure never undoes the update.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import absolute_url


def recorder_progress_notify(event_id: int, *, stage: str, update_id: int | None = None) -> None:
    """Queues, once the transaction commits, the email to whoever follows the record: the stage it
    has reached and, when the organisation wrote one, the note of update `update_id` (sent only once
    redacted). The task carries ids and the stage alone, never text; it is retried when sending fails
    (`patients.send_recorder_progress`)."""

    def queue_recorder_progress_email() -> None:
        from .tasks import send_recorder_progress

        send_recorder_progress.delay(event_id, stage, update_id)

    transaction.on_commit(queue_recorder_progress_email, robust=True)


def recorder_progress_send(event_id: int, stage: str, update_id: int | None = None) -> int:
    """The worker's job: composes and sends the progress email on one connection; returns how many
    were sent. Nothing of the record but its reference; the note only as redacted."""
    from events.models import Event

    from .models import RecorderUpdate, Stage

    event = Event.objects.select_related("recorded_by").filter(pk=event_id).first()
    if event is None:  # the record is gone
        return 0
    note = ""
    if update_id is not None:
        update = RecorderUpdate.objects.filter(pk=update_id, event_id=event_id, is_redacted=True).first()
        if update is None:  # not redacted (never sent raw) or gone
            return 0
        note = update.redacted_note
    recipients: list[tuple[str, str]] = []  # (address, where to look)
    if event.recorded_by_id is not None and not event.is_anonymous and event.recorded_by.email:
        where = absolute_url(reverse("events:record_detail", args=[event.reference]))
        recipients.append((event.recorded_by.email, where))
    for link in event.follow_links.filter(expires_at__gt=timezone.now()).exclude(email=None):
        if link.email and link.email not in {address for address, _where in recipients}:
            recipients.append((link.email, ""))
    if not recipients:
        return 0
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = prefix + _("News about your patient safety record %(reference)s") % {
        "reference": event.display_reference
    }
    messages = []
    for address, where in recipients:
        context = {
            "event": event,
            "stage_label": Stage(stage).label,
            "note": note,
            "where": where,
            "service_name": settings.SERVICE_NAME,
            "helpdesk_email": settings.HELPDESK_EMAIL,
        }
        message = EmailMultiAlternatives(
            subject,
            render_to_string("emails/patients/recorder_update.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        message.attach_alternative(
            render_to_string("emails/patients/recorder_update.html", context), "text/html"
        )
        messages.append(message)
    return get_connection().send_messages(messages) or 0


def follow_link_email(*, address: str, event, link: str) -> None:
    """Sends the reporter the link to follow their record, as they asked on the confirmation page."""
    context = {"event": event, "link": link, "service_name": settings.SERVICE_NAME}
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = prefix + _("Follow your patient safety record %(reference)s") % {
        "reference": event.display_reference
    }
    message = EmailMultiAlternatives(
        subject,
        render_to_string("emails/patients/follow_link.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [address],
    )
    message.attach_alternative(render_to_string("emails/patients/follow_link.html", context), "text/html")

    def send_follow_link_email() -> None:
        message.send()

    transaction.on_commit(send_follow_link_email, robust=True)
