"""Emails about records (templates/emails/events/*.txt and *.html).

An organisation's admins hear when a record about their organisation is made from outside it: by
someone who is not a member, anonymously, or through the API. The email says which record and
where to find it, never what it says: its text is not redacted yet when it is sent.

Like the access emails (accounts/emails.py), the messages are composed inside the submitting
transaction and sent only once it commits; a failure to send is logged and never undoes the record.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.access_selectors import organisation_admin_list
from accounts.emails import absolute_url
from accounts.permissions import active_memberships
from organisations.selectors import own_organisation_ids

from .models import Event
from .organisation_selectors import event_type_name

logger = logging.getLogger(__name__)


def recorded_from_outside(event: Event) -> bool:
    """Nobody who is a member of the organisation (or of the trust above the site) recorded it."""
    if event.recorded_by_id is None:
        return True
    own = own_organisation_ids(event.organisation)
    return not any(membership.organisation_id in own for membership in active_memberships(event.recorded_by))


def event_recorded_notify_admins(event: Event, *, site_url: str = "") -> None:
    """Queues an email to each admin of the record's organisation when it came from outside it."""
    if event.organisation is None or not recorded_from_outside(event):
        return
    admins = organisation_admin_list(event.organisation)
    if not admins:
        return
    link = absolute_url(
        f"{reverse('events:organisation_events')}?organisation={event.organisation.ods_code}", site_url
    )
    context = {
        "event": event,
        "organisation": event.organisation,
        "event_type": event_type_name(event),
        "how": _how_recorded(event),
        "link": link,
        "service_name": settings.SERVICE_NAME,
        "helpdesk_email": settings.HELPDESK_EMAIL,
    }
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = f"{prefix}A patient safety event about {event.organisation.name} has been recorded"
    messages = []
    for admin in admins:
        context["recipient"] = admin
        message = EmailMultiAlternatives(
            subject,
            render_to_string("emails/events/outside_event_recorded.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [admin.email],
        )
        message.attach_alternative(
            render_to_string("emails/events/outside_event_recorded.html", context), "text/html"
        )
        messages.append(message)

    def send_outside_event_emails() -> None:  # named: Django logs a robust hook's failure by name
        get_connection().send_messages(messages)

    transaction.on_commit(send_outside_event_emails, robust=True)


def _how_recorded(event: Event) -> str:
    if event.is_anonymous:
        return "anonymously"
    if event.recorded_by_id is None:
        return "by a local risk management system"
    if event.recorder_organisation is not None:
        return f"by a member of {event.recorder_organisation}"
    return "by someone outside your organisation"
