"""The responses as FHIR-shaped `Task` resources for local risk management systems (docs/api.md).

Pure presenting and parsing, no database: `api_views.py` reads through the gate and writes through
the services.

- A response decision is a Task `response-<id>` whose `focus` is the AdverseEvent, `code` the
  response type (`psirf-response-type`), `businessStatus` its status (`psirf-response-status`),
  `authoredOn` when it was decided and `reason.text` the rationale (FHIR STU3, as the AdverseEvent API).
- Free text is shown redacted, as the AdverseEvent API shows it (`redacted`).
- A safety action is a Task `safety-action-<id>` with `code` `safety-action`, `partOf` its response,
  `description` the action, `restriction.period.end` the due date, `owner` the owner's email,
  `businessStatus` its status, and `input` (area for improvement, measure, strength) / `output`
  (evidence) by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.presenters import BEING_PROCESSED

from .free_text import AWAITING, Shown
from .models import ActionStatus, ResponseKind, ResponseStatus, SafetyAction, Strength

RESPONSE_TYPE_PATH = "/adverse-event/fhir/CodeSystem/psirf-response-type"
RESPONSE_STATUS_PATH = "/adverse-event/fhir/CodeSystem/psirf-response-status"
ACTION_STATUS_PATH = "/adverse-event/fhir/CodeSystem/safety-action-status"
ACTION_STRENGTH_PATH = "/adverse-event/fhir/CodeSystem/safety-action-strength"
TASK_TYPE_PATH = "/adverse-event/fhir/CodeSystem/psirf-task-type"
SAFETY_ACTION = "safety-action"
RESPONSE_PREFIX, ACTION_PREFIX = "response-", "safety-action-"
# FHIR Task.status for each of ours: what a generic FHIR client can read without our code systems.
TASK_STATUS = {
    ResponseStatus.CLOSED: "completed",
    ResponseStatus.REFERRED: "in-progress",
    ResponseStatus.IN_PROGRESS: "in-progress",
    ResponseStatus.AWAITING_SIGN_OFF: "on-hold",
    ResponseStatus.SIGNED_OFF: "completed",
    ResponseStatus.SHARED_WITH_ICB: "completed",
    ResponseStatus.COMPLETED: "completed",
    ActionStatus.NOT_STARTED: "ready",
    ActionStatus.IN_PROGRESS: "in-progress",
    ActionStatus.COMPLETED: "completed",
    ActionStatus.CANCELLED: "cancelled",
}


class TaskInvalid(ValueError):
    """What is wrong with a Task a client sent: (FHIRPath-ish expression, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def version_of(row) -> int:
    """A Task's version: the moment of its row's last write in microseconds (every write of a response
    or a safety action saves the row, so the number grows with each). Its ETag is W/"<version>"."""
    return round(row.updated_at.timestamp() * 1_000_000)


def task_id_of(row) -> str:
    return f"{ACTION_PREFIX if isinstance(row, SafetyAction) else RESPONSE_PREFIX}{row.pk}"


def _meta(row) -> dict:
    return {"versionId": str(version_of(row)), "lastUpdated": row.updated_at.isoformat()}


def redacted(row, name: str) -> str:
    """A free-text field as the API shows it: the pipeline's redacted text, or the AdverseEvent API's
    "being processed" sentence until the worker has run (free_text.py). Never the raw text, not even to
    the client that sent it, so nothing stored for an idempotent replay holds any."""
    shown = Shown(row, raw=False)[name]  # what every other non-reader sees, the pages' one rule
    return BEING_PROCESSED if shown is AWAITING else shown


ACTION_TEXTS = ("area_for_improvement", "action", "measure", "evidence")


def texts_sent_back_kept(values: dict[str, Any], action) -> dict[str, Any]:
    """An update's values with each free text the client sent back as the API showed it (the redacted
    text, or the "being processed" sentence) replaced by the stored text: a client that reads a Task,
    changes its status and puts it back changes no text, and never writes a placeholder over it."""
    kept = dict(values)
    for name in ACTION_TEXTS:
        if name in kept and kept[name] and kept[name] in (redacted(action, name), BEING_PROCESSED):
            kept[name] = getattr(action, name)
    return kept


def _coding(base: str, path: str, code: str, display: str) -> dict:
    return {"coding": [{"system": f"{base}{path}", "code": code, "display": display}]}


def response_task(response, event_id: str, base: str) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"{RESPONSE_PREFIX}{response.pk}",
        "meta": _meta(response),
        "status": TASK_STATUS[response.status],
        "intent": "order",
        "code": _coding(base, RESPONSE_TYPE_PATH, response.kind, response.get_kind_display()),
        "businessStatus": _coding(base, RESPONSE_STATUS_PATH, response.status, response.get_status_display()),
        "focus": {"reference": f"AdverseEvent/{event_id}"},
        "authoredOn": response.decided_at.isoformat(),
        "lastModified": response.updated_at.isoformat(),
        "reason": {"text": redacted(response, "rationale")},
    }
    if response.referral_body:
        task["performerType"] = [{"text": response.referral_body}]
    if response.requirements:
        task["note"] = [{"text": f"National requirement: {code}"} for code in response.requirements]
    if response.signed_off_at:
        task["executionPeriod"] = {
            "start": response.decided_at.isoformat(),
            "end": response.signed_off_at.isoformat(),
        }
    return task


