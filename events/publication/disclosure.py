"""Disclosure control: the one engine every public surface (pages, charts, CSV, JSON) publishes through.

The policy is data (`DisclosurePolicy`, read from the PUBLICATION_DISCLOSURE setting). By default it
is NHS Digital's rule for secondary care statistics: national figures are shown as they are; below
national level 0 stays 0, 1 to 7 is shown as `*` and every other count is rounded to the nearest 5.
Totals are computed from unrounded values and then rounded. Percentages and rates are suppressed with
their numerator, and shown to one decimal place only when the (rounded) denominator is large enough.

Rounding on its own does not stop differencing: published cells 10 and 10 under a published total of
15 bound their unrounded values to 8..12 each and the total to 13..17, so a third cell shown as `*`
must be exactly 1. `protect` therefore works out, for every suppressed cell, the range an attacker can
deduce from every published cell and every additive relation of the release (a table's categories add
up to the area's total, areas add up to their parent area). Where a suppressed cell's range narrows to
one value, a complementary cell is hidden too ("protected", also shown as `*`) and the check runs again
(docs/adr/0017-public-statistics-and-disclosure-control.md).
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings

UNBOUNDED = 10**15
# Bound tightening on cyclic relations can creep one unit per pass; stopping early stays sound (the
# ranges only ever over-approximate what an attacker can deduce), so the work is capped.
MAX_TIGHTENINGS_PER_GROUP = 40


@dataclass(frozen=True)
class DisclosurePolicy:
    smallest_shown: int = 8
    rounding_base: int = 5
    marker: str = "*"
    percentage_min_denominator: int = 4000
    rate_per: int = 1000
    decimals: int = 1
    national_unsuppressed: bool = True

    @classmethod
    def from_settings(cls) -> "DisclosurePolicy":
        return cls(**getattr(settings, "PUBLICATION_DISCLOSURE", {}))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class CellStatus(StrEnum):
    EXACT = "exact"  # national figures, shown as they are
    ZERO = "zero"
    ROUNDED = "rounded"
    SMALL = "small"  # 1 to 7 below national level: `*`
    PROTECTED = "protected"  # hidden so that a small cell cannot be worked out: `*`
    WITHHELD = "withheld"  # a percentage or rate whose denominator is too small: not shown


SUPPRESSED = frozenset({CellStatus.SMALL, CellStatus.PROTECTED})


@dataclass(frozen=True)
class Published:
    """A figure as it may be published: its value (None when suppressed or withheld) and why."""

    value: float | None
    status: CellStatus

    @property
    def suppressed(self) -> bool:
        return self.status in SUPPRESSED

    def display(self, policy: DisclosurePolicy) -> str:
        if self.status in SUPPRESSED:
            return policy.marker
        if self.value is None:
            return "[x]"
        if isinstance(self.value, float) and not self.value.is_integer():
            return f"{self.value:,.{policy.decimals}f}"
        return f"{int(self.value):,}"


def round_to_base(value: int, base: int) -> int:
    """Nearest multiple of `base`, halves upwards (with base 5 an integer is never a half)."""
    return (value + base // 2) // base * base


def publish_count(raw: int, *, national: bool, policy: DisclosurePolicy) -> Published:
    if national and policy.national_unsuppressed:
        return Published(raw, CellStatus.EXACT)
    if raw == 0:
        return Published(0, CellStatus.ZERO)
    if raw < policy.smallest_shown:
        return Published(None, CellStatus.SMALL)
    return Published(round_to_base(raw, policy.rounding_base), CellStatus.ROUNDED)


def publish_percentage(numerator: Published, denominator: Published, policy: DisclosurePolicy) -> Published:
    """From published figures only, so a percentage never tells more than the counts beside it."""
    if numerator.suppressed:
        return Published(None, numerator.status)
    if denominator.value is None or denominator.value < policy.percentage_min_denominator:
        return Published(None, CellStatus.WITHHELD)
    return Published(round(100 * numerator.value / denominator.value, policy.decimals), CellStatus.ROUNDED)


def publish_rate(numerator: Published, denominator: float | None, policy: DisclosurePolicy) -> Published:
    """A rate per `policy.rate_per` units of a public denominator (bed days), from the published count."""
    if numerator.suppressed:
        return Published(None, numerator.status)
    if not denominator:
        return Published(None, CellStatus.WITHHELD)
    return Published(
        round(numerator.value * policy.rate_per / denominator, policy.decimals), CellStatus.ROUNDED
    )


Key = Hashable


@dataclass(frozen=True)
class Sum:
    """An additive relation an attacker knows: parent = sum(children), or parent >= sum(children).

    `complete=False` is for areas whose published children do not cover all of it (an ICB's records
    at a pharmacy, records with no known organisation): a reader cannot know what lies outside them.
    """

    parent: Key
    children: tuple[Key, ...]
    complete: bool = True


@dataclass
class Ranges:
    lo: dict[Key, int] = field(default_factory=dict)
    hi: dict[Key, int] = field(default_factory=dict)

    def exact(self, key: Key) -> bool:
        return self.lo[key] == self.hi[key]


def attacker_range(published: Published, policy: DisclosurePolicy, *, knows_status: bool) -> tuple[int, int]:
    """What one published count alone says about the unrounded value.

    A reader of the release sees only `*`; an attacker who `knows_status` also knows which `*` are
    small counts (1 to 7) rather than protected ones.
    """
    if published.status is CellStatus.EXACT or published.status is CellStatus.ZERO:
        return int(published.value), int(published.value)
    if published.status is CellStatus.SMALL and knows_status:
        return 1, policy.smallest_shown - 1
    if published.status is CellStatus.ROUNDED:
        half = policy.rounding_base // 2
        return max(policy.smallest_shown, int(published.value) - half), int(published.value) + half
    return 0, UNBOUNDED


def deduce_ranges(
    cells: dict[Key, Published], groups: Iterable[Sum], policy: DisclosurePolicy, *, knows_status: bool
) -> Ranges:
    """Interval constraint propagation over the additive relations, to a fixed point (or the cap)."""
    groups = list(groups)
    ranges = Ranges()
    for key, published in cells.items():
        ranges.lo[key], ranges.hi[key] = attacker_range(published, policy, knows_status=knows_status)
    groups_of: dict[Key, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        groups_of[group.parent].append(index)
        for child in group.children:
            groups_of[child].append(index)
    pending = list(range(len(groups)))
    queued = set(pending)
    passes = [0] * len(groups)
    lo, hi = ranges.lo, ranges.hi
    lo_of, hi_of = lo.__getitem__, hi.__getitem__
    # Upper bounds start at most UNBOUNDED and only ever shrink, so they need no clamping here.
    while pending:
        index = pending.pop()
        queued.discard(index)
        passes[index] += 1
        if passes[index] > MAX_TIGHTENINGS_PER_GROUP:
            continue
        group = groups[index]
        parent, children, complete = group.parent, group.children, group.complete
        sum_lo = sum(map(lo_of, children))
        sum_hi = sum(map(hi_of, children))
        changed = []
        parent_lo, parent_hi = lo[parent], hi[parent]
        new_lo = parent_lo if parent_lo >= sum_lo else sum_lo
        new_hi = parent_hi if not complete or parent_hi <= sum_hi else sum_hi
        if new_lo != parent_lo or new_hi != parent_hi:
            lo[parent], hi[parent] = parent_lo, parent_hi = new_lo, new_hi
            changed.append(parent)
        for child in children:
            child_lo, child_hi = lo[child], hi[child]
            new_lo = child_lo
            if complete:
                floor = parent_lo - (sum_hi - child_hi)
                if floor > child_lo:
                    new_lo = floor
            ceiling = parent_hi - (sum_lo - child_lo)
            new_hi = ceiling if ceiling < child_hi else child_hi
            if new_lo != child_lo or new_hi != child_hi:
                lo[child], hi[child] = new_lo, new_hi
                changed.append(child)
        for key in changed:
            for other in groups_of[key]:
                if other != index and other not in queued:
                    queued.add(other)
                    pending.append(other)
    return ranges


def protect(
    raw: dict[Key, int],
    groups: list[Sum],
    *,
    is_national: Callable[[Key], bool],
    policy: DisclosurePolicy,
) -> dict[Key, Published]:
    """Publishes every count, then hides complementary cells until no small cell can be worked out.

    Two passes. Against an attacker who knows which `*` are small counts, a complement is sought among
    the cells related to the revealed one; where there is none (national figures alone pin it, as when
    the nation has one such event) that attacker cannot be beaten, and the second pass makes sure a
    reader of the release, who sees only `*`, cannot pin it either, hiding cells further away if needed.
    Hiding only ever widens ranges, so the second pass keeps what the first achieved.
    """
    cells = {
        key: publish_count(value, national=is_national(key), policy=policy) for key, value in raw.items()
    }
    groups_of: dict[Key, list[Sum]] = defaultdict(list)
    for group in groups:
        groups_of[group.parent].append(group)
        for child in group.children:
            groups_of[child].append(group)
    for knows_status in (True, False):
        while True:
            ranges = deduce_ranges(cells, groups, policy, knows_status=knows_status)
            revealed = [k for k, c in cells.items() if c.status is CellStatus.SMALL and ranges.exact(k)]
            hidden = 0
            for key in revealed:
                complement = _complement(key, groups_of, cells, raw, is_national, reach=not knows_status)
                if complement is not None:
                    cells[complement] = Published(None, CellStatus.PROTECTED)
                    hidden += 1
            if not hidden:
                break
    return cells


def _complement(key, groups_of, cells, raw, is_national, *, reach: bool) -> Key | None:
    """The cell whose hiding costs least: the smallest rounded count related to `key`, else a zero.

    With `reach`, cells related through already hidden ones count too (nearest first).
    """
    rank = {CellStatus.ROUNDED: 0, CellStatus.ZERO: 1}
    frontier, visited = [key], {key}
    while frontier:
        related = set()
        for cell in frontier:
            for group in groups_of[cell]:
                related.update(group.children)
                related.add(group.parent)
        related -= visited
        visited |= related
        candidates = [c for c in related if not is_national(c) and not cells[c].suppressed]
        if candidates:
            return min(candidates, key=lambda c: (rank.get(cells[c].status, 2), raw[c], str(c)))
        if not reach:
            return None
        frontier = [c for c in related if cells[c].suppressed]
    return None
