"""What the statistics templates show: tables with their labels, and bar charts drawn as SVG data.

Charts are plain server-rendered SVG (no JavaScript): each bar's length comes from the published
value; a suppressed figure has no bar and says `*`. Every chart is shown with its table and a CSV link.
"""

import datetime as dt
from dataclasses import dataclass

from . import tables as t
from .disclosure import CellStatus, DisclosurePolicy, Published, publish_percentage
from .models import ReleaseCell

CHART_WIDTH = 640
LABEL_WIDTH = 250
BAR_AREA = 300
BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass
class Row:
    category: str
    label: str
    display: str
    percentage: str
    value: float | None


@dataclass
class Bar:
    label: str
    display: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass
class Chart:
    key: str
    title: str
    rows: list[Row]
    bars: list[Bar]
    height: int
    experimental: bool = False
    additive: bool = True


def _published(cell: ReleaseCell | None) -> Published:
    if cell is None:
        return Published(None, CellStatus.WITHHELD)
    return Published(cell.value, CellStatus(cell.status))


def chart(
    table: t.Table,
    cells: dict[str, ReleaseCell],
    total: ReleaseCell | None,
    period_start: dt.date,
    policy: DisclosurePolicy,
) -> Chart:
    labels = t.categories(table, period_start)
    rows = []
    for code, label in labels.items():
        cell = cells.get(code)
        percentage = publish_percentage(_published(cell), _published(total), policy)
        rows.append(
            Row(
                code,
                label,
                cell.display if cell else "",
                percentage.display(policy) if percentage.value is not None else "",
                cell.value if cell else None,
            )
        )
    return Chart(
        table.key,
        table.title,
        rows,
        bars(rows),
        len(rows) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP,
        table.experimental,
        table.additive,
    )


def bars(rows: list[Row]) -> list[Bar]:
    largest = max((row.value or 0 for row in rows), default=0) or 1
    result = []
    for index, row in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = int(BAR_AREA * (row.value or 0) / largest)
        result.append(Bar(row.label[:38], row.display, y, y + 16, width, LABEL_WIDTH + width + 6))
    return result


def ranked_chart(title: str, key: str, entries: list[tuple[str, str, float | None]]) -> Chart:
    """A ranked list (ICBs by records): largest first, suppressed last."""
    entries = sorted(entries, key=lambda e: (e[2] is None, -(e[2] or 0), e[0]))
    rows = [Row(name, name, display, "", value) for name, display, value in entries]
    return Chart(key, title, rows, bars(rows), len(rows) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP, additive=False)
