"""`load_demo_data`: what `make run` loads, idempotently, and never without DEBUG."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, User
from accounts.permissions import Action, allows_anywhere
from lfpse.demo import DEMO_PASSWORD, DEMO_USERS
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_loads_the_hierarchy_and_one_user_per_account_type(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "7 new demo users" in out.getvalue()
    assert Organisation.objects.get(ods_code="RR8").parent.ods_code == "QWO"
    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get().verified
    super_admin = User.objects.get(email="super.admin@nhs.net")
    assert super_admin.is_super_admin
    assert allows_anywhere(
        User.objects.get(email="icb.admin@nhs.net"), Action.VIEW_EVENTS_OF_CHILD_ORGANISATIONS
    )
    assert not allows_anywhere(
        User.objects.get(email="standard@nhs.net"), Action.VIEW_EVENTS_OF_MY_ORGANISATION
    )


def test_running_again_keeps_data_and_changed_passwords(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    user = User.objects.get(email="standard@nhs.net")
    user.set_password("Changed-Passw0rd")
    user.save()
    organisations, memberships = Organisation.objects.count(), Membership.objects.count()
    call_command("load_demo_data", stdout=StringIO())
    assert Organisation.objects.count() == organisations
    assert Membership.objects.count() == memberships
    assert User.objects.get(email="standard@nhs.net").check_password("Changed-Passw0rd")


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("load_demo_data", stdout=StringIO())
    assert not User.objects.exists()
