"""Funnel plot of trusts' recording rates per 1,000 bed days against the national rate.

Control limits treat a trust's count as Poisson with the national rate: rate ± z·sqrt(rate / n),
n being thousands of bed days (z = 1.96 for 95 %, 3.09 for 99.8 %). Above the limits means more
recording than expected: a sign of a strong reporting culture, not of less safe care (as in OPSIR).
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 360, 60, 40, 10
LIMITS = (("95%", 1.96), ("99.8%", 3.09))


@dataclass
class Point:
    code: str
    name: str
    bed_days: float
    rate: float | None
    display: str
    position: str
    x: float = 0
    y: float = 0


@dataclass
class Funnel:
    national_rate: float
    points: list[Point]
    lines: list[tuple[str, str]]  # (label, SVG points for the upper and lower limit paths)
    national_y: float
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


def position(rate: float | None, national: float, thousands: float) -> str:
    if rate is None:
        return "Not shown"
    spread = 3.09 * math.sqrt(national / thousands)
    if rate > national + spread:
        return "Above 99.8% limit: more recording than expected"
    if rate < national - spread:
        return "Below 99.8% limit: less recording than expected"
    return "Within the limits"


def funnel(national_rate: float, trusts: list[tuple[str, str, float, float | None, str]]) -> Funnel:
    """trusts: (code, name, bed days, published rate or None, display)."""
    largest = max((bed_days for _, _, bed_days, _, _ in trusts), default=1000) * 1.1 / 1000
    top = max([national_rate * 2] + [rate * 1.1 for *_, rate, _ in trusts if rate is not None])

    def sx(thousands: float) -> float:
        return round(LEFT + (WIDTH - LEFT - 10) * thousands / largest, 1)

    def sy(rate: float) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * min(max(rate, 0), top) / top, 1)

    points = []
    for code, name, bed_days, rate, display in trusts:
        thousands = bed_days / 1000
        point = Point(code, name, bed_days, rate, display, position(rate, national_rate, thousands))
        if rate is not None:
            point.x, point.y = sx(thousands), sy(rate)
        points.append(point)
    steps = [largest * (i + 1) / 60 for i in range(60)]
    lines = []
    for label, z in LIMITS:
        for sign in (1, -1):
            coords = " ".join(
                f"{sx(n)},{sy(national_rate + sign * z * math.sqrt(national_rate / n))}" for n in steps
            )
            lines.append((label, coords))
    x_ticks = [(sx(largest * i / 4), f"{largest * i / 4:,.0f}") for i in range(5)]
    y_ticks = [(sy(top * i / 4), f"{top * i / 4:,.1f}") for i in range(5)]
    return Funnel(national_rate, points, lines, sy(national_rate), x_ticks, y_ticks)