def client_note(document: dict, response) -> str:
    """The note a client sends with a status (what the referral body has done): the first `Task.note`
    that is not one the Task itself shows (its national requirements), so a Task put back as read
    carries no note of its own."""
    shown = {f"National requirement: {code}" for code in response.requirements or ()}
    notes = document.get("note")
    for note in notes if isinstance(notes, list) else ():
        text = note.get("text") if isinstance(note, dict) else None
        if isinstance(text, str) and text.strip() and text.strip() not in shown:
            return text
    return ""


def action_task(action, event_id: str | None, base: str) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"{ACTION_PREFIX}{action.pk}",
        "meta": _meta(action),
        "status": TASK_STATUS[action.status],
        "intent": "plan",
        "code": {"text": SAFETY_ACTION} | _coding(base, TASK_TYPE_PATH, SAFETY_ACTION, "Safety action"),
        "businessStatus": _coding(base, ACTION_STATUS_PATH, action.status, action.get_status_display()),
        "description": redacted(action, "action"),
        # The owner's email as the identifier's value; no `system`, as no URL names "email addresses".
        "owner": {"identifier": {"value": action.owner.email}, "display": action.owner.email},
        "restriction": {"period": {"end": action.due_date.isoformat()}},
        "lastModified": action.updated_at.isoformat(),
        "input": [
            {
                "type": {"text": "area-for-improvement"},
                "valueString": redacted(action, "area_for_improvement"),
            },
            {"type": {"text": "measure"}, "valueString": redacted(action, "measure")},
            {
                "type": {"text": "strength"},
                "valueCodeableConcept": _coding(
                    base, ACTION_STRENGTH_PATH, action.strength, action.get_strength_display()
                ),
            },
        ],
    }
    if event_id:
        task["focus"] = {"reference": f"AdverseEvent/{event_id}"}
    if action.response_id:
        task["partOf"] = [{"reference": f"Task/{RESPONSE_PREFIX}{action.response_id}"}]
    if action.evidence:
        task["output"] = [{"type": {"text": "evidence"}, "valueString": redacted(action, "evidence")}]
    return task


# -- the code systems the Tasks name, served at their URLs -----------------------------------------------
def _code_systems() -> dict[str, tuple[str, str, list[tuple[str, str]]]]:
    """name -> (title, description, [(code, display)]), served at /adverse-event/fhir/CodeSystem/<name>."""
    return {
        path.rsplit("/", 1)[1]: (title, description, [(str(code), str(label)) for code, label in choices])
        for path, title, description, choices in (
            (
                RESPONSE_TYPE_PATH,
                "PSIRF response type",
                "The learning response decided for a patient safety incident (Task.code of a decision)",
                ResponseKind.choices,
            ),
            (
                RESPONSE_STATUS_PATH,
                "PSIRF response status",
                "Where a learning response is in its lifecycle (Task.businessStatus of a decision)",
                ResponseStatus.choices,
            ),
            (
                ACTION_STATUS_PATH,
                "Safety action status",
                "Where a safety action is (Task.businessStatus of a safety action)",
                ActionStatus.choices,
            ),
            (
                ACTION_STRENGTH_PATH,
                "Safety action strength",
                "The hierarchy of intervention effectiveness (Task.input strength of a safety action)",
                Strength.choices,
            ),
            (
                TASK_TYPE_PATH,
                "PSIRF task type",
                "A Task that is not a response decision (Task.code of a safety action)",
                [(SAFETY_ACTION, "Safety action")],
            ),
        )
    }


CODE_SYSTEM_NAMES = tuple(path.rsplit("/", 1)[1] for path in (
    RESPONSE_TYPE_PATH, RESPONSE_STATUS_PATH, ACTION_STATUS_PATH, ACTION_STRENGTH_PATH, TASK_TYPE_PATH
))  # fmt: skip


def code_system(name: str, base: str) -> dict | None:
    """The CodeSystem resource at `{base}/adverse-event/fhir/CodeSystem/{name}`, or None."""
    found = _code_systems().get(name)
    if found is None:
        return None
    title, description, concepts = found
    return {
        "resourceType": "CodeSystem",
        "id": name,
        "url": f"{base}/adverse-event/fhir/CodeSystem/{name}",
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": title,
        "status": "active",
        "description": description,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts],
    }


