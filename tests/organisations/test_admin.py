import pytest
from django.urls import reverse

from organisations.models import OrganisationKind
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_finds_organisations_by_code_prefix_and_name(admin_client):
    trust = OrganisationFactory(ods_code="RR8", name="Leeds Teaching Hospitals NHS Trust")
    OrganisationFactory(ods_code="RR813", name="St James's University Hospital", parent=trust)
    OrganisationFactory(ods_code="RAE", name="Bradford Teaching Hospitals NHS Foundation Trust")
    url = reverse("admin:organisations_organisation_changelist")

    by_code = admin_client.get(url, {"q": "rr8"})
    by_name = admin_client.get(url, {"q": "bradford"})

    assert by_code.status_code == by_name.status_code == 200
    assert [org.ods_code for org in by_code.context["cl"].result_list] == ["RR8", "RR813"]
    assert [org.ods_code for org in by_name.context["cl"].result_list] == ["RAE"]


def test_the_admin_filters_by_kind_and_status(admin_client):
    OrganisationFactory(ods_code="RR8", kind=OrganisationKind.NHS_TRUST)
    OrganisationFactory(ods_code="B86095", kind=OrganisationKind.GP_PRACTICE, status="C")
    url = reverse("admin:organisations_organisation_changelist")

    response = admin_client.get(url, {"kind__exact": "gp_practice", "status__exact": "C"})

    assert [org.ods_code for org in response.context["cl"].result_list] == ["B86095"]


def test_the_admin_edits_the_parent_by_id(admin_client):
    site = OrganisationFactory(ods_code="RR813")

    response = admin_client.get(reverse("admin:organisations_organisation_change", args=[site.pk]))

    assert response.status_code == 200
    assert "vForeignKeyRawIdAdminField" in response.content.decode()
