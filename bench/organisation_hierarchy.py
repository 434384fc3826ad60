"""Time the ODS import and the hierarchy queries on an England-sized tree of ~20,000 organisations.

    .venv/bin/python bench/organisation_hierarchy.py [--repetitions 300] [--seed 7]

Uses DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/lfpse_bench_orgs. On PostgreSQL the
database is created when missing; its organisations tables are migrated and emptied first, so point
it only at a database kept for this benchmark. The tree is generated as ODS CSV files in a temporary
directory, in the shape of the real one: 7 regions, 42 ICBs, 100 sub-ICB locations, 220 trusts with
2,000 sites, 6,500 GP practices and 11,000 pharmacies (3% of practices and pharmacies closed).
"""

import argparse
import csv
import itertools
import os
import random
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lfpse_bench_orgs"

REGIONS = {
    "Y56": "NHS England London",
    "Y58": "NHS England South West",
    "Y59": "NHS England South East",
    "Y60": "NHS England Midlands",
    "Y61": "NHS England East of England",
    "Y62": "NHS England North West",
    "Y63": "NHS England North East and Yorkshire",
}
ICBS_PER_REGION = {"Y56": 5, "Y58": 7, "Y59": 6, "Y60": 11, "Y61": 6, "Y62": 3, "Y63": 4}
SUB_ICB_LOCATIONS = 100
TRUSTS = 220
SITES = 2_000
PRACTICES = 6_500
PHARMACIES = 11_000
CLOSED_SHARE = 0.03

TOWNS = [
    "Leeds", "Bradford", "Wakefield", "Halifax", "Huddersfield", "Harrogate", "York", "Hull", "Sheffield",
    "Doncaster", "Newcastle", "Gateshead", "Sunderland", "Durham", "Carlisle", "Manchester", "Salford",
    "Bolton", "Preston", "Lancaster", "Liverpool", "Chester", "Birmingham", "Coventry", "Leicester",
    "Nottingham", "Derby", "Lincoln", "Norwich", "Ipswich", "Cambridge", "Luton", "Oxford", "Reading",
    "Brighton", "Canterbury", "Southampton", "Portsmouth", "Bristol", "Exeter", "Plymouth", "Truro",
    "Camden", "Hackney", "Croydon", "Ealing", "Barnet", "Lewisham",
]  # fmt: skip
PRACTICE_SUFFIXES = ["Medical Centre", "Surgery", "Medical Practice", "Health Centre", "Family Practice"]
PHARMACY_NAMES = ["Boots", "Well Pharmacy", "Lloyds Pharmacy", "Cohens Chemist", "Rowlands Pharmacy"]
ALPHANUMERIC = string.ascii_uppercase + string.digits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=300, help="runs of each query (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the generated tree")
    args = parser.parse_args()

    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_postgres_database(database_url)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lfpse.settings.test"
    import django

    django.setup()
    run(args.repetitions, random.Random(args.seed))


def ensure_postgres_database(database_url: str) -> None:
    url = urlsplit(database_url)
    if not url.scheme.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = url.path.lstrip("/")
    maintenance = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


def run(repetitions: int, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.db import connection

    from organisations.models import Organisation, OrganisationKind
    from organisations.selectors import organisation_ancestors, organisations_below, organisations_search
    from organisations.services import ods_import

    call_command("migrate", "organisations", verbosity=0)
    empty_organisations(connection)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")

    with tempfile.TemporaryDirectory() as directory:
        paths = write_ods_files(Path(directory), rng)
        started = time.perf_counter()
        report = ods_import(paths)
        first = time.perf_counter() - started
        assert not report.warnings and not report.errors, (report.warnings[:3], report.errors[:3])
        started = time.perf_counter()
        again = ods_import(paths)
        second = time.perf_counter() - started
    print(f"ods_import of {report.rows_read:,} rows in {len(paths)} files: {first:.2f} s", end=" ")
    print(f"({report.created:,} created)")
    print(f"ods_import again, nothing changed: {second:.2f} s ({again.unchanged:,} unchanged)")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Organisation._meta.db_table}")

    by_kind = {
        kind: list(Organisation.objects.filter(kind=kind).values_list("id", flat=True))
        for kind in (OrganisationKind.REGION, OrganisationKind.ICB, OrganisationKind.TRUST_SITE)
    }
    practice_codes = list(
        Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE).values_list("ods_code", flat=True)
    )
    searches = [
        lambda: rng.choice(TOWNS),
        lambda: f"{rng.choice(TOWNS)} {rng.choice(PRACTICE_SUFFIXES).split()[0]}",
        lambda: rng.choice(practice_codes).lower(),
        lambda: rng.choice(TOWNS)[:4],
    ]

    def organisation(kind: str) -> Organisation:
        return Organisation.objects.get(pk=rng.choice(by_kind[kind]))

    cases: list[tuple[str, Callable[[], int]]] = [
        (
            "organisations_below(region)",
            lambda: len(
                organisations_below(organisation(OrganisationKind.REGION)).values_list("id", flat=True)
            ),
        ),
        (
            "organisations_below(ICB)",
            lambda: len(organisations_below(organisation(OrganisationKind.ICB)).values_list("id", flat=True)),
        ),
        (
            "organisation_ancestors(site)",
            lambda: len(organisation_ancestors(organisation(OrganisationKind.TRUST_SITE))),
        ),
        ("organisations_search(...)", lambda: len(organisations_search(rng.choice(searches)()))),
    ]
    print(f"\n{'query':<32}{'runs':>6}{'median ms':>11}{'p95 ms':>9}{'rows (mean)':>13}")
    for label, case in cases:
        timings, sizes = [], []
        for _ in range(10):
            case()  # warm the caches
        for _ in range(repetitions):
            started = time.perf_counter()
            sizes.append(case())
            timings.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(timings, n=100)[94]
        print(
            f"{label:<32}{repetitions:>6}{statistics.median(timings):>11.2f}{p95:>9.2f}"
            f"{statistics.mean(sizes):>13.0f}"
        )
    print("\nEach run includes fetching the starting organisation by primary key.")


