import pytest

from organisations.models import OrganisationKind
from tests.factories import OrganisationFactory


@pytest.fixture
def places(db) -> dict:
    """An ICB, a trust with a site, and another trust: real-looking ODS codes and postcodes."""
    icb = OrganisationFactory(ods_code="QWO", name="NHS West Yorkshire ICB", kind=OrganisationKind.ICB)
    trust = OrganisationFactory(
        ods_code="RR8",
        name="Leeds Teaching Hospitals NHS Trust",
        kind=OrganisationKind.NHS_TRUST,
        parent=icb,
        postcode="LS9 7TF",
    )
    site = OrganisationFactory(
        ods_code="RR801",
        name="Leeds General Infirmary",
        kind=OrganisationKind.TRUST_SITE,
        parent=trust,
        postcode="LS1 3EX",
    )
    other = OrganisationFactory(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        kind=OrganisationKind.NHS_TRUST,
        parent=icb,
        postcode="BD9 6RJ",
    )
    return {"QWO": icb, "RR8": trust, "RR801": site, "RAE": other}
