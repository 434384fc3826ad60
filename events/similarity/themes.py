"""Emerging themes: each month's records clustered per ICB and nationally, labelled by their
distinctive terms, with weekly counts against the months before (new and fast-growing first).

Clustering is leader clustering on the stored sentence vectors (a record joins the nearest theme whose
centre is close enough, else starts one), twice over so early records can move; themes with fewer
than `MIN_SIZE` records are dropped. A theme's history counts the records of the three months before
that lie as close to its centre. Labels: the terms whose share in the theme most exceeds their share
in the month, weighted by rarity (features.weight). Only redacted text is read.

Who sees what is the policy's (`view_themes_of_my_icb`, `view_national_themes`), and the example
records and CSV are read through the read gate, so a user sees only the examples they may see.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator

import numpy as np
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import Action, Target, active_memberships, allows
from events.models import Event
from events.visibility import events_visible_to
from organisations.models import Organisation, OrganisationKind
from organisations.selectors import organisations_below

from . import embedding
from .features import terms_of, weight
from .models import Theme

JOIN_SIMILARITY = 0.72  # cosine to a theme's centre to join it
MIN_SIZE = 3
HISTORY_MONTHS = 3
LABEL_TERMS = 4
EXAMPLES = 5


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _vectors(
    events: QuerySet[Event], model_name: str
) -> tuple[list[int], list[str], list[dt.date], np.ndarray]:
    rows = list(
        events.filter(similarity_embedding__model_name=model_name).values_list(
            "id", "search_text", "event_date", "similarity_embedding__vector"
        )
    )
    if not rows:
        return [], [], [], np.zeros((0, 1), dtype=np.float32)
    ids, texts, dates, blobs = zip(*rows, strict=True)
    return list(ids), list(texts), list(dates), np.vstack([embedding.from_bytes(b) for b in blobs])


def cluster(vectors: np.ndarray, threshold: float = JOIN_SIMILARITY) -> list[int]:
    """Leader clustering, two passes: the theme number of each row (-1 never)."""
    if len(vectors) == 0:
        return []
    centres = vectors[:1].copy()
    assignment = np.zeros(len(vectors), dtype=int)
    for _ in range(2):
        sums = np.zeros_like(centres)
        counts = np.zeros(len(centres))
        for row, vector in enumerate(vectors):
            similarity = centres @ vector
            best = int(np.argmax(similarity))
            if similarity[best] < threshold:
                centres = np.vstack([centres, vector])
                sums = np.vstack([sums, np.zeros_like(vector)])
                counts = np.append(counts, 0)
                best = len(centres) - 1
            assignment[row] = best
            sums[best] += vector
            counts[best] += 1
        keep = counts > 0
        centres = sums[keep] / np.linalg.norm(sums[keep], axis=1, keepdims=True)
    final = centres @ vectors.T
    return [int(i) for i in np.argmax(final, axis=0)]


def label_terms(member_texts: list[str], month_counts: Counter, month_size: int) -> list[str]:
    counts = Counter(t for text in member_texts for t in set(terms_of(text)) if not t.isdigit())
    scored = []
    for term, n in counts.items():
        if n < 2:
            continue
        lift = (n / len(member_texts)) / (month_counts[term] / month_size)
        scored.append((lift * weight(term) * n, term))
    chosen: list[str] = []
    for _, term in sorted(scored, reverse=True):
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == LABEL_TERMS:
            break
    return chosen


def _scope_events(icb: Organisation | None) -> QuerySet[Event]:
    processed = Event.objects.filter(visible_revision__isnull=False)
    if icb is None:
        return processed
    below = organisations_below(icb).values("id")
    return processed.filter(Q(organisation_id=icb.pk) | Q(organisation_id__in=below))


def _week(day: dt.date, month: dt.date) -> int:
    return min(4, (day - month).days // 7)


@transaction.atomic
def themes_build(month: dt.date, icb: Organisation | None = None) -> list[Theme]:
    """(Re)builds one month's themes for an ICB, or nationally."""
    month = month_start(month)
    model_name = embedding.current_model().name
    scope = _scope_events(icb)
    ids, texts, dates, vectors = _vectors(
        scope.filter(event_date__gte=month, event_date__lt=next_month(month)), model_name
    )
    Theme.objects.filter(month=month, icb=icb).delete()
    if not ids:
        return []
    assignment = cluster(vectors)
    month_counts = Counter(t for text in texts for t in set(terms_of(text)))
    history_start = month
    for _ in range(HISTORY_MONTHS):
        history_start = month_start(history_start - dt.timedelta(days=1))
    _, _, _, history = _vectors(scope.filter(event_date__gte=history_start, event_date__lt=month), model_name)
    history_weeks = max(1.0, (month - history_start).days / 7)
    themes = []
    for number in sorted(set(assignment)):
        members = [row for row, theme in enumerate(assignment) if theme == number]
        if len(members) < MIN_SIZE:
            continue
        centre = vectors[members].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        before = int((history @ centre >= JOIN_SIMILARITY).sum()) if len(history) else 0
        weekly = [0] * 5
        for row in members:
            weekly[_week(dates[row], month)] += 1
        mean = before / history_weeks
        last = weekly[4] + weekly[3] if weekly[4] < 3 else weekly[4]  # a short fifth week joins the fourth
        terms = label_terms([texts[row] for row in members], month_counts, len(texts))
        theme = Theme.objects.create(
            month=month,
            icb=icb,
            label=", ".join(terms) or "unlabelled",
            terms=terms,
            size=len(members),
            weekly_counts=weekly,
            history_weekly_mean=round(mean, 3),
            is_new=before == 0,
            growth=round(last / max(mean, 0.5), 3),
        )
        theme.events.set([ids[row] for row in members])
        themes.append(theme)
    return themes


