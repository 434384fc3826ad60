"""The similarity screens and reads, table-driven: for every account type of fixtures/permissions.csv
and every similarity operation ("events like this", the dashboard's search, the possible-duplicates
list, duplicate flags on a record page, link, dismiss, the themes list, a theme's page and its CSV),
what the table allows happens, nothing else does, no record outside the user's scope is shown and no
unredacted text ever is.

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1

As in tests/events/test_permissions_matrix.py, provider and read-only account types belong to trust
T1, ICB types to ICB Q1; "own" is T1 (Q1 for ICB members), "child" is T1 for ICB members and the
sibling trust T2 for everyone else, "unrelated" is U1. Every one of those organisations holds three
retellings of one insulin error (so each has duplicate flags and the ICBs and the nation a theme).
"""

import csv
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import AccountType
from accounts.permissions import Action, Target, allows
from events.similarity import selectors, themes
from events.similarity.models import DuplicateFlag, DuplicateStatus, Theme
from tests.events.test_organisation_support import member
from tests.factories import make_hierarchy
from tests.similarity.helpers import INSULIN, INSULIN_AGAIN, RAW_NAME, embedded_event

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "fixtures" / "permissions.csv"
with TABLE.open(newline="") as _handle:
    _ROWS = list(csv.DictReader(_handle))
COLUMNS = [name for name in _ROWS[0] if name not in ("action", "source")]
CELLS = {row["action"]: {column: row[column] == "yes" for column in COLUMNS} for row in _ROWS}

SIMILARITY_ACTIONS = (
    "link_duplicate_events_of_my_organisation",
    "view_themes_of_my_icb",
    "view_national_themes",
)
COMMISSIONERS = {"icb_organisational", "icb_admin"}
MEMBERSHIP_FOR_COLUMN = {
    "standard": ("T1", AccountType.STANDARD),
    "provider_organisational": ("T1", AccountType.ORGANISATIONAL),
    "provider_admin": ("T1", AccountType.ADMIN),
    "icb_organisational": ("Q1", AccountType.ORGANISATIONAL),
    "icb_admin": ("Q1", AccountType.ADMIN),
    "read_only": ("T1", AccountType.READ_ONLY),
    "super_admin": ("T1", AccountType.STANDARD),
}
PLACES = ("T1", "T2", "Q1", "U1")
TELLINGS = (
    INSULIN,
    INSULIN_AGAIN,
    "On ward 7 Jane Doe was given 10 units of insulin, not 1 unit; her blood glucose fell to 2.1.",
)
OPERATIONS = (
    "events_like_this",
    "search",
    "duplicates_list",
    "duplicate_flags_on_record",
    "link",
    "dismiss",
    "themes_list",
    "theme_page",
    "theme_csv",
)


def test_the_table_has_the_similarity_rows_and_every_account_type():
    assert set(SIMILARITY_ACTIONS) <= set(CELLS)
    assert COLUMNS[0] == "anonymous" and set(MEMBERSHIP_FOR_COLUMN) == set(COLUMNS[1:])


def place_of(column: str, code: str) -> str:
    """own / child / unrelated: where an organisation stands for this account type."""
    if code == "U1":
        return "unrelated"
    if column in COMMISSIONERS:
        return "own" if code == "Q1" else "child"
    return "own" if code == "T1" else "child"


def may_read(column: str, code: str) -> bool:
    """What the table lets the account type read of the organisation's records."""
    place = place_of(column, code)
    if place == "own":
        return CELLS["view_events_of_my_organisation"][column]
    if place == "child" and not (column not in COMMISSIONERS and code == "Q1"):
        return CELLS["view_events_of_child_organisations"][column]
    # An ICB's own records are not a trust member's "child"; nobody but a super admin reads U1.
    return column == "super_admin" and CELLS["view_events_of_every_organisation"][column]


def may_decide(column: str, code: str) -> bool:
    return place_of(column, code) == "own" and CELLS["link_duplicate_events_of_my_organisation"][column]


