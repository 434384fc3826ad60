"""Emails about plans and PSII reports (docs/adr/0021, amended).

- a plan submitted -> the ICB users who may agree it;
- a plan agreed or returned -> the organisation's admins (who may write its plan);
- a PSII report awaiting sign-off -> the organisation's PSIRF executive lead(s);
- a PSII report shared with the ICB -> the ICB users who oversee the organisation's responses.

Who is told is asked of the policy (accounts/permissions.py) for each candidate (members of the
organisation, of the organisations above it, or holders of the role): nobody is hard-coded. Services
compose the emails inside their transaction and queue them to the worker (`responses.send_emails`)
once it commits; a rolled-back change emails nobody. The emails carry no free text (the rationale,
notes and plan text are redacted on the pages they link to), only what happened and a link. The
overdue reminder, which names the owner's actions, is queued as ids and rendered by the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.emails import absolute_url
from accounts.models import MembershipStatus, User
from accounts.permissions import Action, Target, allows, forget_memberships
from organisations.selectors import organisation_ancestor_ids

from .models import PsirfRoleName, Response, ResponsePlan

logger = logging.getLogger(__name__)


def _members_of(organisation_ids: Iterable[int]):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=sorted(set(organisation_ids)),
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _allowed(candidates, action: Action, target_for) -> list[User]:
    chosen = []
    for user in candidates:
        forget_memberships(user)
        if allows(user, action, target_for(user)):
            chosen.append(user)
    return chosen


def plan_deciders(plan: ResponsePlan) -> list[User]:
    """The ICB (and region) users who may agree or return the plan."""
    return _allowed(
        _members_of(organisation_ancestor_ids(plan.organisation)),
        Action.AGREE_RESPONSE_PLANS_OF_CHILD_ORGANISATIONS,
        lambda _user: Target(plan.organisation),
    )


def plan_writers(plan: ResponsePlan) -> list[User]:
    """The organisation's users who may write (and submit) its plan: its admins."""
    return _allowed(
        _members_of([plan.organisation_id]),
        Action.WRITE_RESPONSE_PLAN_FOR_MY_ORGANISATION,
        lambda _user: Target(plan.organisation),
    )


def sign_off_deciders(response: Response) -> list[User]:
    """The holders of the PSIRF executive lead role whom the policy lets sign the report off."""
    from .services import target

    holders = User.objects.filter(
        is_active=True,
        psirf_roles__organisation=response.organisation,
        psirf_roles__role=PsirfRoleName.EXECUTIVE_LEAD,
    ).distinct()
    return _allowed(
        holders,
        Action.SIGN_OFF_PSII_REPORT_FOR_MY_ORGANISATION,
        lambda user: target(user, response.organisation),
    )


def icb_overseers(response: Response) -> list[User]:
    """The users above the organisation who oversee its responses (its ICB, its region)."""
    return _allowed(
        _members_of(organisation_ancestor_ids(response.organisation)),
        Action.OVERSEE_RESPONSES_OF_CHILD_ORGANISATIONS,
        lambda _user: Target(response.organisation),
    )


def _compose(template: str, subject: str, recipient: User, **context) -> dict[str, str]:
    context.update(
        recipient=recipient, service_name=settings.SERVICE_NAME, helpdesk_email=settings.HELPDESK_EMAIL
    )
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return {
        "to": recipient.email,
        "subject": f"{prefix}{subject}",
        "text": render_to_string(f"emails/responses/{template}.txt", context),
        "html": render_to_string(f"emails/responses/{template}.html", context),
    }


def _queue(emails: list[dict[str, str]], what: str) -> None:
    if not emails:
        logger.warning("Nobody to email about %s", what)
        return

    def send_response_emails() -> None:
        from .tasks import send_emails

        send_emails.delay(emails)

    transaction.on_commit(send_response_emails, robust=True)


def emails_send(emails: list[dict[str, str]]) -> int:
    """The worker's job: sends the composed emails on one connection."""
    messages = []
    for email in emails:
        message = EmailMultiAlternatives(
            email["subject"], email["text"], settings.DEFAULT_FROM_EMAIL, [email["to"]]
        )
        message.attach_alternative(email["html"], "text/html")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


