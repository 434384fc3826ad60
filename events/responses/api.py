"""The responses as FHIR-shaped `Task` resources for local risk management systems (docs/api.md).

Pure presenting and parsing, no database: `api_views.py` reads through the gate and writes through
the services.

- A response decision is a Task `response-<id>` whose `focus` is the AdverseEvent, `code` the
  response type (`psirf-response-type`), `businessStatus` its status (`psirf-response-status`),
  `authoredOn` when it was decided and `reason.text` the rationale (FHIR STU3, as the AdverseEvent API).
- A safety action is a Task `safety-action-<id>` with `code` `safety-action`, `partOf` its response,
  `description` the action, `restriction.period.end` the due date, `owner` the owner's email,
  `businessStatus` its status, and `input` (area for improvement, measure, strength) / `output`
  (evidence) by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import ActionStatus, ResponseKind, ResponseStatus, Strength

RESPONSE_TYPE_PATH = "/adverse-event/fhir/CodeSystem/psirf-response-type"
RESPONSE_STATUS_PATH = "/adverse-event/fhir/CodeSystem/psirf-response-status"
ACTION_STATUS_PATH = "/adverse-event/fhir/CodeSystem/safety-action-status"
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


def _coding(base: str, path: str, code: str, display: str) -> dict:
    return {"coding": [{"system": f"{base}{path}", "code": code, "display": display}]}


def response_task(response, event_id: str, base: str) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"{RESPONSE_PREFIX}{response.pk}",
        "status": TASK_STATUS[response.status],
        "intent": "order",
        "code": _coding(base, RESPONSE_TYPE_PATH, response.kind, response.get_kind_display()),
        "businessStatus": _coding(base, RESPONSE_STATUS_PATH, response.status, response.get_status_display()),
        "focus": {"reference": f"AdverseEvent/{event_id}"},
        "authoredOn": response.decided_at.isoformat(),
        "lastModified": response.updated_at.isoformat(),
        "reason": {"text": response.rationale},
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


def action_task(action, event_id: str | None, base: str) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": f"{ACTION_PREFIX}{action.pk}",
        "status": TASK_STATUS[action.status],
        "intent": "plan",
        "code": {"text": SAFETY_ACTION, "coding": [{"code": SAFETY_ACTION, "display": "Safety action"}]},
        "businessStatus": _coding(base, ACTION_STATUS_PATH, action.status, action.get_status_display()),
        "description": action.action,
        "owner": {"identifier": {"system": "email", "value": action.owner.email}},
        "restriction": {"period": {"end": action.due_date.isoformat()}},
        "lastModified": action.updated_at.isoformat(),
        "input": [
            {"type": {"text": "area-for-improvement"}, "valueString": action.area_for_improvement},
            {"type": {"text": "measure"}, "valueString": action.measure},
            {"type": {"text": "strength"}, "valueString": action.strength},
        ],
    }
    if event_id:
        task["focus"] = {"reference": f"AdverseEvent/{event_id}"}
    if action.response_id:
        task["partOf"] = [{"reference": f"Task/{RESPONSE_PREFIX}{action.response_id}"}]
    if action.evidence:
        task["output"] = [{"type": {"text": "evidence"}, "valueString": action.evidence}]
    return task


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
    for item in document.get(name) or []:
        if isinstance(item, dict) and (item.get("type") or {}).get("text") == key:
            value = item.get("valueString")
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
    "": "Task",
}
