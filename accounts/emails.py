"""Emails about access requests and decisions (templates/emails/access/*.txt and *.html).

Services render the messages inside their transaction, so the emails describe exactly what was
committed, and send them only once it commits (`transaction.on_commit`): a rolled-back change emails
nobody. A failure to send is logged, never undoes the change (robust=True).

Links are absolute. Their base is `settings.SITE_URL` when set (deployments should set it: a link
built from the Host header of whoever happened to trigger the email is only as trustworthy as
ALLOWED_HOSTS), otherwise the address of the request that triggered the email (`site_url`, which views
pass from `request.build_absolute_uri("/")`), otherwise http://localhost:8000.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import AccessRequest, Membership, RequestedAccess, User

logger = logging.getLogger(__name__)

FALLBACK_SITE_URL = "http://localhost:8000"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


def absolute_url(path: str, site_url: str = "") -> str:
    base = getattr(settings, "SITE_URL", "") or site_url or FALLBACK_SITE_URL
    return base.rstrip("/") + path


def _compose(template: str, subject: str, recipient: User, **context) -> Email:
    context.update(
        recipient=recipient,
        service_name=settings.SERVICE_NAME,
        helpdesk_email=settings.HELPDESK_EMAIL,
    )
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return Email(
        to=recipient.email,
        subject=f"{prefix}{subject}",
        text=render_to_string(f"emails/access/{template}.txt", context),
        html=render_to_string(f"emails/access/{template}.html", context),
    )


def _queue(emails: list[Email]) -> None:
    if not emails:
        return

    def send_access_emails() -> None:  # a named function: Django logs a robust hook's failure by name
        _send(emails)

    transaction.on_commit(send_access_emails, robust=True)


def _send(emails: list[Email]) -> None:
    messages = []
    for email in emails:
        message = EmailMultiAlternatives(email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to])
        message.attach_alternative(email.html, "text/html")
        messages.append(message)
    get_connection().send_messages(messages)


# What the deciders of a request the national team decides are told about it.
REQUEST_NOTES = {
    RequestedAccess.STANDARD: (
        "Their email address is not an nhs.net address, so the national patient safety team needs to "
        "approve them before they can use the service as a member of this organisation."
    ),
    RequestedAccess.SUPER_ADMIN: (
        "Super admins approve other super admins. Nobody can approve their own request."
    ),
}


def email_access_requested(
    access_request: AccessRequest, deciders: Iterable[User], *, site_url: str = ""
) -> None:
    """Tell everyone who may decide the request, one email each (no one sees the others' addresses)."""
    link = absolute_url(reverse("accounts:access_request", args=[access_request.pk]), site_url)
    requester = access_request.user
    subject = f"Access request from {requester.get_full_name()}: {access_request.access_label}"
    why = REQUEST_NOTES.get(access_request.account_type, "")
    emails = [
        _compose("access_requested", subject, decider, access_request=access_request, link=link, why=why)
        for decider in deciders
    ]
    if not emails:
        logger.warning("Access request %s has nobody to decide it", access_request.pk)
    _queue(emails)


def email_access_decided(access_request: AccessRequest, *, site_url: str = "") -> None:
    """Tell the requester the decision (the rejection reason included)."""
    template = f"access_request_{access_request.status}"
    verb = access_request.get_status_display().lower()
    subject = f"Your request for {access_request.access_label} has been {verb}"
    link = absolute_url(reverse("home"), site_url)
    _queue([_compose(template, subject, access_request.user, access_request=access_request, link=link)])


def email_access_revoked(
    *, member: User, access_label: str, membership: Membership | None, actor: User, site_url: str = ""
) -> None:
    """Tell a member their enhanced access (or super admin status) was revoked, and by whom."""
    link = absolute_url(reverse("home"), site_url)
    subject = f"Your {access_label} has been revoked"
    _queue(
        [
            _compose(
                "access_revoked",
                subject,
                member,
                access_label=access_label,
                membership=membership,
                actor=actor,
                link=link,
            )
        ]
    )
