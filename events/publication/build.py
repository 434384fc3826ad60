"""Counting a release: grouped counts of the published records (a handful of queries, however many
records), rolled up the ODS hierarchy, then published through the disclosure engine.

Everything here is computed once, when a release is built; public pages read the stored cells.
"""

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from . import tables as t
from .areas import ENGLAND, Geography
from .disclosure import DisclosurePolicy, Published, Sum, protect, publish_rate
from .source import published_records

Key = tuple[str, str, str]  # (area code, table, category)


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day of the 12-month window
    quarter_start: dt.date
    end: dt.date  # last day of the quarter

    @classmethod
    def for_quarter(cls, quarter_start: dt.date) -> "Period":
        end_month = quarter_start.month + 2
        next_month = dt.date(quarter_start.year + (end_month == 12), end_month % 12 + 1, 1)
        start = dt.date(next_month.year - 1, next_month.month, 1)
        return cls(start, quarter_start, next_month - dt.timedelta(days=1))

    def bounds(self, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
        finish = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return begin, finish


def organisation_counts(period: Period) -> dict[tuple[int | None, str, str], int]:
    """(organisation id, table, category) -> records, from grouped queries over the 12 months."""
    records = published_records().filter(created_at__range=period.bounds(period.start)).order_by()
    counts: Counter = Counter()
    month_codes = set(t.months(period.start))
    for row in records.values("organisation_id", "event_type").annotate(n=Count("id")):
        counts[(row["organisation_id"], t.EVENT_TYPE.key, row["event_type"])] += row["n"]
    for row in records.values("organisation_id", "source").annotate(n=Count("id")):
        counts[(row["organisation_id"], t.RECORDED_BY.key, row["source"])] += row["n"]
    for table, column in (
        (t.PHYSICAL_HARM, "worst_physical_harm"),
        (t.PSYCHOLOGICAL_HARM, "worst_psychological_harm"),
    ):
        for row in records.values("organisation_id", column).annotate(n=Count("id")):
            category = str(row[column]) if row[column] is not None else t.NOT_RECORDED
            counts[(row["organisation_id"], table.key, category)] += row["n"]
    known = t.categories(t.CARE_SETTING, period.start)
    for row in _services(records).values("organisation_id", "services").annotate(n=Count("id")):
        category = t.care_setting_of(_json_list(row["services"]))
        category = category if category in known else t.NOT_RECORDED
        counts[(row["organisation_id"], t.CARE_SETTING.key, category)] += row["n"]
    for split_table, column in (
        (t.RECORDED_MONTH_BY_TYPE, "event_type"),
        (t.RECORDED_MONTH_BY_HARM, "worst_physical_harm"),
    ):
        grouped = (
            records.annotate(month=TruncMonth("created_at"))
            .values("organisation_id", "month", column)
            .annotate(n=Count("id"))
        )
        for row in grouped:
            value = row[column]
            code = str(value) if value is not None else t.NOT_RECORDED
            month = f"{row['month'].year:04d}-{row['month'].month:02d}"
            counts[(row["organisation_id"], split_table.key, t.split_category(month, code))] += row["n"]
    for table, column in ((t.RECORDED_MONTH, "created_at"), (t.EVENT_MONTH, "event_date")):
        grouped = (
            records.annotate(month=TruncMonth(column))
            .values("organisation_id", "month")
            .annotate(n=Count("id"))
        )
        for row in grouped:
            month = row["month"]
            code = f"{month.year:04d}-{month.month:02d}" if month else t.UNKNOWN
            if code not in month_codes and code != t.UNKNOWN:
                code = t.EARLIER
            counts[(row["organisation_id"], table.key, code)] += row["n"]
    agents = list(t.categories(t.AGENTS, period.start))
    aliases = {f"agent_{code}": F("involved_agents").bitand(1 << int(code)) for code in agents}
    sums = {f"n_{code}": Count("id", filter=Q(**{f"agent_{code}__gt": 0})) for code in agents}
    for row in records.alias(**aliases).values("organisation_id").annotate(**sums):
        for code in agents:
            counts[(row["organisation_id"], t.AGENTS.key, code)] += row[f"n_{code}"]
    quarter = published_records().filter(created_at__range=period.bounds(period.quarter_start)).order_by()
    for row in quarter.values("organisation_id").annotate(n=Count("id")):
        counts[(row["organisation_id"], t.QUARTER.key, t.ALL)] += row["n"]
    return counts


def _json_list(text: str | None) -> list | None:
    """An answer read as JSON text: a list of codes, a single code, or nothing."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    return value if isinstance(value, list) else [str(value)]


def _services(records):
    """The records with their services involved (ServiceArea, or RiskServiceArea for a risk) from
    the redacted answers, as JSON text: coded answers only, grouped by PostgreSQL."""
    answers = "visible_revision__redacted_answers"
    return records.annotate(
        services=Coalesce(*(KeyTextTransform(question, answers) for question in t.SERVICE_QUESTIONS))
    )


def area_counts(counts, geography: Geography) -> dict[Key, int]:
    """Rolls organisation counts up to every area, adding totals."""
    raw: dict[Key, int] = defaultdict(int)
    for (organisation_id, table, category), n in counts.items():
        chain = geography.chain(organisation_id)
        for code in chain:
            raw[(code, table, category)] += n
            if table == t.EVENT_TYPE.key:
                raw[(code, t.TOTAL.key, t.ALL)] += n
    return raw


def relations(geography: Geography, labels: dict[str, list[str]], period: Period) -> list[Sum]:
    groups = []
    quarter_months = [m for m in t.months(period.start) if m >= f"{period.quarter_start:%Y-%m}"]
    for code, area in geography.areas.items():
        for table in t.ALL_TABLES:
            if table.additive:
                children = tuple((code, table.key, category) for category in labels[table.key])
                groups.append(Sum((code, t.TOTAL.key, t.ALL), children))
            if area.children:
                for category in labels[table.key]:
                    children = tuple((child, table.key, category) for child in area.children)
                    groups.append(Sum((code, table.key, category), children, complete=False))
        groups.append(
            Sum((code, t.QUARTER.key, t.ALL), tuple((code, t.RECORDED_MONTH.key, m) for m in quarter_months))
        )
        # A month split by type (or harm) adds up to the month, and a type's months to the type's total
        # for the 12 months: both published, so both are relations a reader can subtract along.
        for split_key, split_table in t.SPLIT_BY.items():
            split_codes = labels[split_table.key]
            for month in t.months(period.start):
                children = tuple((code, split_key, t.split_category(month, c)) for c in split_codes)
                groups.append(Sum((code, t.RECORDED_MONTH.key, month), children))
            for category in split_codes:
                children = tuple(
                    (code, split_key, t.split_category(month, category)) for month in t.months(period.start)
                )
                groups.append(Sum((code, split_table.key, category), children))
    return groups


@dataclass
class BuiltRelease:
    cells: dict[Key, Published]
    record_count: int
    rates: dict[str, tuple[Published, float]]  # trust code -> (rate, bed days)
    national_rate: float | None


def build_cells(
    counts, geography: Geography, period: Period, policy: DisclosurePolicy, bed_days: dict[str, float]
) -> BuiltRelease:
    labels = {table.key: list(t.categories(table, period.start)) for table in t.ALL_TABLES}
    counted = area_counts(counts, geography)
    raw = {
        (code, table.key, category): counted.get((code, table.key, category), 0)
        for code in geography.areas
        for table in t.ALL_TABLES
        for category in labels[table.key]
    }
    cells = protect(
        raw, relations(geography, labels, period), is_national=lambda key: key[0] == ENGLAND, policy=policy
    )
    rates, national_records, national_bed_days = {}, 0, 0.0
    for code, days in bed_days.items():
        key = (code, t.QUARTER.key, t.ALL)
        if key in cells and days:
            rates[code] = (publish_rate(cells[key], days, policy), days)
            national_records += raw[key]
            national_bed_days += days
    national_rate = national_records * policy.rate_per / national_bed_days if national_bed_days else None
    return BuiltRelease(cells, raw[(ENGLAND, t.TOTAL.key, t.ALL)], rates, national_rate)
