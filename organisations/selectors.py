"""Read-only queries over the ODS hierarchy.

Ancestors and descendants use one recursive CTE each, which PostgreSQL and SQLite both run with the
index on parent_id, so they stay fast however wide the tree (20,000+ organisations; see
bench/organisation_hierarchy.py). Both are safe against a loop in the parent links: the descendants
query drops rows it has already seen (UNION) and the ancestors query stops at 32 levels.

One rule of the service is written here and nowhere else: **a trust's site counts as its trust**.
Members of a trust see, review and manage what concerns its sites as their own; a member of a site
has only the site. `own_organisation_ids` reads the rule upwards (whose members count this
organisation as their own), `counting_as_q` downwards (rows about these organisations or their sites).
"""

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Exists, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .models import Organisation, OrganisationKind, OrganisationStatus

_TABLE = Organisation._meta.db_table

_DESCENDANTS_SQL = f"""
WITH RECURSIVE tree(id) AS (
    SELECT id FROM {_TABLE} WHERE parent_id = %s
    UNION
    SELECT o.id FROM {_TABLE} o JOIN tree t ON o.parent_id = t.id
)
SELECT id FROM tree
"""  # noqa: S608 - the table name is ours, the only value is a parameter

_ANCESTORS_SQL = f"""
WITH RECURSIVE chain(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM {_TABLE} WHERE id = %s
    UNION ALL
    SELECT o.id, o.parent_id, c.depth + 1 FROM {_TABLE} o JOIN chain c ON o.id = c.parent_id
    WHERE c.depth < 32
)
SELECT id FROM chain WHERE depth > 0 ORDER BY depth
"""  # noqa: S608 - the table name is ours, the only value is a parameter


# Codes looked up within `organisations_by_code_remembered` (one API request), with what was found.
_remembered: ContextVar[dict[str, Organisation | None] | None] = ContextVar(
    "organisations_by_code", default=None
)


@contextmanager
def organisations_by_code_remembered() -> Iterator[None]:
    """Within it, each ODS code is looked up once: an API submission names the same two or three
    organisations to validation, to the choice of whom it is for and to the record (five queries)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def organisations_by_code_prefetch(ods_codes: Iterable[str]) -> None:
    """Within `organisations_by_code_remembered`, looks the codes up in one query, as
    `organisation_by_code` would one by one (the exact, upper-case match; a code not found that way
    is left to it)."""
    remembered = _remembered.get()
    if remembered is None:
        return
    codes = {code.strip() for code in ods_codes} - remembered.keys()
    if not codes:
        return
    found = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in={c.upper() for c in codes})}
    for code in codes:
        if code.upper() in found:
            remembered[code] = found[code.upper()]


def organisation_by_code(ods_code: str) -> Organisation | None:
    code = ods_code.strip()
    remembered = _remembered.get()
    if remembered is not None and code in remembered:
        return remembered[code]
    # The importer stores codes in upper case, so the exact match uses the unique index; the
    # case-insensitive one is for organisations typed in by hand.
    found = (
        Organisation.objects.filter(ods_code=code.upper()).first()
        or Organisation.objects.filter(ods_code__iexact=code).first()
    )
    if remembered is not None:
        remembered[code] = found
    return found


def organisation_ids_with_those_below(organisations: QuerySet[Organisation]) -> set[int]:
    """The ids of these organisations and of every organisation below them, in one query (the
    descendants query seeded with all of them at once)."""
    try:
        seed, params = organisations.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter nothing can match
        return set()
    sql = f"""
    WITH RECURSIVE tree(id) AS (
        {seed}
        UNION
        SELECT o.id FROM {_TABLE} o JOIN tree t ON o.parent_id = t.id
    )
    SELECT id FROM tree
    """  # noqa: S608 - the seed is the ORM's own SQL with its parameters kept apart
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def organisations_below(organisation: Organisation) -> QuerySet[Organisation]:
    """Every organisation below this one in the hierarchy (children, their children, ...)."""
    return Organisation.objects.filter(id__in=RawSQL(_DESCENDANTS_SQL, [organisation.pk]))  # noqa: S611


def organisation_ancestors(organisation: Organisation) -> QuerySet[Organisation]:
    """Every organisation above this one (parent, grandparent, ...)."""
    return Organisation.objects.filter(id__in=RawSQL(_ANCESTORS_SQL, [organisation.pk]))  # noqa: S611


def organisation_ancestor_ids(organisation: Organisation) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [organisation.pk])
        return {row[0] for row in cursor.fetchall()}


def own_organisation_ids(organisation: Organisation | None) -> frozenset[int]:
    """The organisations whose members count this one as their own: itself and, for a trust site,
    the trust above it. Reads no rows: the parent is a column of the site."""
    if organisation is None:
        return frozenset()
    if organisation.kind == OrganisationKind.TRUST_SITE and organisation.parent_id:
        return frozenset({organisation.pk, organisation.parent_id})
    return frozenset({organisation.pk})


def counting_as_q(organisation_ids: Iterable[int], *, field: str | None = "organisation") -> Q:
    """Rows about these organisations or about a trust site of one of them. `field` names the row's
    organisation; None when the rows are organisations themselves."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return Q(pk__in=[])
    own, kind, parent = (
        (f"{field}_id__in", f"{field}__kind", f"{field}__parent_id__in")
        if field
        else ("id__in", "kind", "parent_id__in")
    )
    return Q(**{own: ids}) | Q(**{kind: OrganisationKind.TRUST_SITE, parent: ids})