def themes_build_all(month: dt.date) -> int:
    built = len(themes_build(month))
    for icb in Organisation.objects.filter(kind=OrganisationKind.ICB):
        built += len(themes_build(month, icb))
    return built


def themes_build_due(today: dt.date | None = None) -> int:
    """Last month's themes, once (beat runs this daily)."""
    today = today or timezone.localdate()
    last_month = month_start(month_start(today) - dt.timedelta(days=1))
    if Theme.objects.filter(month=last_month).exists():
        return 0
    return themes_build_all(last_month)


# -- reading -------------------------------------------------------------------------------------------
def _icbs_for(user) -> list[Organisation] | None:
    """The ICBs whose themes the user may see; None for every theme (national view)."""
    if allows(user, Action.VIEW_NATIONAL_THEMES):
        return None
    return [
        m.organisation
        for m in active_memberships(user)
        if allows(user, Action.VIEW_THEMES_OF_MY_ICB, Target(m.organisation))
    ]


def themes_visible_to(user) -> list[Theme] | None:
    """The latest month's themes the user may see, new and fast-growing first; None if they may see
    no themes at all."""
    icbs = _icbs_for(user)
    if icbs is not None and not icbs:
        return None
    themes = Theme.objects.select_related("icb")
    if icbs is not None:
        themes = themes.filter(icb__in=icbs)
    latest = themes.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return []
    return list(themes.filter(month=latest).order_by("-is_new", "-growth", "-size")[:50])


def theme_for(user, pk: int) -> Theme | None:
    theme = Theme.objects.select_related("icb").filter(pk=pk).first()
    if theme is None:
        return None
    icbs = _icbs_for(user)
    if icbs is None or (theme.icb is not None and theme.icb in icbs):
        return theme
    return None


def _theme_records(user, theme: Theme) -> QuerySet[Event]:
    return events_visible_to(user).filter(id__in=theme.events.values("id")).select_related("organisation")


def theme_examples(user, theme: Theme) -> list[Event]:
    return list(_theme_records(user, theme).order_by("-event_date")[:EXAMPLES])


class _Line:
    def write(self, line: str) -> str:
        return line


def theme_csv_lines(user, theme: Theme) -> Iterator[str]:
    """The theme's records the user may see: reference, date, organisation, type, redacted text."""
    from events.csv_export import neutralise

    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(
        ["ReferenceNumber", "EventDate", "OrganisationCode", "EventType", "Text"]
    )
    for event in _theme_records(user, theme).order_by("event_date").iterator(chunk_size=1000):
        yield writer.writerow(
            [
                event.reference,
                event.event_date.isoformat() if event.event_date else "",
                neutralise(event.organisation.ods_code if event.organisation else ""),
                event.event_type,
                neutralise(event.search_text or ""),
            ]
        )
