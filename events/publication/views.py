"""Public statistics pages (no sign-in), open data files, and the super admins' pre-release screens."""

import datetime as dt
import re

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.permissions import Action, Target, active_memberships, allows
from organisations.selectors import organisation_by_code

from . import opendata
from . import tables as t
from .areas import ENGLAND
from .disclosure import DisclosurePolicy
from .funnel import funnel
from .models import Release
from .presenters import chart, ranked_chart, split_chart
from .quality import organisation_quality
from .selectors import (
    area_cells,
    area_names,
    child_areas,
    latest_published_release,
    level_cells,
    prerelease_release,
    prerelease_releases,
    published_release,
    published_releases,
    rate_cells,
    release_area,
    release_by_pk,
)
from .services import (
    planned_release_date,
    quarter_slug,
    quarter_start_of,
    release_preview_record,
    release_publish,
)

SLUG = re.compile(r"^\d{4}-q[1-4]$")


def _policy(release: Release) -> DisclosurePolicy:
    return DisclosurePolicy(**release.disclosure_policy)


def _release(slug: str) -> Release:
    if not SLUG.match(slug):
        raise Http404("Not a release")
    return published_release(slug)


def index(request: HttpRequest) -> HttpResponse:
    release = latest_published_release()
    if release is None:
        return render(request, "publication/none.html")
    return area_page(request, release.slug, ENGLAND, release=release)


def release_page(request: HttpRequest, slug: str) -> HttpResponse:
    return area_page(request, slug, ENGLAND)


def _cached_body(release: Release, name: str, template: str, context) -> str:
    """Published releases never change, so their rendered pages are kept (the layout around them,
    which knows who is signed in, is not)."""
    key = f"publication:{release.pk}:{name}"
    body = cache.get(key)
    if body is None:
        body = render_to_string(template, context())
        cache.set(key, body, timeout=None)
    return mark_safe(body)  # noqa: S308 - rendered by our own autoescaping template


def area_page(request: HttpRequest, slug: str, code: str, release: Release | None = None) -> HttpResponse:
    release = release or _release(slug)
    area = release_area(release, code)
    body = _cached_body(
        release, f"area:{area.code}", "publication/area_body.html", lambda: _area_context(release, area)
    )
    return render(request, "publication/area.html", {"release": release, "area": area, "body": body})


def _area_context(release: Release, area) -> dict:
    cells = area_cells(release, area.code)
    policy = _policy(release)
    total = cells.get(t.TOTAL.key, {}).get(t.ALL)
    charts = [
        chart(table, cells.get(table.key, {}), total, release.period_start, policy)
        for table in (*t.MONTHLY, *t.BREAKDOWNS)
    ]
    splits = [
        split_chart(table, cells.get(table.key, {}), release.period_start, policy)
        for table in t.SPLIT_MONTHLY
    ]
    children = list(child_areas(release, area))
    ranked = None
    if children:
        child_totals = {
            c.area_code: c
            for c in level_cells(release, children[0].level, t.TOTAL.key, t.ALL).filter(
                area_code__in=[c.code for c in children]
            )
        }
        entries = [
            (c.name, child_totals[c.code].display, child_totals[c.code].value)
            for c in children
            if c.code in child_totals
        ]
        ranked = ranked_chart(f"Records by {children[0].get_level_display()}", "children", entries)
    return {
        "release": release,
        "area": area,
        "total": total,
        "quarter": cells.get(t.QUARTER.key, {}).get(t.ALL),
        "charts": charts,
        "splits": splits,
        "children": children,
        "ranked": ranked,
        "marker": policy.marker,
        "ancestors": _ancestors(release, area),
    }


def _ancestors(release: Release, area) -> list:
    chain, current, seen = [], area, set()
    while current.parent_code and current.parent_code not in seen:
        seen.add(current.parent_code)
        current = release_area(release, current.parent_code)
        chain.insert(0, current)
    return chain


