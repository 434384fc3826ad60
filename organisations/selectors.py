"""Read-only queries over the ODS hierarchy.

Ancestors and descendants use one recursive CTE each, which PostgreSQL and SQLite both run with the
index on parent_id, so they stay fast however wide the tree (20,000+ organisations).
"""

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import Organisation, OrganisationStatus

_DESCENDANTS_SQL = """
WITH RECURSIVE tree(id) AS (
    SELECT id FROM organisations_organisation WHERE parent_id = %s
    UNION
    SELECT o.id FROM organisations_organisation o JOIN tree t ON o.parent_id = t.id
)
SELECT id FROM tree
"""

_ANCESTORS_SQL = """
WITH RECURSIVE chain(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM organisations_organisation WHERE id = %s
    UNION ALL
    SELECT o.id, o.parent_id, c.depth + 1 FROM organisations_organisation o JOIN chain c ON o.id = c.parent_id
    WHERE c.depth < 32
)
SELECT id FROM chain WHERE depth > 0
"""


def organisation_by_code(ods_code: str) -> Organisation | None:
    return Organisation.objects.filter(ods_code__iexact=ods_code.strip()).first()


def organisations_below(organisation: Organisation) -> QuerySet[Organisation]:
    """Every organisation below this one in the hierarchy (children, their children, ...)."""
    return Organisation.objects.filter(id__in=RawSQL(_DESCENDANTS_SQL, [organisation.pk]))  # noqa: S611


def organisation_ancestors(organisation: Organisation) -> QuerySet[Organisation]:
    """Every organisation above this one (parent, grandparent, ...)."""
    return Organisation.objects.filter(id__in=RawSQL(_ANCESTORS_SQL, [organisation.pk]))  # noqa: S611


def organisation_ancestor_ids(organisation: Organisation) -> set[int]:
    return set(organisation_ancestors(organisation).values_list("id", flat=True))


def organisations_search(query: str, *, limit: int = 20) -> QuerySet[Organisation]:
    """Open organisations whose ODS code or name matches what a person typed."""
    query = " ".join(query.split())
    if not query:
        return Organisation.objects.none()
    return (
        Organisation.objects.exclude(status=OrganisationStatus.CLOSED)
        .filter(Q(ods_code__iexact=query) | Q(name__icontains=query))
        .order_by("name")[:limit]
    )