def task_capability(base: str) -> dict:
    """Task's entry in the CapabilityStatement (/adverse-event/fhir/metadata): what a client may do."""
    return {
        "type": "Task",
        "documentation": "PSIRF response decisions (code: a psirf-response-type) and safety actions "
        "(code: safety-action) of records the key sent; create with Idempotency-Key, update with "
        'If-Match: W/"<meta.versionId>"',
        "interaction": [{"code": code} for code in ("create", "update", "read", "search-type")],
        "versioning": "versioned-update",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": False,
        "conditionalUpdate": False,
        "searchParam": [
            {
                "name": "focus",
                "type": "reference",
                "documentation": "AdverseEvent/<id>: the record's decisions and safety actions (required)",
            }
        ],
    }


def bundle(tasks: list[dict], base: str) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(tasks),
        "entry": [
            {"fullUrl": f"{base}/adverse-event/fhir/Task/{task['id']}", "resource": task} for task in tasks
        ],
    }


# -- reading what a client sends ------------------------------------------------------------------------
def _code(document: dict, name: str) -> str | None:
    value = document.get(name)
    if isinstance(value, dict):
        codings = value.get("coding")
        if isinstance(codings, list) and codings and isinstance(codings[0], dict):
            code = codings[0].get("code")
            return code if isinstance(code, str) else None
        text = value.get("text")
        return text if isinstance(text, str) else None
    return None


def reference_id(value: Any, resource_type: str) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    reference = value.get("reference") if isinstance(value, dict) else None
    prefix = f"{resource_type}/"
    return reference[len(prefix) :] if isinstance(reference, str) and reference.startswith(prefix) else None


def _named(document: dict, name: str, key: str) -> str:
    """The input or output named `key`: its valueString, or the code of its valueCodeableConcept."""
    items = document.get(name)
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("type"), dict) and item["type"].get("text") == key:
            value = item.get("valueString")
            if value is None:
                value = _code(item, "valueCodeableConcept")
            return value if isinstance(value, str) else ""
    return ""


def task_kind(document: dict) -> str:
    """ "decision" or "safety-action" (TaskInvalid otherwise)."""
    if document.get("resourceType") != "Task":
        raise TaskInvalid([("resourceType", "Send a Task resource")])
    code = _code(document, "code")
    if code == SAFETY_ACTION:
        return SAFETY_ACTION
    if code in ResponseKind.values:
        return "decision"
    raise TaskInvalid(
        [
            (
                "Task.code",
                f"Task.code must be a response type ({', '.join(ResponseKind.values)}) or {SAFETY_ACTION}",
            )
        ]
    )


def decision_from(document: dict) -> dict[str, Any]:
    event_id = reference_id(document.get("focus"), "AdverseEvent")
    problems = []
    if not event_id:
        problems.append(("Task.focus", "Task.focus must reference the AdverseEvent the response is for"))
    reason = (document.get("reason") or {}).get("text") if isinstance(document.get("reason"), dict) else None
    if problems:
        raise TaskInvalid(problems)
    performer = document.get("performerType")
    referral_body = ""
    if isinstance(performer, list) and performer and isinstance(performer[0], dict):
        referral_body = performer[0].get("text") or ""
    return {
        "event_id": event_id,
        "kind": _code(document, "code"),
        "rationale": reason or "",
        "referral_body": referral_body,
    }


def action_values_from(document: dict) -> dict[str, Any]:
    """The safety action's values as the service reads them, and where it links."""
    problems = []
    due_text = ((document.get("restriction") or {}).get("period") or {}).get("end")
    due = None
    if due_text is not None:
        try:
            due = dt.date.fromisoformat(str(due_text)[:10])
        except ValueError:
            problems.append(("Task.restriction.period.end", "The due date must be a date, YYYY-MM-DD"))
    owner = ((document.get("owner") or {}).get("identifier") or {}).get("value") or ""
    strength = _named(document, "input", "strength")
    if strength and strength not in Strength.values:
        problems.append(("Task.input", f"strength must be one of {', '.join(Strength.values)}"))
    status = _code(document, "businessStatus") or ActionStatus.NOT_STARTED
    if problems:
        raise TaskInvalid(problems)
    return {
        "values": {
            "area_for_improvement": _named(document, "input", "area-for-improvement"),
            "action": document.get("description") or "",
            "owner_email": owner,
            "due_date": due,
            "measure": _named(document, "input", "measure"),
            "strength": strength,
            "status": status,
            "evidence": _named(document, "output", "evidence"),
        },
        "event_id": reference_id(document.get("focus"), "AdverseEvent"),
        "response_id": (reference_id(document.get("partOf"), "Task") or "").removeprefix(RESPONSE_PREFIX)
        or None,
    }


# Which field of ours each service message is about, as the client names it.
EXPRESSIONS = {
    "kind": "Task.code",
    "rationale": "Task.reason.text",
    "referral_body": "Task.performerType",
    "linked": "Task.focus",
    "lead": "Task.owner",
    "area_for_improvement": "Task.input[area-for-improvement]",
    "action": "Task.description",
    "owner": "Task.owner",
    "due_date": "Task.restriction.period.end",
    "measure": "Task.input[measure]",
    "strength": "Task.input[strength]",
    "status": "Task.businessStatus",
    "evidence": "Task.output[evidence]",
    "note": "Task.note",
    "": "Task",
}