def table_csv(request: HttpRequest, slug: str, code: str, table: str) -> HttpResponse:
    release = _release(slug)
    if table not in t.BY_KEY:
        raise Http404("No such table")
    area = release_area(release, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{release.slug}-{area.code}-{table}.csv"'
    opendata.write_csv(response, opendata.rows(release, area_code=area.code, table=table))
    return response


def release_csv(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    if not SLUG.match(slug):
        raise Http404("Not a release")
    release = published_release(slug, version)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="patient-safety-events-{release.slug}-v{release.version}.csv"'
    )
    opendata.write_csv(response, opendata.rows(release))
    return response


def release_json(request: HttpRequest, slug: str, version: int) -> JsonResponse:
    if not SLUG.match(slug):
        raise Http404("Not a release")
    release = published_release(slug, version)
    return JsonResponse(opendata.document(release, request), json_dumps_params={"indent": 1})


def calendar(request: HttpRequest) -> HttpResponse:
    """Published releases, and the next quarters' planned release dates."""
    today = timezone.localdate()
    built = set(published_releases().values_list("slug", flat=True))
    quarters, start = [], quarter_start_of(today)
    for _ in range(3):
        quarters.append(start)
        start = quarter_start_of(start - dt.timedelta(days=1))
    planned = [
        {"slug": quarter_slug(q), "date": planned_release_date(q)}
        for q in sorted(quarters)
        if quarter_slug(q) not in built and planned_release_date(q) >= today
    ]
    return render(
        request, "publication/calendar.html", {"releases": published_releases(), "planned": planned}
    )


@login_required
def prerelease_list(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, Action.PREVIEW_AND_PUBLISH_STATISTICS):
        raise PermissionDenied
    return render(request, "publication/prerelease_list.html", {"releases": prerelease_releases()})


@login_required
def prerelease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = prerelease_release(pk)
    release_preview_record(release=release, actor=request.user)
    area = release_area(release, ENGLAND)
    context = _area_context(release, area) | {"preview": True, "access_list": release.audit_entries.all()}
    body = mark_safe(render_to_string("publication/area_body.html", context, request=request))  # noqa: S308
    return render(request, "publication/area.html", {"release": release, "area": area, "body": body})


@login_required
@require_POST
def prerelease_publish(request: HttpRequest, pk: int) -> HttpResponse:
    release = release_by_pk(pk)
    release_publish(release=release, actor=request.user)
    return redirect(reverse("publication:release", args=[release.slug]))


def trust_rates(request: HttpRequest, slug: str) -> HttpResponse:
    """Recording rates per 1,000 bed days by trust, with the funnel plot."""
    release = _release(slug)
    body = _cached_body(
        release, "trusts", "publication/trust_rates_body.html", lambda: _trust_rates_context(release)
    )
    return render(request, "publication/trust_rates.html", {"release": release, "body": body})


def _trust_rates_context(release: Release) -> dict:
    cells = rate_cells(release)
    rates = {c.area_code: c for c in cells if c.table == "rate" and c.area_code != ENGLAND}
    bed_days = {c.area_code: c.value for c in cells if c.table == "bed_days"}
    national = next((c.value for c in cells if c.table == "rate" and c.area_code == ENGLAND), None)
    names = area_names(release, rates)
    plot = None
    if national:
        trusts = [
            (code, names.get(code, code), bed_days[code], cell.value, cell.display)
            for code, cell in sorted(rates.items(), key=lambda i: names.get(i[0], i[0]))
            if code in bed_days
        ]
        plot = funnel(national, trusts)
    return {"release": release, "plot": plot, "national": national}


@login_required
def data_quality_index(request: HttpRequest) -> HttpResponse:
    """The organisations whose data quality the user may see."""
    organisations = [
        m.organisation
        for m in active_memberships(request.user)
        if allows(request.user, Action.VIEW_EVENTS_OF_MY_ORGANISATION, Target(organisation=m.organisation))
    ]
    return render(request, "publication/quality_index.html", {"organisations": organisations})


@login_required
def data_quality(request: HttpRequest, code: str) -> HttpResponse:
    organisation = organisation_by_code(code.upper())
    if organisation is None:
        raise Http404("No such organisation")
    if not allows(request.user, Action.VIEW_EVENTS_OF_MY_ORGANISATION, Target(organisation=organisation)):
        raise PermissionDenied
    quality = organisation_quality(organisation, user=request.user)
    return render(request, "publication/quality.html", {"organisation": organisation, "quality": quality})


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_page(request: HttpRequest, slug: str, code: str, month: str) -> HttpResponse:
    """One month's figures for an area; a malformed or out-of-range month gets the 404 page."""
    release = _release(slug)
    area = release_area(release, code)
    matched = MONTH.match(month)
    if not matched or not 1 <= int(matched.group(2)) <= 12:
        raise Http404("Not a month: use YYYY-MM")
    months = t.months(release.period_start)
    if month not in months:
        raise Http404("This release has no figures for that month")
    cells = area_cells(release, area.code)
    index = months.index(month)
    context = {
        "release": release,
        "area": area,
        "month": month,
        "month_label": t.month_label(month),
        "recorded": cells.get(t.RECORDED_MONTH.key, {}).get(month),
        "happened": cells.get(t.EVENT_MONTH.key, {}).get(month),
        "previous": months[index - 1] if index else None,
        "next": months[index + 1] if index + 1 < len(months) else None,
    }
    return render(request, "publication/month.html", context)
