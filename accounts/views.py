from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access_selectors import memberships_awaiting_approval
from .home import home_actions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    main_actions, settings_actions = home_actions(request.user)
    awaiting = memberships_awaiting_approval(request.user)
    return render(
        request,
        "home.html",
        {"main_actions": main_actions, "settings_actions": settings_actions, "awaiting": awaiting},
    )


class RegisterStartForm(forms.Form):
    has_account = forms.ChoiceField(
        choices=[
            ("yes", "Connect your NHS England Applications account"),
            ("no", "Create an account"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you already have an NHS England Applications account"},
    )


@require_http_methods(["GET", "POST"])
def register_start(request: HttpRequest) -> HttpResponse:
    """ "Set up an account": connect an existing NHS England Applications account, or create one."""
    form = RegisterStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("account_login" if form.cleaned_data["has_account"] == "yes" else "account_signup")
    return render(request, "account/register_start.html", {"form": form})
