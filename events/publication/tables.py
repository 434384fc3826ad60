"""The tables a release publishes for every area, their categories and their labels.

Labels of taxonomy codes come from the question set (v5), so the statistics use the recorder's words.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from events.questionnaire import load_question_set

QUESTION_SET_VERSION = "5"
ALL = "all"
NOT_RECORDED = "none"
EARLIER = "earlier"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    additive: bool  # do its categories add up to the area's total?
    experimental: bool = False


TOTAL = Table("total", "All records", additive=False)
QUARTER = Table("recorded_quarter", "Records in the quarter", additive=False)
EVENT_TYPE = Table("event_type", "Type of event", additive=True)
PHYSICAL_HARM = Table("physical_harm", "Maximum physical harm", additive=True)
PSYCHOLOGICAL_HARM = Table(
    "psychological_harm", "Maximum psychological harm", additive=True, experimental=True
)
CARE_SETTING = Table("care_setting", "Care setting or service involved", additive=True)
AGENTS = Table("involved_agents", "Things involved in what went wrong", additive=False)
RECORDED_BY = Table("recorded_by", "Recorded by", additive=True)
RECORDED_MONTH = Table("recorded_month", "Month recorded", additive=True)
EVENT_MONTH = Table("event_month", "Month the event happened", additive=True)
# Month recorded x another table: a trend split by type or harm. Categories are "YYYY-MM:code".
RECORDED_MONTH_BY_TYPE = Table("recorded_month_by_type", "Month recorded, by type of event", additive=True)
RECORDED_MONTH_BY_HARM = Table(
    "recorded_month_by_harm", "Month recorded, by maximum physical harm", additive=True
)
BREAKDOWNS = (EVENT_TYPE, PHYSICAL_HARM, PSYCHOLOGICAL_HARM, CARE_SETTING, AGENTS, RECORDED_BY)
MONTHLY = (RECORDED_MONTH, EVENT_MONTH)
SPLIT_MONTHLY = (RECORDED_MONTH_BY_TYPE, RECORDED_MONTH_BY_HARM)
SPLIT_BY = {RECORDED_MONTH_BY_TYPE.key: EVENT_TYPE, RECORDED_MONTH_BY_HARM.key: PHYSICAL_HARM}
ALL_TABLES = (TOTAL, QUARTER, *BREAKDOWNS, *MONTHLY, *SPLIT_MONTHLY)
BY_KEY = {table.key: table for table in ALL_TABLES}

# The care setting is the record's own answer: the services involved (ServiceArea; RiskServiceArea for
# a risk), codes from the taxonomy's service-type list. A record naming several services counts once,
# as "more than one", so the table's categories add up to the area's total.
SERVICE_QUESTIONS = ("ServiceArea", "RiskServiceArea")
SEVERAL_SERVICES = "several"
SEVERAL_SERVICES_LABEL = "More than one service"
NO_SERVICE_LABEL = "Not recorded"


def care_setting_of(services) -> str:
    """The care-setting category of a record's ServiceArea answer (a list of codes, or None)."""
    if isinstance(services, str):
        services = [services]
    services = [code for code in services or () if isinstance(code, str)]
    if not services:
        return NOT_RECORDED
    return services[0] if len(services) == 1 else SEVERAL_SERVICES


def split_category(month: str, code: str) -> str:
    return f"{month}:{code}"


@cache
def _options(question_id: str) -> dict[str, str]:
    question_set = load_question_set(QUESTION_SET_VERSION)
    return {option.code: option.label for option in question_set.question(question_id).options}


@cache
def _event_types() -> dict[str, str]:
    return {
        event_type.code: event_type.name for event_type in load_question_set(QUESTION_SET_VERSION).event_types
    }


def months(period_start: dt.date, count: int = 12) -> list[str]:
    year, month = period_start.year, period_start.month
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def month_label(code: str) -> str:
    if code == EARLIER:
        return "Before the period"
    if code == UNKNOWN:
        return "Date not known"
    return dt.date.fromisoformat(f"{code}-01").strftime("%B %Y")


def categories(table: Table, period_start: dt.date) -> dict[str, str]:
    """Category code -> label, in the order pages and files show them."""
    if table in (TOTAL, QUARTER):
        return {ALL: table.title}
    if table is EVENT_TYPE:
        return _event_types()
    if table is PHYSICAL_HARM:
        labels = dict(sorted(_options("PhysicalHarm").items()))
        return labels | {NOT_RECORDED: "No patient recorded"}
    if table is PSYCHOLOGICAL_HARM:
        labels = dict(sorted(_options("PsychologicalHarm").items()))
        return labels | {NOT_RECORDED: "Not recorded"}
    if table is CARE_SETTING:
        labels = dict(_options("ServiceArea"))
        return labels | {SEVERAL_SERVICES: SEVERAL_SERVICES_LABEL, NOT_RECORDED: NO_SERVICE_LABEL}
    if table.key in SPLIT_BY:
        split = categories(SPLIT_BY[table.key], period_start)
        return {
            split_category(month, code): f"{month_label(month)}: {label}"
            for month in months(period_start)
            for code, label in split.items()
        }
    if table is AGENTS:
        return dict(_options("InvolvedAgents"))
    if table is RECORDED_BY:  # staff, or patients and families (docs/adr/0019)
        return {"staff": "Staff", "patient": "Patients, families and carers"}
    codes = months(period_start)
    if table is EVENT_MONTH:
        codes = [*codes, EARLIER, UNKNOWN]
    return {code: month_label(code) for code in codes}
