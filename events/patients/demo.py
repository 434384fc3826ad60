"""Demo patient reports (`make run`): sent through the same services as the public form, in each
sharing state, with the complaints contacts super admins keep and feedback to two of the reporters."""

import json
from pathlib import Path

from django.conf import settings

from accounts.models import User
from organisations.selectors import organisation_by_code

from .journey import patient_journey
from .models import PatientReport
from .services import (
    complaints_contact_save,
    patient_draft_create,
    patient_report_submit,
    recorder_update_give,
)

DEMO_REPORTS = Path(settings.BASE_DIR) / "fixtures" / "demo" / "patient_reports.json"
SUPER_ADMIN = "super.admin@nhs.net"
PATIENT_SAFETY_TEAM = "provider.organisational@nhs.net"


def demo_patient_reports_load() -> int:
    """Loads the demo's patient reports once (only while there are none); returns how many."""
    if PatientReport.objects.exists():
        return 0
    demo = json.loads(DEMO_REPORTS.read_text(encoding="utf-8"))
    super_admin = User.objects.get(email=SUPER_ADMIN)
    for contact in demo["complaints_contacts"]:
        values = {key: value for key, value in contact.items() if key != "organisation"}
        complaints_contact_save(
            actor=super_admin, organisation=organisation_by_code(contact["organisation"]), values=values
        )
    team = User.objects.get(email=PATIENT_SAFETY_TEAM)
    for example in demo["reports"]:
        draft = patient_draft_create()
        draft.answers = patient_journey(example["answers"], draft.question_set_version).prune()
        draft.save(update_fields=["answers", "updated_at"])
        sent = patient_report_submit(draft=draft)
        if feedback := example.get("feedback"):
            recorder_update_give(event=sent.revision.event, actor=team, **feedback)
    return len(demo["reports"])
