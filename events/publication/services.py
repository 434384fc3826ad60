"""Writes: building a release (the pre-release), recording who saw it before publication, publishing.

Releases are immutable: a rebuilt quarter is a new version ("Revised") that says what changed.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.permissions import Action, allows

from . import tables as t
from .areas import ENGLAND, geography
from .build import Period, build_cells, organisation_counts
from .disclosure import DisclosurePolicy
from .models import BedDays, Release, ReleaseArea, ReleaseAuditEntry, ReleaseCell, ReleaseStatus

METHODOLOGY = (
    "Counts are of patient safety events recorded in the service in the 12 months to the end of the "
    "quarter, once their free text has been checked for personal information. Records made anonymously "
    "are included; no free text is published. Each record is counted in the organisation it is about, "
    "and in that organisation's integrated care board (ICB), NHS region and England. Primary care is "
    "shown by sub-ICB location. Below national level, 0 is shown as 0, counts from 1 to 7 are shown as *, "
    "and all other counts are rounded to the nearest 5; totals are rounded from unrounded counts, so they "
    "may not equal the sum of the rounded figures. Where a figure could otherwise be worked out from "
    "others, a further figure is also shown as *. Percentages are shown only when the rounded total they "
    "are out of is at least {percentage_min_denominator:,}. The service is a live system: records are "
    "added and updated after a release is built, so a later revised release may differ. More recording is "
    "a sign of a good reporting culture, not of less safe care."
)


def quarter_start_of(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_slug(quarter_start: dt.date) -> str:
    return f"{quarter_start.year}-q{(quarter_start.month - 1) // 3 + 1}"


def planned_release_date(quarter_start: dt.date) -> dt.date:
    return Period.for_quarter(quarter_start).end + dt.timedelta(days=settings.PUBLICATION_RELEASE_LAG_DAYS)


def _bed_days(quarter_start: dt.date) -> dict[str, float]:
    return dict(BedDays.objects.filter(quarter_start=quarter_start).values_list("ods_code", "bed_days"))


@transaction.atomic
def release_build(*, quarter_start: dt.date, actor=None) -> Release:
    """Counts and publishes a quarter into a new pre-release (version 1, or the next revision)."""
    quarter_start = quarter_start_of(quarter_start)
    period = Period.for_quarter(quarter_start)
    policy = DisclosurePolicy.from_settings()
    places = geography()
    built = build_cells(organisation_counts(period), places, period, policy, _bed_days(quarter_start))
    slug = quarter_slug(quarter_start)
    previous = Release.objects.filter(slug=slug).order_by("-version").first()
    release = Release.objects.create(
        slug=slug,
        version=previous.version + 1 if previous else 1,
        period_start=period.start,
        quarter_start=quarter_start,
        period_end=period.end,
        planned_release_date=planned_release_date(quarter_start),
        built_by=actor if getattr(actor, "is_authenticated", False) else None,
        methodology=METHODOLOGY.format(**policy.as_dict()),
        disclosure_policy=policy.as_dict(),
        record_count=built.record_count,
    )
    ReleaseArea.objects.bulk_create(
        [
            ReleaseArea(release=release, level=a.level, code=a.code, name=a.name, parent_code=a.parent_code)
            for a in places.areas.values()
        ]
    )
    rows = [
        ReleaseCell(
            release=release,
            level=places.areas[code].level,
            area_code=code,
            table=table,
            category=category,
            value=cell.value,
            display=cell.display(policy),
            status=cell.status,
        )
        for (code, table, category), cell in built.cells.items()
    ]
    for code, (rate, days) in built.rates.items():
        level = places.areas[code].level
        rows.append(
            ReleaseCell(
                release=release,
                level=level,
                area_code=code,
                table="rate",
                category=t.ALL,
                value=rate.value,
                display=rate.display(policy),
                status=rate.status,
            )
        )
        rows.append(
            ReleaseCell(
                release=release,
                level=level,
                area_code=code,
                table="bed_days",
                category=t.ALL,
                value=days,
                display=f"{days:,.0f}",
                status="exact",
            )
        )
    if built.national_rate is not None:
        rate = round(built.national_rate, 2)
        rows.append(
            ReleaseCell(
                release=release,
                level="national",
                area_code=ENGLAND,
                table="rate",
                category=t.ALL,
                value=rate,
                display=f"{rate:,.2f}",
                status="exact",
            )
        )
    ReleaseCell.objects.bulk_create(rows, batch_size=5000)
    if previous:
        release.changes = release_changes(previous, release)
        release.save(update_fields=["changes"])
    _audit(release, actor, ReleaseAuditEntry.Action.BUILT)
    return release


def release_changes(previous: Release, current: Release, limit: int = 40) -> dict:
    """What a revision changed: how many published figures differ, and the first `limit` of them."""
    before = {
        (c.area_code, c.table, c.category): c.display
        for c in ReleaseCell.objects.filter(release=previous).only(
            "area_code", "table", "category", "display"
        )
    }
    names = dict(ReleaseArea.objects.filter(release=current).values_list("code", "name"))
    changed = []
    for cell in ReleaseCell.objects.filter(release=current).order_by(
        "level", "area_code", "table", "category"
    ):
        old = before.get((cell.area_code, cell.table, cell.category))
        if old != cell.display:
            changed.append(
                {
                    "area": names.get(cell.area_code, cell.area_code),
                    "table": cell.table,
                    "category": cell.category,
                    "before": old or "",
                    "after": cell.display,
                }
            )
    changed.sort(key=lambda c: (c["area"] != "England", c["area"]))
    return {"previous_version": previous.version, "changed_count": len(changed), "examples": changed[:limit]}


def _require_super_admin(actor) -> None:
    if not allows(actor, Action.PREVIEW_AND_PUBLISH_STATISTICS):
        raise PermissionDenied("Only super admins see releases before publication")


@transaction.atomic
def release_preview_record(*, release: Release, actor) -> None:
    """Adds the actor to the release's pre-release access list (once per person)."""
    _require_super_admin(actor)
    if release.is_published:
        return
    seen = release.audit_entries.filter(actor=actor, action=ReleaseAuditEntry.Action.PRE_RELEASE_VIEWED)
    if not seen.exists():
        _audit(release, actor, ReleaseAuditEntry.Action.PRE_RELEASE_VIEWED)


@transaction.atomic
def release_publish(*, release: Release, actor) -> Release:
    _require_super_admin(actor)
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.is_published:
        return release
    release.status = ReleaseStatus.PUBLISHED
    release.published_at = timezone.now()
    release.published_by = actor
    release.save(update_fields=["status", "published_at", "published_by"])
    _audit(release, actor, ReleaseAuditEntry.Action.PUBLISHED)
    return release


def release_build_due(*, today: dt.date | None = None) -> Release | None:
    """The scheduled build: the pre-release of the last quarter to have ended, once."""
    today = today or timezone.localdate()
    last_quarter = quarter_start_of(quarter_start_of(today) - dt.timedelta(days=1))
    if Release.objects.filter(slug=quarter_slug(last_quarter)).exists():
        return None
    return release_build(quarter_start=last_quarter)


def _audit(release: Release, actor, action: str) -> None:
    authenticated = getattr(actor, "is_authenticated", False)
    ReleaseAuditEntry.objects.create(
        release=release,
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        action=action,
    )
