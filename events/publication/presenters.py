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


# -- month recorded split by another table: small multiples, one panel per category, one scale -------
PANEL_WIDTH = 300
PANEL_HEIGHT = 150
PANEL_BARS = 110  # the tallest bar
PANEL_COLUMNS = 2


@dataclass
class Column:
    x: int
    y: int
    height: int
    month: str


@dataclass
class Panel:
    label: str
    x: int
    y: int
    columns: list[Column]
    hidden: int  # months whose figure is suppressed (no bar)


@dataclass
class SplitChart:
    key: str
    title: str
    series: list[str]  # the split's category labels, the table's columns
    rows: list[tuple[str, list[str]]]  # month label -> published displays, one per series
    panels: list[Panel]
    width: int
    height: int


def split_chart(
    table: t.Table, cells: dict[str, ReleaseCell], period_start: dt.date, policy: DisclosurePolicy
) -> SplitChart:
    """A trend by month split by event type (or harm): a table of months by categories and, beside
    it, one small bar chart per category, all on the same scale so panels compare."""
    split = t.categories(t.SPLIT_BY[table.key], period_start)
    months = t.months(period_start)
    values = {(month, code): cells.get(t.split_category(month, code)) for month in months for code in split}
    largest = max((cell.value or 0 for cell in values.values() if cell is not None), default=0) or 1
    rows = [
        (
            t.month_label(month),
            [values[(month, code)].display if values[(month, code)] else "" for code in split],
        )
        for month in months
    ]
    step = (PANEL_WIDTH - 20) // max(len(months), 1)
    panels = []
    for index, (code, label) in enumerate(split.items()):
        x = (index % PANEL_COLUMNS) * (PANEL_WIDTH + 20)
        y = (index // PANEL_COLUMNS) * (PANEL_HEIGHT + 10)
        columns, hidden = [], 0
        for number, month in enumerate(months):
            cell = values[(month, code)]
            value = cell.value if cell is not None else None
            if value is None:
                hidden += 1
            height = int(PANEL_BARS * (value or 0) / largest)
            base = y + 20 + PANEL_BARS
            columns.append(Column(x + 10 + number * step, base - height, height, t.month_label(month)))
        panels.append(Panel(label[:40], x, y, columns, hidden))
    rows_of_panels = (len(split) + PANEL_COLUMNS - 1) // PANEL_COLUMNS
    return SplitChart(
        table.key,
        table.title,
        list(split.values()),
        rows,
        panels,
        PANEL_COLUMNS * (PANEL_WIDTH + 20),
        rows_of_panels * (PANEL_HEIGHT + 10),
    )
