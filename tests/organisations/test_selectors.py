import pytest
from django.db.models import Exists, OuterRef

from organisations.models import Organisation, OrganisationKind, OrganisationStatus
from organisations.selectors import (
    child_organisation_sample,
    counting_as_q,
    holds_for_own_organisation,
    organisation_ancestor_ids,
    organisation_ancestors,
    organisation_by_code,
    organisation_ids_counting_as,
    organisation_ids_with_those_below,
    organisations_below,
    organisations_by_code_prefetch,
    organisations_by_code_remembered,
    organisations_search,
    own_organisation_ids,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def make(code: str, name: str, kind: str, parent: Organisation | None = None, **extra) -> Organisation:
    return OrganisationFactory(ods_code=code, name=name, kind=kind, parent=parent, **extra)


@pytest.fixture
def tree():
    """Two ICBs in one region, each with a trust and its sites, a sub-ICB location and its practices."""
    orgs = {}
    orgs["Y63"] = make("Y63", "NHS England North East and Yorkshire", OrganisationKind.REGION)
    orgs["QWO"] = make("QWO", "NHS West Yorkshire Integrated Care Board", OrganisationKind.ICB, orgs["Y63"])
    orgs["QHM"] = make(
        "QHM", "NHS North East and North Cumbria Integrated Care Board", OrganisationKind.ICB, orgs["Y63"]
    )
    orgs["RR8"] = make("RR8", "Leeds Teaching Hospitals NHS Trust", OrganisationKind.NHS_TRUST, orgs["QWO"])
    orgs["RR801"] = make("RR801", "Leeds General Infirmary", OrganisationKind.TRUST_SITE, orgs["RR8"])
    orgs["RR813"] = make("RR813", "St James's University Hospital", OrganisationKind.TRUST_SITE, orgs["RR8"])
    orgs["15F"] = make("15F", "NHS West Yorkshire ICB - 15F", OrganisationKind.SUB_ICB_LOCATION, orgs["QWO"])
    orgs["B86081"] = make("B86081", "Bellbrooke Surgery", OrganisationKind.GP_PRACTICE, orgs["15F"])
    orgs["B86095"] = make(
        "B86095",
        "Shafton Lane Surgery",
        OrganisationKind.GP_PRACTICE,
        orgs["15F"],
        status=OrganisationStatus.CLOSED,
    )
    orgs["RTD"] = make(
        "RTD",
        "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        OrganisationKind.NHS_TRUST,
        orgs["QHM"],
    )
    orgs["RTD01"] = make("RTD01", "Freeman Hospital", OrganisationKind.TRUST_SITE, orgs["RTD"])
    return orgs


def codes(queryset) -> set[str]:
    return set(queryset.values_list("ods_code", flat=True))


def test_the_ancestors_of_a_site_are_its_trust_icb_and_region(tree):
    assert codes(organisation_ancestors(tree["RR813"])) == {"RR8", "QWO", "Y63"}
    assert organisation_ancestor_ids(tree["RR813"]) == {tree["RR8"].pk, tree["QWO"].pk, tree["Y63"].pk}


def test_a_region_has_no_ancestors(tree):
    assert codes(organisation_ancestors(tree["Y63"])) == set()
    assert organisation_ancestor_ids(tree["Y63"]) == set()


def test_everything_is_below_the_region(tree):
    assert codes(organisations_below(tree["Y63"])) == set(tree) - {"Y63"}


def test_below_an_icb_are_only_its_own_organisations(tree):
    assert codes(organisations_below(tree["QWO"])) == {"RR8", "RR801", "RR813", "15F", "B86081", "B86095"}
    assert codes(organisations_below(tree["QHM"])) == {"RTD", "RTD01"}


def test_several_organisations_with_those_below_them_in_one_query(tree, django_assert_num_queries):
    chosen = Organisation.objects.filter(ods_code__in=["RR8", "15F", "RTD01"])
    with django_assert_num_queries(1):
        found = organisation_ids_with_those_below(chosen)
    expected = {"RR8", "RR801", "RR813", "15F", "B86081", "B86095", "RTD01"}
    assert found == {tree[code].pk for code in expected}
    assert organisation_ids_with_those_below(Organisation.objects.none()) == set()


def test_codes_looked_up_at_once_are_remembered_as_one_by_one(tree, django_assert_num_queries):
    with organisations_by_code_remembered():
        with django_assert_num_queries(1):
            organisations_by_code_prefetch(["RR8", " rr801 ", "NOPE"])
        with django_assert_num_queries(0):
            assert organisation_by_code("RR8") == tree["RR8"]
            assert organisation_by_code("rr801") == tree["RR801"]
        with django_assert_num_queries(2):  # not found: the case-insensitive look-up, as before
            assert organisation_by_code("NOPE") is None
    with django_assert_num_queries(0):
        organisations_by_code_prefetch(["RR8"])  # outside a request's memory: nothing to fill


def test_nothing_is_below_a_practice(tree):
    assert codes(organisations_below(tree["B86081"])) == set()


def test_the_below_queryset_can_be_filtered_further(tree):
    practices = organisations_below(tree["QWO"]).filter(kind=OrganisationKind.GP_PRACTICE)

    assert codes(practices) == {"B86081", "B86095"}


def test_a_loop_in_the_parent_links_does_not_hang_the_queries(tree):
    # Data from outside could make one; the queries must still end.
    Organisation.objects.filter(pk=tree["Y63"].pk).update(parent=tree["RR801"])

    assert codes(organisations_below(tree["QWO"])) == set(tree)
    assert "Y63" in codes(organisation_ancestors(tree["RR813"]))


@pytest.mark.parametrize("query", ["Bellbrooke", "bellbrooke surgery", "  SURGERY   bellbrooke ", "brooke"])
def test_search_finds_names_with_every_word_typed(tree, query):
    assert codes(organisations_search(query)) == {"B86081"}


@pytest.mark.parametrize("query", ["RR8", "rr8", " rr8 "])
def test_search_finds_an_exact_ods_code(tree, query):
    assert codes(organisations_search(query)) == {"RR8"}


def test_search_does_not_match_part_of_a_code(tree):
    assert codes(organisations_search("RR81")) == set()


def test_search_leaves_out_closed_organisations(tree):
    assert codes(organisations_search("Shafton")) == set()
    assert codes(organisations_search("B86095")) == set()
    assert codes(organisations_search("surgery")) == {"B86081"}


def test_search_puts_an_exact_code_first_and_respects_the_limit(tree):
    named_after_a_code = make("X0001", "Clinic next to site RR801", OrganisationKind.OTHER)

    results = list(organisations_search("RR801", limit=2))
    assert results == [tree["RR801"], named_after_a_code]

    assert len(organisations_search("NHS", limit=3)) == 3
    assert [org.ods_code for org in organisations_search("NHS")] == ["RR8", "Y63", "QHM", "15F", "QWO", "RTD"]


def test_an_empty_search_finds_nothing(tree):
    assert codes(organisations_search("   ")) == set()


def test_an_organisation_is_found_by_its_code(tree):
    assert organisation_by_code(" rr813 ") == tree["RR813"]
    assert organisation_by_code("ZZZ") is None


def test_a_code_stored_in_lower_case_is_still_found():
    typed_by_hand = make("x123", "Typed by hand", OrganisationKind.OTHER)

    assert organisation_by_code("X123") == typed_by_hand


# -- "a trust's site counts as its trust", read both ways ------------------------------------------------
def test_a_site_counts_as_its_trust_and_nothing_else_counts_upwards(tree):
    assert own_organisation_ids(tree["RR801"]) == {tree["RR801"].pk, tree["RR8"].pk}
    assert own_organisation_ids(tree["RR8"]) == {tree["RR8"].pk}  # a trust is not its ICB
    assert own_organisation_ids(tree["B86081"]) == {tree["B86081"].pk}  # a practice is not its sub-ICB
    assert own_organisation_ids(None) == frozenset()


def test_a_trust_counts_its_sites_as_itself_and_no_organisation_below_an_icb(tree):
    assert organisation_ids_counting_as(tree["RR8"]) == {tree["RR8"].pk, tree["RR801"].pk, tree["RR813"].pk}
    assert organisation_ids_counting_as(tree["QWO"]) == {tree["QWO"].pk}
    assert organisation_ids_counting_as(tree["RR801"]) == {tree["RR801"].pk}


def test_rows_about_organisations_include_their_sites(tree):
    codes = {"RR8", "15F"}
    found = Organisation.objects.filter(counting_as_q([tree[c].pk for c in codes], field=None))
    assert set(found.values_list("ods_code", flat=True)) == {"RR8", "RR801", "RR813", "15F"}
    assert not Organisation.objects.filter(counting_as_q([], field=None)).exists()


def test_a_condition_holds_for_a_site_when_it_holds_for_its_trust(tree):
    from accounts.models import AccountType, Membership

    admin = MembershipFactory(organisation=tree["RR8"], account_type=AccountType.ADMIN)

    def has_admin(column):
        return Exists(Membership.objects.filter(organisation_id=OuterRef(column), pk=admin.pk))

    memberships = Membership.objects.filter(
        pk__in=[
            MembershipFactory(organisation=tree[code]).pk for code in ("RR8", "RR801", "RTD01", "QWO", "15F")
        ]
    )
    with_admin = memberships.filter(holds_for_own_organisation(has_admin))
    assert set(with_admin.values_list("organisation__ods_code", flat=True)) == {"RR8", "RR801"}


def test_a_child_sample_skips_trust_sites(tree):
    assert child_organisation_sample(tree["RR8"]) is None  # sites count as the trust, not below it
    assert child_organisation_sample(tree["QWO"]).parent == tree["QWO"]
    assert child_organisation_sample(tree["B86081"]) is None
