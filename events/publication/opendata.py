"""Open data: every published cell of a release as CSV rows and as JSON (docs/statistics.md).

Rows carry the geography (`level`, area code and name) so anyone can check the disclosure rule from
the files alone. Released under the Open Government Licence v3.0.
"""

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse

from . import tables as t
from .disclosure import SUPPRESSED
from .models import Release, ReleaseArea, ReleaseCell

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
COLUMNS = [
    "release",
    "version",
    "label",
    "level",
    "area_code",
    "area_name",
    "parent_code",
    "table",
    "category",
    "category_label",
    "value",
    "status",
]


def rows(release: Release, *, area_code: str | None = None, table: str | None = None) -> Iterator[dict]:
    areas = {a.code: a for a in ReleaseArea.objects.filter(release=release)}
    cells = ReleaseCell.objects.filter(release=release)
    if area_code:
        cells = cells.filter(area_code=area_code)
    if table:
        cells = cells.filter(table=table)
    labels = {key: t.categories(tab, release.period_start) for key, tab in t.BY_KEY.items()}
    for cell in cells.order_by("level", "area_code", "table", "category").iterator(chunk_size=5000):
        area = areas[cell.area_code]
        yield {
            "release": release.slug,
            "version": release.version,
            "label": release.label,
            "level": cell.level,
            "area_code": cell.area_code,
            "area_name": area.name,
            "parent_code": area.parent_code,
            "table": cell.table,
            "category": cell.category,
            "category_label": labels.get(cell.table, {}).get(cell.category, cell.category),
            "value": cell.display.replace(",", ""),
            "status": public_status(cell.status),
        }


def public_status(status: str) -> str:
    """Small and protected figures are both just "suppressed": telling them apart would undo the
    protection (docs/adr/0017)."""
    return "suppressed" if status in SUPPRESSED else status


def write_csv(stream, data) -> None:
    import csv

    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(data)


def document(release: Release, request: HttpRequest) -> dict:
    return {
        "release": release.slug,
        "version": release.version,
        "label": release.label,
        "period_start": release.period_start.isoformat(),
        "period_end": release.period_end.isoformat(),
        "published_at": release.published_at.isoformat() if release.published_at else None,
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "disclosure_policy": release.disclosure_policy,
        "csv": request.build_absolute_uri(
            reverse("publication:release_csv", args=[release.slug, release.version])
        ),
        "cells": list(rows(release)),
    }
