"""Organisations' screens of the closed loop: the triage queue of patient reports, "Feedback to the
recorder", and the super admins' complaints contacts (docs/adr/0019). Thin: selectors read through the
one read gate, services write, the policy decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import Action, allows, allows_anywhere, may_give_feedback_to_recorder
from events.visibility import event_visible_to, scope_for
from organisations.selectors import organisation_by_code

from .models import Stage
from .selectors import (
    complaints_contacts,
    contact_details_for,
    patient_answers_summary,
    patient_reports_queue,
    recorder_stage_label_for,
    recorder_updates_for_organisation,
    staff_matches_for,
)
from .services import complaints_contact_save, recorder_update_give

NOTE_MAX_LENGTH = 4000


# -- organisations: triage and feedback to the recorder ---------------------------------------------
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Patient reports of the user's organisations, each beside the staff records it may match."""
    if not allows_anywhere(request.user, Action.VIEW_EVENTS_OF_MY_ORGANISATION) and not allows_anywhere(
        request.user, Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS
    ):
        raise PermissionDenied
    scope = scope_for(request.user, request.GET.get("organisation"), request.GET.get("scope"))
    if scope is None:
        raise PermissionDenied
    reports = list(patient_reports_queue(request.user, scope)[:50])
    matches = staff_matches_for(request.user, reports)
    rows = [(event, matches[event.pk]) for event in reports]
    return render(request, "patients/queue.html", {"rows": rows, "scope": scope})


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Feedback to the recorder": the stage the record has reached and a note for the recorder."""
    event = event_visible_to(request.user, reference)
    if event is None:
        raise Http404("No such record")
    may_give = may_give_feedback_to_recorder(
        request.user, event.organisation, shared=event.shared_with_organisation
    )
    report = getattr(event, "patient_report", None)
    errors: list[tuple[str, str]] = []
    stage, note = "", ""
    if request.method == "POST":
        if not may_give:
            raise PermissionDenied
        stage, note = request.POST.get("stage", ""), request.POST.get("note", "")
        if stage not in Stage.values:
            errors.append(("stage", _("Choose where the record has got to")))
        if len(note) > NOTE_MAX_LENGTH:
            errors.append(
                ("note", _("The note must be %(max)s characters or less") % {"max": f"{NOTE_MAX_LENGTH:,}"})
            )
        if not errors:
            recorder_update_give(event=event, actor=request.user, stage=stage, note=note)
            messages.success(
                request, _("The recorder will see this once names and other details are removed")
            )
            return redirect("patients:feedback", reference=event.reference)
    return render(
        request,
        "patients/feedback.html",
        {
            "event": event,
            "report": report,
            # What the patient chose, in their words (codes only: their free text is the record's).
            "patient_answers": patient_answers_summary(report) if report else [],
            "contact": contact_details_for(request.user, event),
            "updates": recorder_updates_for_organisation(event),
            "recorder_stage": recorder_stage_label_for(request.user, event),
            "may_give": may_give,
            "stages": [(value, label) for value, label in Stage.choices if value != Stage.RECEIVED],
            "stage": stage,
            "note": note,
            "errors": errors,
            "error_for": dict(errors),
        },
        status=400 if errors else 200,
    )


# -- complaints contacts (super admins) ---------------------------------------------------------------
CONTACT_FIELDS = ("team_name", "email", "phone", "web_address")


@login_required
@require_http_methods(["GET", "POST"])
def complaints_contacts_page(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Action.MAINTAIN_COMPLAINTS_CONTACTS):
        raise PermissionDenied
    values = {name: request.POST.get(name, "").strip() for name in CONTACT_FIELDS}
    code = request.POST.get("organisation", "").strip()
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        organisation = organisation_by_code(code) if code else None
        if organisation is None:
            errors.append(("organisation", _("Enter the ODS code of an organisation")))
        if not values["team_name"]:
            errors.append(("team_name", _("Enter the name of the complaints or PALS team")))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                errors.append(
                    ("email", _("Enter an email address in the correct format, like name@example.com"))
                )
        if values["web_address"] and not values["web_address"].startswith(("https://", "http://")):
            errors.append(("web_address", _("Enter a web address starting with https://")))
        if not (values["email"] or values["phone"] or values["web_address"]):
            errors.append(("email", _("Enter an email address, a phone number or a web page")))
        if not errors:
            complaints_contact_save(actor=request.user, organisation=organisation, values=values)
            messages.success(
                request, _("Complaints contact saved for %(name)s") % {"name": organisation.name}
            )
            return redirect("patients:complaints_contacts")
    return render(
        request,
        "patients/complaints_contacts.html",
        {
            "contacts": complaints_contacts(),
            "values": values,
            "code": code,
            "errors": errors,
            "error_for": dict(errors),
        },
        status=400 if errors else 200,
    )
