"""No similar-event, duplicate or theme result shows a record outside the user's scope, or unredacted
text, for every kind of account (issue 18).

    region Y1 ─ ICB Q1 ─ trust T1 ─ site T1S
                      └─ trust T2
    region Y2 ─ ICB Q2 ─ trust U1
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import AccountType
from events.similarity import selectors, themes
from events.similarity.models import DuplicateFlag
from events.visibility import events_visible_to
from tests.events.test_organisation_support import member
from tests.factories import UserFactory, make_hierarchy
from tests.similarity.helpers import INSULIN, INSULIN_AGAIN, RAW_NAME, embedded_event

pytestmark = pytest.mark.django_db

EVERYWHERE = ("T1", "T1S", "T2", "Q1", "U1", "Q2")
READERS = [
    ("T1", AccountType.STANDARD),
    ("T1", AccountType.ORGANISATIONAL),
    ("T1", AccountType.ADMIN),
    ("T1", AccountType.READ_ONLY),
    ("T1S", AccountType.ORGANISATIONAL),
    ("Q1", AccountType.ORGANISATIONAL),
    ("Q1", AccountType.ADMIN),
    ("Q1", AccountType.READ_ONLY),
    ("Y1", AccountType.ORGANISATIONAL),
    ("U1", AccountType.ADMIN),
]


@pytest.fixture
def world(db):
    hierarchy = make_hierarchy()
    recorder = member(hierarchy["T1"], AccountType.STANDARD)
    records = {code: embedded_event(recorder, code, INSULIN) for code in EVERYWHERE}
    records["T1-again"] = embedded_event(recorder, "T1", INSULIN_AGAIN)
    return hierarchy, records


def readers(hierarchy):
    for code, account_type in READERS:
        yield f"{code} {account_type}", member(hierarchy[code], account_type)
    yield "super admin", UserFactory(is_super_admin=True)
    yield "anonymous", AnonymousUser()


def test_events_like_this_and_the_search_show_only_records_the_user_may_see(world):
    hierarchy, records = world
    for name, user in readers(hierarchy):
        visible = set(events_visible_to(user).values_list("id", flat=True))
        for event in records.values():
            found = selectors.similar_events(user, event)
            assert {r.event.pk for r in found} <= visible - {event.pk}, name
            assert all(RAW_NAME not in r.snippet for r in found), name
        by_text = selectors.similar_to_description(user, "insulin overdose on ward 7, glucose 2.1")
        assert {r.event.pk for r in by_text} <= visible, name
        # Everything the user may see that is alike is found: the gate narrows, it does not hide more.
        assert {r.event.pk for r in by_text} == visible, name


def test_the_record_page_and_search_page_show_no_unredacted_text_and_nothing_out_of_scope(client, world):
    hierarchy, records = world
    user = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    client.force_login(user)
    page = client.get(reverse("events:organisation_event", args=[records["T1"].reference])).content.decode()
    assert "Events like this" in page
    assert records["T2"].reference in page and records["T1-again"].reference in page
    assert records["U1"].reference not in page and records["Q2"].reference not in page
    assert RAW_NAME not in page and "[PERSON 1]" in page
    search = client.get(reverse("similarity:search"), {"description": "insulin overdose"}).content.decode()
    assert records["T2"].reference in search and records["U1"].reference not in search
    assert RAW_NAME not in search


def test_search_needs_a_user_who_may_read_records_and_a_description(client, world):
    hierarchy, _ = world
    client.force_login(member(hierarchy["T1"], AccountType.STANDARD))
    assert client.get(reverse("similarity:search")).status_code == 403
    client.force_login(member(hierarchy["T1"], AccountType.ORGANISATIONAL))
    empty = client.get(reverse("similarity:search"), {"description": "  "})
    assert "Enter a description of the event" in empty.content.decode()


def test_duplicate_flags_show_only_to_those_who_may_see_both_records(client, world):
    hierarchy, records = world
    flag = DuplicateFlag.objects.get(event=records["T1-again"], candidate=records["T1"])
    # Flags join records of one organisation only (a trust with its sites).
    trust = {records[code].pk for code in ("T1", "T1S", "T1-again")}
    assert all({f.event_id, f.candidate_id} <= trust for f in DuplicateFlag.objects.all())
    for name, user in readers(hierarchy):
        visible = set(events_visible_to(user).values_list("id", flat=True))
        listed = selectors.open_duplicate_flags(user) if user.is_authenticated else []
        assert all(f.event_id in visible and f.candidate_id in visible for f in listed), name
        shown = selectors.duplicate_flags_for(user, records["T1"])
        assert all(item.other.pk in visible for item in shown), name
    outsider = member(hierarchy["U1"], AccountType.ADMIN)
    client.force_login(outsider)
    url = reverse("similarity:duplicate_decide", args=[records["T1"].reference, flag.pk])
    assert client.post(url, {"decision": "link"}).status_code == 404


@pytest.fixture
def month_of_themes(world):
    hierarchy, records = world
    month = records["T1"].event_date.replace(day=1)
    themes.themes_build_all(month)
    return hierarchy, records, month


def test_themes_are_shown_to_icb_users_and_super_admins_only_with_scoped_redacted_examples(
    client, month_of_themes
):
    hierarchy, records, _month = month_of_themes
    national = themes.themes_visible_to(UserFactory(is_super_admin=True))
    assert national and any(t.icb is None for t in national)
    q1_user = member(hierarchy["Q1"], AccountType.ORGANISATIONAL)
    q1_themes = themes.themes_visible_to(q1_user)
    assert q1_themes and {t.icb.ods_code for t in q1_themes} == {"Q1"}
    for column_user in (
        member(hierarchy["T1"], AccountType.ADMIN),
        member(hierarchy["T1"], AccountType.READ_ONLY),
        member(hierarchy["Q1"], AccountType.READ_ONLY),
        member(hierarchy["T1"], AccountType.STANDARD),
    ):
        assert themes.themes_visible_to(column_user) is None
        client.force_login(column_user)
        assert client.get(reverse("similarity:themes")).status_code == 403
    # The national theme holds U1's record, but a Q1 user may not open the national theme at all,
    # and a super admin's Q2 theme is not a Q1 user's.
    national_theme = next(t for t in national if t.icb is None)
    assert themes.theme_for(q1_user, national_theme.pk) is None
    for other in national:
        if other.icb is not None and other.icb.ods_code != "Q1":
            assert themes.theme_for(q1_user, other.pk) is None
    client.force_login(q1_user)
    theme = q1_themes[0]
    visible = set(events_visible_to(q1_user).values_list("id", flat=True))
    assert {e.pk for e in themes.theme_examples(q1_user, theme)} <= visible
    page = client.get(reverse("similarity:theme", args=[theme.pk])).content.decode()
    assert RAW_NAME not in page and records["U1"].reference not in page
    body = b"".join(client.get(reverse("similarity:theme_csv", args=[theme.pk])).streaming_content).decode()
    assert "[PERSON 1]" in body and RAW_NAME not in body and records["U1"].reference not in body
    assert client.get(reverse("similarity:theme", args=[national_theme.pk])).status_code == 404


def test_themes_are_built_once_a_month_for_last_month(world):
    _hierarchy, records = world
    month = records["T1"].event_date.replace(day=1)
    after = themes.next_month(month) + dt.timedelta(days=3)
    assert themes.themes_build_due(after) > 0
    assert themes.themes_build_due(after) == 0
