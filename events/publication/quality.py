"""Data quality of one organisation's records, for its own signed-in users (scoped by the policy).

Completeness and "I don't know" rates per coded question, time from event to recording, the review
backlog, and the LRMS API's rejection rates. Records are read through the read gate
(events/visibility.py) as the user's organisation scope; answers are tested for presence and for the
"I don't know" code inside the database; no answer text is read. The figures are exact: the page is
shown only to people who may view this organisation's records, never beyond it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from events.fhir.outcome import DESCRIPTIONS
from events.models import EventStatus
from events.questionnaire import load_question_set
from events.questionnaire.model import Kind
from events.visibility import Scope, events_visible_to
from organisations.models import Organisation

from .api_outcomes import ApiOutcomes, api_outcomes_of
from .presenters import Bar, Row, bars
from .tables import QUESTION_SET_VERSION, month_label

CODED = {Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SELECT}
DONT_KNOW = ("i don't know", "i don’t know", "don't know", "not known", "unknown")
LAG_BUCKETS = (
    ("Same day", 0, 0),
    ("1 to 7 days", 1, 7),
    ("8 to 30 days", 8, 30),
    ("More than 30 days", 31, None),
)
ANSWERS = "visible_revision__redacted_answers"


@dataclass
class QuestionQuality:
    question_id: str
    label: str
    asked: int
    answered: int
    dont_know: int | None

    @property
    def answered_percentage(self) -> str:
        return f"{100 * self.answered / self.asked:.1f}" if self.asked else ""

    @property
    def dont_know_percentage(self) -> str:
        if self.dont_know is None or not self.answered:
            return ""
        return f"{100 * self.dont_know / self.answered:.1f}"


@dataclass
class ApiMonth:
    month: str
    submitted: int
    rejected: int

    @property
    def rate(self) -> str:
        return f"{100 * self.rejected / self.submitted:.1f}" if self.submitted else ""


@dataclass
class ApiQuality:
    outcomes: ApiOutcomes
    months: list[ApiMonth]
    reasons: list[tuple[str, str, int, str]]  # code, what it means, rejections, % of rejections
    bars: list[Bar]
    height: int

    @property
    def rate(self) -> str:
        submitted = self.outcomes.submitted
        return f"{100 * self.outcomes.rejected / submitted:.1f}" if submitted else ""


@dataclass
class OrganisationQuality:
    records: int
    questions: list[QuestionQuality]
    lags: list[tuple[str, int]]
    backlog: list[tuple[str, int]]
    api: ApiQuality


def _records(user, organisation: Organisation, since: dt.datetime):
    """The organisation's (and its sites') processed records, through the read gate."""
    return events_visible_to(user, scope=Scope(organisation)).filter(created_at__gte=since).order_by()


def api_quality(organisation: Organisation, since: dt.date) -> ApiQuality:
    """Rejection rates of the organisation's LRMS submissions: by month (chart and table) and reason."""
    outcomes = api_outcomes_of(organisation, since=since)
    months = [
        ApiMonth(month_label(m), accepted + rejected, rejected) for m, accepted, rejected in outcomes.by_month
    ]
    rows = [
        Row(month.month, month.month, f"{month.rate}%", "", float(month.rate) if month.rate else 0.0)
        for month in months
    ]
    reasons = []
    for code, count in outcomes.by_reason:
        meaning = DESCRIPTIONS.get(code, code or "Not known")
        share = f"{100 * count / outcomes.rejected:.1f}" if outcomes.rejected else ""
        reasons.append((code, meaning, count, share))
    return ApiQuality(outcomes, months, reasons, bars(rows), len(rows) * 30 + 8)


def _dont_know_code(question) -> str | None:
    return next((o.code for o in question.options if o.label.strip().lower() in DONT_KNOW), None)


def organisation_quality(organisation: Organisation, *, user, months: int = 12) -> OrganisationQuality:
    since = timezone.now() - dt.timedelta(days=30.44 * months)
    records = _records(user, organisation, since)
    question_set = load_question_set(QUESTION_SET_VERSION)
    code_of = {event_type.key: event_type.code for event_type in question_set.event_types}
    sections = {section.id: section for section in question_set.sections}
    chosen, aggregates = [], {"records": Count("id")}
    for question in question_set.questions():
        section = sections[question.section_id]
        conditional = question.when is not None or section.when is not None or section.repeat is not None
        if question.kind not in CODED or question.group or conditional or question.id == "EventType":
            continue
        keys = question.event_types or section.event_types
        applies = Q(event_type__in=[code_of[k] for k in keys]) if keys else Q()
        answered = (
            applies & Q(**{f"{ANSWERS}__has_key": question.id}) & ~Q(**{f"{ANSWERS}__{question.id}": None})
        )
        aggregates[f"asked_{question.id}"] = Count("id", filter=applies)
        aggregates[f"answered_{question.id}"] = Count("id", filter=answered)
        dont_know = _dont_know_code(question)
        if dont_know:
            value = [dont_know] if question.kind == Kind.MULTIPLE_CHOICE else dont_know
            aggregates[f"dk_{question.id}"] = Count(
                "id", filter=applies & Q(**{f"{ANSWERS}__{question.id}": value})
            )
        chosen.append(question)
    totals = records.aggregate(**aggregates)
    questions = [
        QuestionQuality(
            q.id,
            (q.short or q.text).render(),
            totals[f"asked_{q.id}"],
            totals[f"answered_{q.id}"],
            totals.get(f"dk_{q.id}"),
        )
        for q in chosen
        if totals[f"asked_{q.id}"]
    ]
    return OrganisationQuality(
        totals["records"],
        questions,
        _lags(records),
        _backlog(records),
        api_quality(organisation, timezone.localtime(since).date()),
    )


def _lags(records) -> list[tuple[str, int]]:
    counts = [0] * len(LAG_BUCKETS)
    zone = timezone.get_current_timezone()
    for event_date, created_at in (
        records.exclude(event_date=None).values_list("event_date", "created_at").iterator()
    ):
        days = (created_at.astimezone(zone).date() - event_date).days
        for index, (_, _low, high) in enumerate(LAG_BUCKETS):
            if high is None or days <= high:
                counts[index] += 1
                break
    return [(label, count) for (label, _, _), count in zip(LAG_BUCKETS, counts, strict=True)]


def _backlog(records) -> list[tuple[str, int]]:
    now = timezone.now()
    waiting = records.exclude(status=EventStatus.REVIEWED)
    ages = waiting.aggregate(
        recent=Count("id", filter=Q(created_at__gte=now - dt.timedelta(days=7))),
        month=Count(
            "id",
            filter=Q(created_at__lt=now - dt.timedelta(days=7), created_at__gte=now - dt.timedelta(days=30)),
        ),
        older=Count("id", filter=Q(created_at__lt=now - dt.timedelta(days=30))),
    )
    return [
        ("Recorded in the last 7 days", ages["recent"]),
        ("Recorded 8 to 30 days ago", ages["month"]),
        ("Recorded more than 30 days ago", ages["older"]),
    ]
