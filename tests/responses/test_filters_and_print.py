"""The response list's and the register's filters as GOV.UK GET forms (values kept, a bad value gets a
message), and the board report's print stylesheet and "Print this page" link."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountType
from events.responses import actions, services
from events.responses.models import SafetyAction
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy

from .support import incident

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    lead = member(hierarchy["T1"], AccountType.ORGANISATIONAL, email="lead@nhs.net")
    aar = services.response_decide(actor=lead, event=incident(recorder), kind="aar", rationale="AAR")
    closed = services.response_decide(actor=lead, event=incident(recorder), kind="none", rationale="None")
    return hierarchy, lead, aar, closed


def listing(client, user, query: str) -> str:
    client.force_login(user)
    answer = client.get(reverse("responses:list") + query)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_list_filters_by_kind_and_status_and_keeps_the_choices(client, world):
    _hierarchy, lead, aar, closed = world
    html = listing(client, lead, "?organisation=T1&kind=aar&status=in_progress")
    assert 'data-testid="filters"' in html and 'method="get"' in html
    assert f'href="/organisation/responses/{aar.pk}/"' in html
    assert f'href="/organisation/responses/{closed.pk}/"' not in html
    assert '<option value="aar" selected>' in html and '<option value="in_progress" selected>' in html
    assert 'name="organisation" value="T1"' in html  # the organisation is kept
    html = listing(client, lead, "?organisation=T1&status=closed")
    assert f'href="/organisation/responses/{closed.pk}/"' in html
    assert f'href="/organisation/responses/{aar.pk}/"' not in html
    html = listing(client, lead, "?organisation=T1&kind=swarm")
    assert "No responses match these filters" in html


def test_a_bad_filter_value_gets_a_message_and_the_other_filters_still_apply(client, world):
    _hierarchy, lead, aar, closed = world
    html = listing(client, lead, "?organisation=T1&kind=nonsense&status=closed")
    assert "There is a problem" in html and "Select a type of response from the list" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Responses" in html
    assert f'href="/organisation/responses/{closed.pk}/"' in html  # the valid filter still applies
    assert f'href="/organisation/responses/{aar.pk}/"' not in html
    html = listing(client, lead, "?organisation=T1&status=bogus")
    assert "Select a status from the list" in html and "govuk-select--error" in html


def test_the_register_filters_by_status_or_overdue(client, world):
    hierarchy, lead, _aar, _closed = world
    values = {
        "action": "Act",
        "owner_email": "lead@nhs.net",
        "due_date": timezone.localdate() + dt.timedelta(days=5),
        "measure": "Audit",
        "strength": "weaker",
    }
    late = actions.safety_action_create(
        actor=lead, organisation=hierarchy["T1"], values={**values, "area_for_improvement": "Late one"}
    )
    actions.safety_action_create(
        actor=lead, organisation=hierarchy["T1"], values={**values, "area_for_improvement": "On time"}
    )
    SafetyAction.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(lead)
    register = reverse("responses:register")
    html = client.get(register + "?organisation=T1&status=overdue").content.decode()
    assert "Late one" in html and "On time" not in html and '<option value="overdue" selected>' in html
    html = client.get(register + "?organisation=T1&overdue=1").content.decode()  # the older link
    assert "Late one" in html and "On time" not in html
    html = client.get(register + "?organisation=T1&status=not_started").content.decode()
    assert "Late one" in html and "On time" in html
    html = client.get(register + "?organisation=T1&status=finished").content.decode()
    assert "There is a problem" in html and "Select a status from the list" in html


def test_the_board_report_has_a_print_link_and_a_print_stylesheet(client, world):
    _hierarchy, lead, _aar, _closed = world
    client.force_login(lead)
    html = client.get(reverse("responses:board_report") + "?organisation=T1").content.decode()
    assert (
        'class="app-board-report"' in html and "Print this page" in html and 'data-module="app-print"' in html
    )
    scss = (ROOT / "static" / "scss" / "app.scss").read_text()
    block = scss[scss.index("// The board report") :]
    assert "@media print" in block
    for rule in (
        ".govuk-header",
        ".govuk-footer",
        ".govuk-service-navigation",
        ".govuk-button",
        "break-inside: avoid",
        "content: none !important",
        ".app-board-report__tools",
    ):
        assert rule in block, rule