def empty_organisations(connection) -> None:
    from organisations.models import Organisation

    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE also empties tables pointing at organisations (memberships) in this bench database.
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table name


def write_ods_files(directory: Path, rng: random.Random) -> list[Path]:
    """An England-shaped tree as the seven ODS files the importer knows by name."""
    icb_codes = ("Q" + "".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2))
    icbs = {region: [next(icb_codes) for _ in range(count)] for region, count in ICBS_PER_REGION.items()}
    region_of = {icb: region for region, codes in icbs.items() for icb in codes}
    all_icbs = list(region_of)

    sub_icb_count = spread(SUB_ICB_LOCATIONS, all_icbs, rng)
    sub_icbs = {}
    numbers = iter(range(SUB_ICB_LOCATIONS))
    for icb in all_icbs:
        for _ in range(sub_icb_count[icb]):
            sub_icbs[f"{next(numbers):02d}{rng.choice(string.ascii_uppercase)}"] = icb

    trust_codes = ("R" + "".join(pair) for pair in itertools.product(ALPHANUMERIC, repeat=2))
    trust_count = spread(TRUSTS, all_icbs, rng)
    trusts = {next(trust_codes): icb for icb in all_icbs for _ in range(trust_count[icb])}
    site_count = spread(SITES, list(trusts), rng)

    def town() -> str:
        return rng.choice(TOWNS)

    def postcode() -> str:
        area = rng.choice(["LS", "BD", "NE", "M", "B", "L", "S", "E", "N", "BS", "OX", "CB"])
        unit = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
        return f"{area}{rng.randint(1, 30)} {rng.randint(1, 9)}{unit}"

    def status() -> tuple[str, str]:
        return ("C", "20230331") if rng.random() < CLOSED_SHARE else ("A", "")

    files = {
        "eregion.csv": [ods_row(code, name) for code, name in REGIONS.items()],
        "eicb.csv": [
            ods_row(icb, f"NHS {town()} and District Integrated Care Board", region=region)
            for icb, region in region_of.items()
        ],
        "eccg.csv": [
            ods_row(code, f"NHS {town()} ICB - {code}", region=region_of[icb], icb=icb, postcode=postcode())
            for code, icb in sub_icbs.items()
        ],
        "etr.csv": [
            ods_row(code, f"{town()} Teaching Hospitals NHS Trust", region=region_of[icb], icb=icb, status="")
            for code, icb in trusts.items()
        ],
        "ets.csv": [
            ods_row(
                f"{trust}{''.join(pair)}",
                f"{town()} {rng.choice(['General', 'Community'])} Hospital",
                status="",
            )
            for trust in trusts
            for pair in itertools.islice(itertools.product(ALPHANUMERIC, repeat=2), 1, site_count[trust] + 1)
        ],
    }
    sub_icb_codes = list(sub_icbs)
    practices, pharmacies = [], []
    for number in range(PRACTICES):
        sub_icb = rng.choice(sub_icb_codes)
        state, closed = status()
        code = f"{string.ascii_uppercase[number % 16]}{80000 + number // 16:05d}"
        practices.append(
            ods_row(
                code,
                f"{town()} {rng.choice(PRACTICE_SUFFIXES)}",
                region=region_of[sub_icbs[sub_icb]],
                icb=sub_icbs[sub_icb],
                commissioner=sub_icb,
                postcode=postcode(),
                status=state,
                close_date=closed,
                prescribing_setting="4",
            )
        )
    pharmacy_codes = ("F" + "".join(chars) for chars in itertools.product(ALPHANUMERIC, repeat=4))
    for _ in range(PHARMACIES):
        sub_icb = rng.choice(sub_icb_codes)
        state, closed = status()
        pharmacies.append(
            ods_row(
                next(pharmacy_codes),
                f"{rng.choice(PHARMACY_NAMES)} {town()}",
                icb=sub_icbs[sub_icb],
                commissioner=sub_icb,
                postcode=postcode(),
                status=state,
                close_date=closed,
            )
        )
    files["epraccur.csv"] = practices
    files["epharmacy.csv"] = pharmacies

    paths = []
    for name, rows in files.items():
        path = directory / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
        paths.append(path)
    return paths


def spread(total: int, buckets: list[str], rng: random.Random) -> dict[str, int]:
    """`total` split over the buckets, at least one each, the rest at random."""
    counts = dict.fromkeys(buckets, 1)
    for bucket in rng.choices(buckets, k=total - len(buckets)):
        counts[bucket] += 1
    return counts


def ods_row(
    code: str,
    name: str,
    *,
    region: str = "",
    icb: str = "",
    commissioner: str = "",
    postcode: str = "",
    status: str = "A",
    close_date: str = "",
    prescribing_setting: str = "",
) -> list[str]:
    fields = [""] * 27
    fields[0], fields[1], fields[2], fields[3] = code, name, region, icb
    fields[9], fields[10], fields[11], fields[12] = postcode, "20130401", close_date, status
    fields[14], fields[25] = commissioner, prescribing_setting
    return fields


if __name__ == "__main__":
    main()
