"""Super admins' screens for LRMS API keys: list, create (the key is shown once) and revoke.

Services live with the API (events/fhir/clients.py); they ask the policy, as these views do before
reading forms and rendering.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import Action, allows
from events.fhir.auth import API_KEY_HEADER
from events.fhir.clients import (
    ApiClientRefused,
    api_client_create,
    api_client_revoke,
    api_clients_visible_to,
)
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

GET_POST = require_http_methods(["GET", "POST"])
MAX_RATE_LIMIT = 100_000


class ApiClientForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter the name of the local risk management system",
            "max_length": "Name must be 200 characters or less",
        },
    )
    organisations = forms.CharField(
        widget=forms.Textarea,
        error_messages={"required": "Enter the ODS code of at least one organisation"},
    )
    rate_limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_RATE_LIMIT,
        error_messages={
            "invalid": "Requests per minute must be a whole number",
            "min_value": "Requests per minute must be 1 or more",
            "max_value": f"Requests per minute must be {MAX_RATE_LIMIT:,} or less",
        },
    )

    def clean_organisations(self) -> list[Organisation]:
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["organisations"]) if code]
        found, unknown = [], []
        for code in dict.fromkeys(code.upper() for code in codes):
            organisation = organisation_by_code(code)
            (found.append(organisation) if organisation else unknown.append(code))
        if unknown:
            raise forms.ValidationError(f"No organisation has the ODS code {', '.join(unknown)}")
        if not found:
            raise forms.ValidationError("Enter the ODS code of at least one organisation")
        return found


def _require_api_client_manager(request: HttpRequest) -> None:
    if not allows(request.user, Action.MANAGE_API_CLIENTS):
        raise PermissionDenied


@login_required
def api_clients(request: HttpRequest) -> HttpResponse:
    _require_api_client_manager(request)
    clients = api_clients_visible_to(request.user)
    return render(request, "accounts/api_clients/list.html", {"clients": clients, "header": API_KEY_HEADER})


@login_required
@never_cache
@GET_POST
def api_client_new(request: HttpRequest) -> HttpResponse:
    _require_api_client_manager(request)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = api_client_create(
                name=form.cleaned_data["name"],
                organisations=form.cleaned_data["organisations"],
                rate_limit=form.cleaned_data["rate_limit"],
                actor=request.user,
            )
        except ApiClientRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            # Rendered, not redirected: the key exists only in this response.
            response = render(
                request,
                "accounts/api_clients/created.html",
                {"client": client, "key": key, "header": API_KEY_HEADER},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/api_clients/new.html", {"form": form})


@login_required
@GET_POST
def api_client_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_api_client_manager(request)
    client = get_object_or_404(api_clients_visible_to(request.user), pk=pk)
    context = {"client": client}
    if request.method == "POST":
        try:
            api_client_revoke(client=client, actor=request.user)
        except ApiClientRefused as refusal:
            context["refusal"] = str(refusal)
            return render(request, "accounts/api_clients/revoke.html", context, status=409)
        messages.success(request, f"The API key of {client.name} ({client.key_prefix}…) has been revoked.")
        return redirect("accounts:api_clients")
    return render(request, "accounts/api_clients/revoke.html", context)
