"""API clients of four local risk management systems for the load run; their keys go to <dir>/api-keys.json.

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... .venv/bin/python bench/load/setup_accounts.py DIR

The demo accounts are already there (bench/events_load.py loads them, under the test settings' fast
password hasher): their password, Demo-Passw0rd, is set again here with the production hasher.
"""

import json
import sys
from pathlib import Path

import django

# One LRMS per trust, each allowed 1,500 requests a minute (25 a second): above the run's share, so
# a 429 means a burst, not a limit set too low.
TRUSTS = {"RR8": "RR801", "RAE": "RAE01", "RTD": "RTD01", "RTF": "RTF86"}
RATE_LIMIT = 1500


def main() -> None:
    django.setup()
    from accounts.models import User
    from events.fhir.clients import api_client_create
    from lfpse.demo import DEMO_PASSWORD, DEMO_USERS
    from organisations.models import Organisation

    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])

    admin = User.objects.get(email="super.admin@nhs.net")
    keys = {}
    for trust, site in TRUSTS.items():
        organisation = Organisation.objects.get(ods_code=trust)
        _, key = api_client_create(
            name=f"LRMS at {organisation.name}",
            organisations=[organisation],
            rate_limit=RATE_LIMIT,
            actor=admin,
        )
        keys[trust] = {"key": key, "site": site}
    target = Path(sys.argv[1]) / "api-keys.json"
    target.write_text(json.dumps(keys, indent=2))
    target.chmod(0o600)


if __name__ == "__main__":
    main()
