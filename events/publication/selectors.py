"""Reads for the public pages, the files and the pre-release screens: stored cells only, never events."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import tables as t
from .models import Release, ReleaseArea, ReleaseCell, ReleaseStatus


def published_releases() -> QuerySet[Release]:
    return Release.objects.filter(status=ReleaseStatus.PUBLISHED)


def latest_published_release() -> Release | None:
    return published_releases().order_by("-quarter_start", "-version").first()


def published_release(slug: str, version: int | None = None) -> Release:
    """The newest published version of a quarter (or the one asked for), else 404."""
    releases = published_releases().filter(slug=slug)
    if version is not None:
        releases = releases.filter(version=version)
    release = releases.order_by("-version").first()
    if release is None:
        raise Http404("No published release")
    return release


def release_area(release: Release, code: str) -> ReleaseArea:
    area = ReleaseArea.objects.filter(release=release, code=code.upper()).first()
    if area is None:
        raise Http404("No such area in this release")
    return area


def child_areas(release: Release, area: ReleaseArea) -> QuerySet[ReleaseArea]:
    return ReleaseArea.objects.filter(release=release, parent_code=area.code).order_by("level", "name")


def area_cells(release: Release, code: str) -> dict[str, dict[str, ReleaseCell]]:
    """table -> category -> cell, for one area (one indexed query)."""
    tables: dict[str, dict[str, ReleaseCell]] = {}
    for cell in ReleaseCell.objects.filter(release=release, area_code=code):
        tables.setdefault(cell.table, {})[cell.category] = cell
    return tables


def level_cells(release: Release, level: str, table: str, category: str) -> QuerySet[ReleaseCell]:
    return ReleaseCell.objects.filter(release=release, level=level, table=table, category=category)


def release_cells(release: Release) -> QuerySet[ReleaseCell]:
    return ReleaseCell.objects.filter(release=release).order_by("level", "area_code", "table", "category")


def prerelease_releases() -> QuerySet[Release]:
    """Releases built but not yet published (super admins only: the view asks the policy first)."""
    return Release.objects.filter(status=ReleaseStatus.PRE_RELEASE)


def prerelease_release(pk: int) -> Release:
    return get_object_or_404(Release, pk=pk, status=ReleaseStatus.PRE_RELEASE)


def release_by_pk(pk: int) -> Release:
    return get_object_or_404(Release, pk=pk)


def rate_cells(release: Release) -> QuerySet[ReleaseCell]:
    """The recording-rate and bed-day cells of every area, for the trust comparison."""
    return ReleaseCell.objects.filter(release=release, table__in=["rate", "bed_days"], category=t.ALL)


def area_names(release: Release, codes) -> dict[str, str]:
    return dict(ReleaseArea.objects.filter(release=release, code__in=codes).values_list("code", "name"))