def may_see_theme(column: str, icb: str | None) -> bool:
    if icb is None:
        return CELLS["view_national_themes"][column]
    if column == "super_admin":
        return CELLS["view_themes_of_my_icb"][column]
    return icb == "Q1" and column in COMMISSIONERS and CELLS["view_themes_of_my_icb"][column]


@pytest.fixture
def world(db, client, request):
    column = request.param
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    records = {code: [embedded_event(recorder, code, text) for text in TELLINGS] for code in PLACES}
    themes.themes_build_all(records["T1"][0].event_date.replace(day=1))
    if column == "anonymous":
        user = AnonymousUser()
    else:
        code, account_type = MEMBERSHIP_FOR_COLUMN[column]
        user = member(hierarchy[code], account_type, is_super_admin=column == "super_admin")
        client.force_login(user)
    return column, user, records


def content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def refused(response, column: str) -> bool:
    if column == "anonymous":
        return response.status_code == 302 and response.url.startswith(reverse("account_login"))
    return response.status_code in (403, 404)


def shown_places(text: str, records) -> set[str]:
    """The organisations whose records a page or CSV names."""
    return {code for code, events in records.items() for e in events if e.reference in text}


def readable(column: str) -> set[str]:
    return {code for code in PLACES if may_read(column, code)}


