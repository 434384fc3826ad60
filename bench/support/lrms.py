"""What the per-request benches share: a database filled by bench/events_load.py and an LRMS API client
for Leeds Teaching Hospitals (RR8) whose key is kept in a state file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_events(events: int) -> None:
    """Fill the database named by DATABASE_URL with `events` generated records."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "events_load.py"), "--events", str(events)], check=True
    )


def rr8_api_key(name: str, rate_limit: int) -> str:
    """A new API client for RR8 made by the demo super admin; its key (Django must be set up)."""
    from accounts.models import User
    from events.fhir.clients import api_client_create
    from organisations.models import Organisation

    _, key = api_client_create(
        name=name,
        organisations=[Organisation.objects.get(ods_code="RR8")],
        rate_limit=rate_limit,
        actor=User.objects.get(email="super.admin@nhs.net"),
    )
    return key
