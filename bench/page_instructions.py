"""Benchmark: CPU instructions per request of the questionnaire pages, counted by valgrind's callgrind.

    .venv/bin/python bench/page_instructions.py [--requests 100] [--compare /path/to/other/checkout]

Wall-clock timings on this shared 2-core machine move by 5-10 % from one run to the next, which hides a
regression of that size. Instruction counts do not: callgrind counts the same total for the same code,
inputs and environment whatever else the machine is doing. Each page is requested N times in one
process and once with N=0 (start-up only); the difference divided by N is the cost of one request.
With --compare, the same is measured for another checkout of the project (a worktree of an earlier
commit, say) on its own copy of the data, and the ratio is printed. Uses SQLite files in a temporary
folder, so PostgreSQL is not needed; the page logic and templates are what is measured.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "question page GET": "DrugInvolvementFactors/",
    "93-option page GET": "DeviceType/",
    "task list GET": "",
    "review page GET": "review/",
}

PREPARE = """
import os, sys
root, db = sys.argv[1], sys.argv[2]
os.chdir(root); sys.path.insert(0, root)
os.environ.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="lfpse.settings.test")
os.environ.pop("REDIS_URL", None)
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from accounts.models import Membership, User
from events.services import draft_create, draft_record_page
from organisations.models import Organisation
organisation = Organisation.objects.create(
    ods_code="RR8", name="Leeds Teaching Hospitals NHS Trust", kind="nhs_trust"
)
user = User.objects.create(email="bench@nhs.net")
Membership.objects.create(user=user, organisation=organisation)
draft = draft_create(actor=user, anonymous=False)
for page_id, values in [
    ("EventType", {"EventType": "1"}), ("IncidentOccurredToday", {"IncidentOccurredToday": "n"}),
    ("EventDate", {"EventDate": "2026-11-01"}),
    ("Description", {"Description": "A patient was given twice the prescribed dose of morphine."}),
    ("InvolvedAgents", {"InvolvedAgents": ["4", "3"]}),
]:
    draft_record_page(draft=draft, page_id=page_id, values=values)
"""

REQUEST = """
import os, sys
root, db, page, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.chdir(root); sys.path.insert(0, root)
os.environ.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="lfpse.settings.test")
os.environ.pop("REDIS_URL", None)
import django; django.setup()
from django.test.utils import setup_test_environment; setup_test_environment()
from django.conf import settings; settings.ALLOWED_HOSTS = ["*"]
from django.test import Client
from accounts.models import User
from events.models import Draft
client = Client(); client.force_login(User.objects.get(email="bench@nhs.net"))
url = f"/record/{Draft.objects.get().key}/{page}"
for _ in range(5):
    assert client.get(url).status_code == 200, url
for _ in range(count):
    client.get(url)
"""


def instructions(python: str, script: Path, *args: str) -> int:
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", python, str(script), *args],
            capture_output=True,
            text=True,
            check=True,
        )
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    raise RuntimeError(result.stderr[-2000:])


def per_request(
    python: str, folder: Path, root: Path, requests: int, pages: dict[str, str]
) -> dict[str, float]:
    database = folder / f"{root.name}.sqlite3"
    prepare, request = folder / "prepare.py", folder / "request.py"
    prepare.write_text(PREPARE)
    request.write_text(REQUEST)
    subprocess.run([python, str(prepare), str(root), str(database)], check=True)
    costs = {}
    for number, (name, page) in enumerate(pages.items(), 1):
        print(f"  [{number}/{len(pages)}] {root}: {name}", file=sys.stderr, flush=True)
        start_up = instructions(python, request, str(root), str(database), page, "0")
        total = instructions(python, request, str(root), str(database), page, str(requests))
        costs[name] = (total - start_up) / requests
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--compare", type=Path, help="another checkout of the project, measured the same way")
    parser.add_argument("--pages", nargs="*", choices=sorted(PAGES), help="only these pages (default: all)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed (apt-get install valgrind)")
    python = sys.executable
    pages = {name: PAGES[name] for name in args.pages} if args.pages else PAGES
    with tempfile.TemporaryDirectory() as folder:
        ours = per_request(python, Path(folder), ROOT, args.requests, pages)
        other = {}
        if args.compare:
            other = per_request(python, Path(folder), args.compare.resolve(), args.requests, pages)
    print(f"Instructions per request (callgrind, {args.requests} requests, start-up subtracted)")
    header = f"{'page':<22}{'this checkout':>16}"
    if other:
        header += f"{'compared':>16}{'ratio':>8}"
    print(header)
    for name, cost in ours.items():
        line = f"{name:<22}{cost / 1e6:>14.2f} M"
        if other:
            line += f"{other[name] / 1e6:>14.2f} M{cost / other[name]:>8.3f}"
        print(line)


if __name__ == "__main__":
    main()