def check(operation: str, client, column: str, user, records) -> None:
    """Does the operation as this account type and checks it against the table."""
    may = readable(column)
    if operation == "events_like_this":
        for code in PLACES:
            event = records[code][0]
            response = client.get(reverse("events:organisation_event", args=[event.reference]))
            text = content(response)
            assert RAW_NAME not in text
            if not may_read(column, code):
                assert response.status_code in (302, 403, 404), code
                assert not shown_places(text, records), code
                continue
            assert response.status_code == 200 and "Events like this" in text, code
            assert shown_places(text, records) <= may, code
            # The other retellings of its own organisation are among its ten likest.
            assert all(other.reference in text for other in records[code][1:]), code
            found = selectors.similar_events(user, event)
            assert found and {r.event.organisation.ods_code for r in found} <= may, code
            assert all(RAW_NAME not in r.snippet for r in found), code
        if not user.is_authenticated:
            return
        for code in PLACES:  # the selector alone, asked about a record the user may not open
            for result in selectors.similar_events(user, records[code][0]):
                assert result.event.organisation.ods_code in may and RAW_NAME not in result.snippet
        return
    if operation == "search":
        response = client.get(reverse("similarity:search"), {"description": "insulin overdose ward 7"})
        text = content(response)
        assert RAW_NAME not in text
        if not may:
            assert refused(response, column) and not shown_places(text, records)
            return
        assert response.status_code == 200
        assert shown_places(text, records) == may  # all it may see of the alike, nothing more
        found = selectors.similar_to_description(user, "insulin overdose ward 7")
        assert {r.event.organisation.ods_code for r in found} == may
        assert all(RAW_NAME not in r.snippet for r in found)
        return
    if operation == "duplicates_list":
        response = client.get(reverse("similarity:duplicates"))
        text = content(response)
        assert RAW_NAME not in text
        if not may:
            assert refused(response, column) and not shown_places(text, records)
            return
        assert response.status_code == 200 and shown_places(text, records) == may
        listed = selectors.open_duplicate_flags(user)
        assert {f.event.organisation.ods_code for f in listed} == may
        return
    if operation == "duplicate_flags_on_record":
        for code in PLACES:
            event = records[code][0]
            shown = selectors.duplicate_flags_for(user, event) if user.is_authenticated else []
            assert {item.other.organisation.ods_code for item in shown} <= may & {code}, code
            assert all(RAW_NAME not in item.snippet for item in shown), code
            if may_read(column, code):
                assert {item.other.pk for item in shown} == {e.pk for e in records[code][1:]}, code
                page = content(client.get(reverse("events:organisation_event", args=[event.reference])))
                assert "Possible duplicates" in page and RAW_NAME not in page, code
                assert ("Link as the same event" in page) is may_decide(column, code), code
        return
    if operation in ("link", "dismiss"):
        status = DuplicateStatus.LINKED if operation == "link" else DuplicateStatus.DISMISSED
        for code in PLACES:
            flag = DuplicateFlag.objects.filter(event__in=records[code], status=DuplicateStatus.OPEN).first()
            url = reverse("similarity:duplicate_decide", args=[flag.event.reference, flag.pk])
            response = client.post(url, {"decision": operation})
            flag.refresh_from_db()
            allowed = may_decide(column, code)
            assert (flag.status == status) is allowed, f"{column} {operation} {code}"
            if user.is_authenticated:
                target = Target(organisation=flag.event.organisation)
                assert allows(user, Action.LINK_DUPLICATE_EVENTS_OF_MY_ORGANISATION, target) is allowed
            if not allowed:
                assert refused(response, column) or response.status_code == 302, code
                if not may_read(column, code):
                    assert response.status_code in (302, 404), code
                assert flag.status == DuplicateStatus.OPEN
        return
    all_themes = list(Theme.objects.select_related("icb"))
    assert {t.icb.ods_code if t.icb else None for t in all_themes} >= {None, "Q1", "Q2"}
    if operation == "themes_list":
        response = client.get(reverse("similarity:themes"))
        allowed = {t.pk for t in all_themes if may_see_theme(column, t.icb.ods_code if t.icb else None)}
        if not allowed:
            assert refused(response, column)
            assert not user.is_authenticated or themes.themes_visible_to(user) is None
            return
        assert response.status_code == 200
        assert {t.pk for t in themes.themes_visible_to(user)} == allowed
        assert RAW_NAME not in content(response)
        return
    for theme in all_themes:
        icb = theme.icb.ods_code if theme.icb else None
        name = "similarity:theme" if operation == "theme_page" else "similarity:theme_csv"
        response = client.get(reverse(name, args=[theme.pk]))
        text = content(response)
        assert RAW_NAME not in text
        if not may_see_theme(column, icb):
            assert refused(response, column), f"{column} {operation} {icb}"
            assert not shown_places(text, records)
            continue
        assert response.status_code == 200, f"{column} {operation} {icb}"
        in_theme = {code for code in PLACES if any(e in theme.events.all() for e in records[code])}
        shown = shown_places(text, records)
        if operation == "theme_csv":  # every record of the theme it may see, and nothing more
            assert shown == in_theme & may, f"{column} {operation} {icb}"
        else:  # a few examples
            assert shown and shown <= in_theme & may, f"{column} {operation} {icb}"
            examples = themes.theme_examples(user, theme)
            assert {e.organisation.ods_code for e in examples} <= may


@pytest.mark.parametrize("world", COLUMNS, indirect=True)
def test_every_similarity_operation_does_what_the_table_allows_and_shows_nothing_more(client, world):
    column, user, records = world
    for operation in OPERATIONS:
        check(operation, client, column, user, records)


def test_the_policy_answers_the_similarity_rows_for_every_account_type(db):
    hierarchy = make_hierarchy()
    for column in COLUMNS:
        if column == "anonymous":
            user = AnonymousUser()
        else:
            code, account_type = MEMBERSHIP_FOR_COLUMN[column]
            user = member(hierarchy[code], account_type, is_super_admin=column == "super_admin")
        own = hierarchy["Q1" if column in COMMISSIONERS else "T1"]
        for action in SIMILARITY_ACTIONS:
            assert allows(user, Action(action), Target(organisation=own)) is CELLS[action][column], (
                column,
                action,
            )
            if column != "super_admin":  # nothing more in an unrelated organisation
                unrelated = Target(organisation=hierarchy["U1"])
                assert not allows(user, Action(action), unrelated), (column, action)