def organisation_ids_counting_as(organisation: Organisation) -> set[int]:
    """The organisation and, for a trust, its sites: whose records are "my organisation's" (one query)."""
    return set(
        Organisation.objects.filter(counting_as_q([organisation.pk], field=None)).values_list("id", flat=True)
    )


def holds_for_own_organisation(condition: Callable[[str], Exists | Q], *, field: str = "organisation") -> Q:
    """`condition(column)` holds for the row's organisation or, for a trust site, for the trust above
    it: the upward reading of the rule inside a query (e.g. "has an admin" for an access request)."""
    site = Q(**{f"{field}__kind": OrganisationKind.TRUST_SITE})
    return Q(condition(f"{field}_id")) | (site & Q(condition(f"{field}__parent_id")))


def child_organisation_sample(organisation: Organisation) -> Organisation | None:
    """One organisation below this one that is not one of its trust sites (those count as the
    organisation itself): whether it has organisations below it to see, for ICBs and regions."""
    return organisation.children.exclude(kind=OrganisationKind.TRUST_SITE).first()


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?: ?([0-9][A-Z]{2}))?$")


def _postcode_matches(query: str) -> Q:
    """A full postcode ("LS1 3EX", "ls13ex") or its first half ("LS9"), for people who know where a
    place is but not its name (the patient form)."""
    match = _POSTCODE.match(query.upper())
    if match is None:
        return Q(pk__in=[])
    outward, inward = match.groups()
    if inward:
        return Q(postcode__iexact=f"{outward} {inward}")
    return Q(postcode__istartswith=f"{outward} ")


def organisations_search(query: str, *, limit: int = 20) -> QuerySet[Organisation]:
    """Open organisations whose ODS code is what a person typed, or whose name has every word of it.

    An exact code match comes first, so it is never cut off by the limit when many names match.
    """
    query = " ".join(query.split())
    if not query:
        return Organisation.objects.none()
    name_has_every_word = Q()
    for word in query.split(" "):
        name_has_every_word &= Q(name__icontains=word)
    code_matches = Q(ods_code__iexact=query)
    return (
        Organisation.objects.exclude(status=OrganisationStatus.CLOSED)
        .filter(code_matches | name_has_every_word | _postcode_matches(query))
        .annotate(code_match=Case(When(code_matches, then=Value(0)), default=Value(1)))
        .order_by("code_match", "name", "ods_code")[:limit]
    )


@dataclass(frozen=True)
class OrganisationLookup:
    """What a typed name or ODS code found: one organisation, or the candidates (none or several)."""

    organisation: Organisation | None
    matches: list[Organisation]


def organisation_lookup(text: str) -> OrganisationLookup:
    """Resolves what a person typed in an organisation picker: an exact open ODS code, else a name
    that matches exactly one open organisation; otherwise the matches for them to choose from."""
    query = " ".join((text or "").split())
    if not query:
        return OrganisationLookup(None, [])
    exact = organisation_by_code(query)
    if exact is not None and exact.status != OrganisationStatus.CLOSED:
        return OrganisationLookup(exact, [exact])
    matches = list(organisations_search(query))
    return OrganisationLookup(matches[0] if len(matches) == 1 else None, matches)
