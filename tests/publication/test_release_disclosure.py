"""Property: across every table of a built release, no published figure below national level reveals
a value from 1 to 7, alone or by subtracting published figures from a published total.

Releases are built from generated records by the real builder (build_cells) over a small geography,
without a database; the attacker (oracle.py) reads the published strings and the relations, and is
even told which `*` are small counts (1 to 7) and which were hidden to protect them.
"""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.publication import tables as t
from events.publication.areas import ENGLAND, Area, Geography
from events.publication.build import Period, build_cells, relations
from events.publication.disclosure import DisclosurePolicy
from events.publication.models import Level
from tests.publication.oracle import candidates, feasible_values_sum

POLICY = DisclosurePolicy()
PERIOD = Period.for_quarter(dt.date(2026, 7, 1))
MONTHS = t.months(PERIOD.start)
CHAINS = {
    1: ["T1", "Q1", "Y1", ENGLAND],
    2: ["T2", "Q1", "Y1", ENGLAND],
    3: ["S1", "Q1", "Y1", ENGLAND],
    4: ["U1", "Q2", "Y2", ENGLAND],
    5: ["Q2", "Y2", ENGLAND],  # a pharmacy: counted in its ICB only
}


def geography() -> Geography:
    areas = {ENGLAND: Area(Level.NATIONAL, ENGLAND, "England")}
    for code, level, parent in (
        ("Y1", Level.REGION, ENGLAND),
        ("Y2", Level.REGION, ENGLAND),
        ("Q1", Level.ICB, "Y1"),
        ("Q2", Level.ICB, "Y2"),
        ("T1", Level.ORGANISATION, "Q1"),
        ("T2", Level.ORGANISATION, "Q1"),
        ("S1", Level.SUB_ICB, "Q1"),
        ("U1", Level.ORGANISATION, "Q2"),
    ):
        areas[code] = Area(level, code, code, parent)
        areas[parent].children.append(code)
    return Geography(areas, CHAINS)


# Batches of identical records, so that counts near the thresholds (1 to 7, 8 to 12) come up often.
batches = st.lists(
    st.tuples(
        st.sampled_from([1, 2, 3, 4, 5, None]),
        st.sampled_from(["1", "2", "3", "4"]),
        st.sampled_from([1, 2, 3, 4, 5, None]),
        st.integers(min_value=9, max_value=11),
        st.sampled_from(["1", "17", t.SEVERAL_SERVICES, t.NOT_RECORDED]),  # the services involved
        st.integers(min_value=1, max_value=12),
    ),
    max_size=10,
)
records = batches.map(lambda items: [item[:5] for item in items for _ in range(item[5])])


def organisation_counts(generated) -> Counter:
    counts = Counter()
    for organisation, event_type, harm, month, service in generated:
        harm_code = str(harm) if harm else t.NOT_RECORDED
        counts[(organisation, t.EVENT_TYPE.key, event_type)] += 1
        counts[(organisation, t.PHYSICAL_HARM.key, harm_code)] += 1
        counts[(organisation, t.CARE_SETTING.key, service)] += 1
        by_type = t.split_category(MONTHS[month], event_type)
        counts[(organisation, t.RECORDED_MONTH_BY_TYPE.key, by_type)] += 1
        by_harm = t.split_category(MONTHS[month], harm_code)
        counts[(organisation, t.RECORDED_MONTH_BY_HARM.key, by_harm)] += 1
        counts[(organisation, t.RECORDED_BY.key, "patient" if month % 3 == 0 else "staff")] += 1
        counts[(organisation, t.PSYCHOLOGICAL_HARM.key, t.NOT_RECORDED)] += 1
        counts[(organisation, t.RECORDED_MONTH.key, MONTHS[month])] += 1
        counts[(organisation, t.EVENT_MONTH.key, MONTHS[month])] += 1
        if event_type == "1":
            counts[(organisation, t.AGENTS.key, "4")] += 1
        if month >= 9:
            counts[(organisation, t.QUARTER.key, t.ALL)] += 1
    return counts


# The textbook attack: 8 and 8 shown as 10 and 10 beside a total of 17 shown as 15 pin the third to 1.
TEXTBOOK = [(1, "1", 4, 9, "1")] * 8 + [(1, "3", 4, 9, "1")] * 8 + [(1, "2", 4, 9, "1")]


# About 50 s of CPU (every table, the month splits included); on a machine shared and loaded the wall
# time can pass the suite's 300 s default.
@pytest.mark.timeout(900)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(TEXTBOOK)
@given(records)
def test_no_small_figure_is_revealed_by_any_relation_of_a_release(generated):
    places = geography()
    built = build_cells(organisation_counts(generated), places, PERIOD, POLICY, bed_days={})
    bound = len(generated)
    shown = {
        key: candidates(cell.display(POLICY), cell.status, bound, knows_status=True)
        for key, cell in built.cells.items()
    }
    labels = {table.key: list(t.categories(table, PERIOD.start)) for table in t.ALL_TABLES}
    for relation in relations(places, labels, PERIOD):
        if not relation.complete:
            continue  # parent >= sum: gives no lower bound to a figure shown as *
        seen = feasible_values_sum(shown[relation.parent], [shown[c] for c in relation.children])
        for child, values in zip(relation.children, seen, strict=True):
            if child[0] != ENGLAND and built.cells[child].suppressed:
                revealed = len(values) == 1 and 1 <= min(values) <= 7
                assert not revealed, f"{child} is revealed by {relation}: {values}"
