"""Import of KH03 bed availability figures: the denominators of trusts' recording rates."""

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import BedDays

FIRST_MONTH_OF_FINANCIAL_QUARTER = {"Q1": 4, "Q2": 7, "Q3": 10, "Q4": 1}


@dataclass
class Kh03Report:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def quarter_start(financial_year: str, period: str) -> dt.date:
    """("2026-27", "Q3") -> 1 October 2026; ("2026-27", "Q4") -> 1 January 2027."""
    first_year = int(financial_year.strip()[:4])
    month = FIRST_MONTH_OF_FINANCIAL_QUARTER[period.strip().upper()]
    return dt.date(first_year + (month == 1), month, 1)


def days_in_quarter(start: dt.date) -> int:
    end_month = start.month + 3
    end = dt.date(start.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return (end - start).days


@transaction.atomic
def kh03_import(path: Path) -> Kh03Report:
    report = Kh03Report()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                start = quarter_start(row["Year"], row["Period"])
                beds = float(row["Total"].replace(",", ""))
                code = row["Org Code"].strip().upper()
            except (KeyError, ValueError, AttributeError) as error:
                report.errors.append(f"line {line}: {error!r}")
                continue
            BedDays.objects.update_or_create(
                ods_code=code,
                quarter_start=start,
                defaults={"beds": beds, "bed_days": beds * days_in_quarter(start), "source": path.name},
            )
            report.imported += 1
    return report
