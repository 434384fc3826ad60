"""`{% may %}` and `{% may_anywhere %}`: templates ask the policy, as the views do."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from accounts.models import AccountType
from tests.factories import MembershipFactory, UserFactory, make_hierarchy


def render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load policy %}" + source).render(Context({"request": request, **context})).strip()


@pytest.fixture
def hierarchy(db):
    return make_hierarchy()


def test_may_answers_for_the_request_user():
    source = '{% may "manage_api_clients" as allowed %}{% if allowed %}yes{% else %}no{% endif %}'
    assert render(source, UserFactory.build(is_super_admin=True)) == "yes"
    assert render(source, UserFactory.build()) == "no"
    assert render(source, AnonymousUser()) == "no"


def test_may_asks_about_the_organisation_given(hierarchy):
    user = UserFactory()
    MembershipFactory(user=user, organisation=hierarchy["T1"], account_type=AccountType.ORGANISATIONAL)
    source = '{% may "update_event_of_my_organisation" organisation as allowed %}{{ allowed }}'
    assert render(source, user, organisation=hierarchy["T1"]) == "True"
    assert render(source, user, organisation=hierarchy["T1S"]) == "True"  # a site counts as its trust
    assert render(source, user, organisation=hierarchy["T2"]) == "False"


def test_may_knows_whether_the_user_made_the_record(hierarchy):
    user = UserFactory()
    MembershipFactory(user=user, organisation=hierarchy["Q1"], account_type=AccountType.ORGANISATIONAL)
    source = '{% may "mark_own_events_reviewed" organisation authored=authored as allowed %}{{ allowed }}'
    assert render(source, user, organisation=hierarchy["T2"], authored=True) == "True"
    assert render(source, user, organisation=hierarchy["T2"], authored=False) == "False"


def test_may_anywhere_asks_about_any_of_the_users_organisations(hierarchy):
    admin, member = UserFactory(), UserFactory()
    MembershipFactory(user=admin, organisation=hierarchy["T2"], account_type=AccountType.ADMIN)
    MembershipFactory(user=member, organisation=hierarchy["T2"], account_type=AccountType.ORGANISATIONAL)
    source = '{% may_anywhere "view_access_log_for_my_organisation" as allowed %}{{ allowed }}'
    assert render(source, admin) == "True"
    assert render(source, member) == "False"


def test_an_action_the_policy_does_not_know_fails_loudly():
    with pytest.raises(TemplateSyntaxError, match="no action 'is_super_admin'"):
        render('{% may "is_super_admin" as allowed %}', UserFactory.build(is_super_admin=True))
