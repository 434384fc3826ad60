"""The disclosure engine: the primary rule, percentages and rates, and no small value recoverable by
differencing (property-based, against the exact attacker in oracle.py)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.publication.disclosure import (
    CellStatus,
    DisclosurePolicy,
    Published,
    Sum,
    protect,
    publish_count,
    publish_percentage,
    publish_rate,
)
from tests.publication.oracle import candidates, feasible_values_grid, feasible_values_sum

POLICY = DisclosurePolicy()


def shown(raw, national=False, policy=POLICY):
    return publish_count(raw, national=national, policy=policy).display(policy)


def test_primary_rule_below_national():
    assert [shown(v) for v in (0, 1, 7, 8, 12, 13, 1234)] == ["0", "*", "*", "10", "10", "15", "1,235"]


def test_national_counts_are_exact():
    assert [shown(v, national=True) for v in (0, 3, 1234)] == ["0", "3", "1,234"]


def test_thresholds_come_from_the_policy():
    strict = DisclosurePolicy(smallest_shown=11, rounding_base=10, marker="[c]")
    assert [shown(v, policy=strict) for v in (10, 11, 14, 15)] == ["[c]", "10", "10", "20"]


def test_totals_are_rounded_from_unrounded_values():
    parts = [12, 12, 12]  # each shown as 10; the total is 36, shown as 35 (not 30)
    assert shown(sum(parts)) == "35"


def test_percentage_needs_a_shown_numerator_and_a_large_rounded_denominator():
    big = publish_count(5000, national=False, policy=POLICY)
    assert (
        publish_percentage(publish_count(3, national=False, policy=POLICY), big, POLICY).display(POLICY)
        == "*"
    )
    assert publish_percentage(publish_count(1233, national=False, policy=POLICY), big, POLICY).value == 24.7
    small = publish_count(3999, national=False, policy=POLICY)  # rounded: 4,000, large enough
    assert publish_percentage(publish_count(40, national=False, policy=POLICY), small, POLICY).value == 1.0
    smaller = publish_count(3997, national=False, policy=POLICY)  # rounded: 3,995
    assert publish_percentage(publish_count(40, national=False, policy=POLICY), smaller, POLICY).status == (
        CellStatus.WITHHELD
    )


def test_rates_are_suppressed_with_their_numerator():
    assert publish_rate(Published(None, CellStatus.SMALL), 9000, POLICY).suppressed
    assert publish_rate(publish_count(52, national=False, policy=POLICY), 9000.0, POLICY).value == 5.6
    assert (
        publish_rate(publish_count(52, national=False, policy=POLICY), 0, POLICY).status
        == CellStatus.WITHHELD
    )


def test_the_textbook_differencing_attack_is_blocked():
    # 8 and 8 are shown as 10 and 10, their total with a 1 is 17, shown as 15: 15+2-8-8 = 1.
    raw = {"a": 1, "b": 8, "c": 8, "total": 17}
    cells = protect(raw, [Sum("total", ("a", "b", "c"))], is_national=lambda k: False, policy=POLICY)
    assert cells["a"].status == CellStatus.SMALL
    assert sum(cell.suppressed for cell in cells.values()) == 2


def _grid_release(grid):
    """Areas (rows) by categories (columns) under an exact national row, with area totals."""
    raw = {}
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            raw[("area", i, j)] = value
        raw[("area", i, "total")] = sum(row)
    columns = [sum(row[j] for row in grid) for j in range(len(grid[0]))]
    for j, value in enumerate(columns):
        raw[("nation", j)] = value
    raw[("nation", "total")] = sum(columns)
    groups = [
        Sum(("area", i, "total"), tuple(("area", i, j) for j in range(len(row))))
        for i, row in enumerate(grid)
    ]
    groups += [
        Sum(("nation", j), tuple(("area", i, j) for i in range(len(grid)))) for j in range(len(columns))
    ]
    groups.append(Sum(("nation", "total"), tuple(("area", i, "total") for i in range(len(grid)))))
    groups.append(Sum(("nation", "total"), tuple(("nation", j) for j in range(len(columns)))))
    cells = protect(raw, groups, is_national=lambda k: k[0] == "nation", policy=POLICY)
    return raw, columns, cells


def _assert_no_small_cell_disclosed(grid, raw, columns, cells):
    def options(key, bound):
        return candidates(cells[key].display(POLICY), cells[key].status, bound)

    # A cell is at most its column's (exact) total and its row's largest possible total.
    totals = [options(("area", i, "total"), sum(columns)) for i in range(len(grid))]
    rows = [
        [options(("area", i, j), min(columns[j], max(totals[i]))) for j in range(len(columns))]
        for i in range(len(grid))
    ]
    seen = feasible_values_grid(rows, totals, columns)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            assert value in seen[i][j], "the true table must be consistent with what is published"
            if 1 <= value <= 7:
                assert len(seen[i][j]) > 1, f"cell {i},{j} = {value} can be worked out from {cells}"
        total = raw[("area", i, "total")]
        assert cells[("area", i, "total")].status != CellStatus.SMALL or total > 0


small_counts = st.integers(min_value=0, max_value=14)
# Two categories by two or three areas: big enough for every differencing path (row, column and
# national totals), small enough for the exact attacker to enumerate.
grids = st.lists(
    st.lists(st.integers(min_value=0, max_value=11), min_size=2, max_size=2), min_size=2, max_size=3
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids)
def test_no_small_cell_is_disclosed_by_differencing(grid):
    raw, columns, cells = _grid_release(grid)
    _assert_no_small_cell_disclosed(grid, raw, columns, cells)


@settings(max_examples=200, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=5))
def test_single_table_with_a_published_total(values):
    raw = {i: v for i, v in enumerate(values)} | {"total": sum(values)}
    cells = protect(
        raw, [Sum("total", tuple(range(len(values))))], is_national=lambda k: False, policy=POLICY
    )
    bound = sum(values) + 40

    def options(key):  # the attacker is told which * are small counts: the stronger one
        return candidates(cells[key].display(POLICY), cells[key].status, bound, knows_status=True)

    seen = feasible_values_sum(options("total"), [options(i) for i in range(len(values))])
    for i, value in enumerate(values):
        assert value in seen[i]
        if 1 <= value <= 7:
            assert len(seen[i]) > 1