def plan_stepped(plan: ResponsePlan, step: str, *, site_url: str = "") -> None:
    """Called by plans.plan_step inside its transaction."""
    link = absolute_url(reverse("responses:plan", args=[plan.pk]), site_url)
    organisation = plan.organisation
    if step == "submit":
        subject = f"{organisation.name} has submitted its response plan (version {plan.version})"
        recipients, template = plan_deciders(plan), "plan_submitted"
    elif step in ("agree", "return"):
        verb = "agreed" if step == "agree" else "returned"
        subject = f"Your response plan (version {plan.version}) has been {verb} by the ICB"
        recipients, template = plan_writers(plan), f"plan_{verb}"
    else:
        return
    _queue(
        [
            _compose(template, subject, user, plan=plan, organisation=organisation, link=link)
            for user in recipients
        ],
        f"plan {plan.pk} {step}",
    )


def response_moved(response: Response, action: str, *, site_url: str = "") -> None:
    """Called by services after a PSII report moves: awaiting sign-off, or shared with the ICB."""
    from .lifecycle import ResponseAction

    link = absolute_url(reverse("responses:detail", args=[response.pk]), site_url)
    organisation = response.organisation
    if action == ResponseAction.SUBMITTED_FOR_SIGN_OFF:
        subject = f"A PSII report of {organisation.name} is awaiting your sign-off"
        recipients, template = sign_off_deciders(response), "psii_awaiting_sign_off"
        link = absolute_url(reverse("responses:sign_off", args=[response.pk]), site_url)
    elif action == ResponseAction.SHARED_WITH_ICB:
        subject = f"{organisation.name} has shared a signed-off PSII report"
        recipients, template = icb_overseers(response), "psii_shared"
    else:
        return
    _queue(
        [
            _compose(template, subject, user, response=response, organisation=organisation, link=link)
            for user in recipients
        ],
        f"response {response.pk} {action}",
    )


def overdue_actions(owner: User, actions: list, today) -> None:
    """The weekly reminder to an action's owner (actions.overdue_reminders_send, run by beat). Only ids
    and the date go into the queue: the worker reads the actions and renders the email
    (`overdue_reminder_send`), so no free text rests in the broker."""
    owner_id, action_ids, day = owner.pk, [action.pk for action in actions], today.isoformat()

    def send_overdue_reminder() -> None:
        from .tasks import send_overdue_reminder

        send_overdue_reminder.delay(owner_id, action_ids, day)

    transaction.on_commit(send_overdue_reminder, robust=True)


def overdue_reminder_send(owner_id: int, action_ids: list[int], day: str) -> int:
    """The worker's job: renders the reminder from the stored actions and sends it. The actions' text
    is shown as the policy lets the owner read it (raw for an owner, readers.py). Between the queueing
    and this run the owner may have left the organisation or the action been completed: both are
    checked again here, and an action that no longer qualifies is left out (no email if none does)."""
    from . import free_text, readers
    from .models import OPEN_ACTION_STATUSES, SafetyAction

    owner = User.objects.filter(pk=owner_id, is_active=True).exclude(email="").first()
    if owner is None:
        return 0
    forget_memberships(owner)  # as they are now, not as a cache on this object says
    actions = [
        action
        for action in SafetyAction.objects.filter(
            pk__in=action_ids, owner_id=owner_id, status__in=OPEN_ACTION_STATUSES
        )
        .select_related("organisation")
        .order_by("due_date", "id")
        if allows(owner, Action.VIEW_RESPONSES_OF_MY_ORGANISATION, Target(organisation=action.organisation))
    ]
    if not actions:
        return 0
    for action in free_text.show(actions, readers.safety_action_reader(owner, actions)):
        action.area_text = action.shown.plain("area_for_improvement")
    subject = f"{len(actions)} safety action{'s' if len(actions) > 1 else ''} overdue"
    link = absolute_url(reverse("responses:register") + "?overdue=1")
    email = _compose(
        "overdue_actions",
        subject,
        owner,
        owner=owner,
        actions=actions,
        today=dt.date.fromisoformat(day),
        link=link,
    )
    return emails_send([email])
