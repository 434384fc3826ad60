"""Demo statistics for `make run`: generated history so the charts mean something, and a published release.

The generated records are coded only (no free text, so nothing to redact) and are written in bulk by the
lifecycle's `coded_history_import`: recording them through the form journeys would take minutes. They
belong to the demo organisations and are published at once, so statistics count them.
"""

import datetime as dt
import random

from django.utils import timezone

from events.lifecycle import CodedRecord, coded_history_import
from organisations.models import Organisation

from .kh03 import kh03_import
from .models import Release
from .services import quarter_start_of, release_build, release_publish

# Demo organisations and their share of generated records: trusts and their sites, practices, a pharmacy.
SHARES = {
    "RR8": 5,
    "RR801": 3,
    "RAE": 6,
    "RAE01": 3,
    "RTD": 7,
    "RTD01": 4,
    "RTF": 5,
    "B86081": 1,
    "A85001": 1,
    "FH542": 1,
}
EVENT_TYPES = (("1", 80), ("2", 8), ("3", 7), ("4", 5))
PHYSICAL = ((5, 55), (4, 30), (3, 10), (2, 4), (1, 1))
PSYCHOLOGICAL = ((4, 60), (3, 28), (2, 10), (1, 2))
AGENTS = ((4, 28), (3, 12), (9, 7), (13, 5), (10, 48))
# The services involved (service-type codes): what the care-setting table counts.
SERVICES = (("1", 55), ("4", 12), ("17", 10), ("7", 6), ("19", 5), ("3", 4), ("9", 3), ("15", 3))


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def demo_history_generate(count: int, *, seed: int = 16, months: int = 15) -> int:
    """Writes `count` coded records spread over the last `months` months. Returns how many."""
    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets
    organisations = {o.ods_code: o.pk for o in Organisation.objects.filter(ods_code__in=SHARES)}
    codes = [code for code in SHARES if code in organisations]
    if not codes or count <= 0:
        return 0
    now = timezone.now()
    records = []
    for _ in range(count):
        event_type = _pick(rng, EVENT_TYPES)
        patients = event_type in ("1", "2")
        created = now - dt.timedelta(days=rng.random() * months * 30.4)
        agent = _pick(rng, AGENTS) if event_type == "1" else None
        services = [_pick(rng, SERVICES)]
        if services != ["15"] and rng.random() < 0.08:
            services = sorted({*services, "7"}, key=int)
        question = "RiskServiceArea" if event_type == "3" else "ServiceArea"
        records.append(
            CodedRecord(
                organisation_id=organisations[rng.choices(codes, [SHARES[c] for c in codes])[0]],
                event_type=event_type,
                created_at=created,
                event_date=(created - dt.timedelta(days=int(rng.expovariate(1 / 4)))).date(),
                is_anonymous=rng.random() < 0.2,
                involved_agents=(1 << agent) if agent is not None else 0,
                worst_physical_harm=_pick(rng, PHYSICAL) if patients else None,
                worst_psychological_harm=_pick(rng, PSYCHOLOGICAL) if patients else None,
                patient_count=1 if patients else 0,
                coded_answers={question: services},
            )
        )
    return coded_history_import(records, question_set_version="5")


def demo_release_publish(*, actor, kh03_file, history: int) -> Release | None:
    """Once: generated history, the sample bed days, then the last complete quarter built and published."""
    if Release.objects.exists():
        return None
    demo_history_generate(history)
    if kh03_file.exists():
        kh03_import(kh03_file)
    last_quarter = quarter_start_of(quarter_start_of(timezone.localdate()) - dt.timedelta(days=1))
    release = release_build(quarter_start=last_quarter)
    return release_publish(release=release, actor=actor)
