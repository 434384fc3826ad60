"""Problems with a request, and the OperationOutcome that reports them.

Every problem is an `Issue`: a severity, a FHIR issue type, one of our own codes (the list a client can
rely on, `IssueCode`), a human message and where in the submitted resource it is, as a FHIRPath-like
`expression` over the JSON that was sent (`AdverseEvent.contained[0].extension[1].extension[3]`),
or, for something missing, where it should have been
(`AdverseEvent.contained[0].extension[1].extension('PhysicalHarm')`).

Vendors read `issue[0].severity`, `issue[0].details.coding[0].code`, `issue[0].details.text` and
`issue[0].diagnostics` (docs/spec/taxonomy.md §1.4), so errors come first and each of those is always set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

ISSUE_SYSTEM_PATH = "/adverse-event/fhir/CodeSystem/submission-issue"


class IssueCode(StrEnum):
    """Our issue codes, each with the FHIR issue type (STU3 issue-type) it belongs to."""

    INVALID_JSON = "invalid-json"
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type"
    TOO_LARGE = "too-large"
    NOT_AN_ADVERSE_EVENT = "not-an-adverse-event"
    UNKNOWN_PROFILE = "unknown-profile"
    UNKNOWN_ELEMENT = "unknown-element"
    WRONG_PLACE = "wrong-place"
    WRONG_TYPE = "wrong-type"
    REPEATED = "repeated"
    UNKNOWN_CODE = "unknown-code"
    INVALID_VALUE = "invalid-value"
    REQUIRED = "required"
    NOT_APPLICABLE = "not-applicable"
    UNKNOWN_ORGANISATION = "unknown-organisation"
    ORGANISATION_NOT_ALLOWED = "organisation-not-allowed"
    ORGANISATION_UNCLEAR = "organisation-unclear"
    ID_MISMATCH = "id-mismatch"
    UNAUTHORISED = "unauthorised"
    NOT_FOUND = "not-found"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    VERSION_CONFLICT = "version-conflict"
    IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused"
    INVALID_HEADER = "invalid-header"
    INVALID_SEARCH = "invalid-search"
    RATE_LIMITED = "rate-limited"
    UNAVAILABLE = "unavailable"
    IGNORED = "ignored"
    MOVED = "moved"
    POSSIBLE_DUPLICATE = "possible-duplicate"


ISSUE_TYPES: dict[IssueCode, str] = {
    IssueCode.INVALID_JSON: "structure",
    IssueCode.UNSUPPORTED_MEDIA_TYPE: "not-supported",
    IssueCode.TOO_LARGE: "too-long",
    IssueCode.NOT_AN_ADVERSE_EVENT: "structure",
    IssueCode.UNKNOWN_PROFILE: "not-supported",
    IssueCode.UNKNOWN_ELEMENT: "structure",
    IssueCode.WRONG_PLACE: "structure",
    IssueCode.WRONG_TYPE: "structure",
    IssueCode.REPEATED: "structure",
    IssueCode.UNKNOWN_CODE: "code-invalid",
    IssueCode.INVALID_VALUE: "value",
    IssueCode.REQUIRED: "required",
    IssueCode.NOT_APPLICABLE: "business-rule",
    IssueCode.UNKNOWN_ORGANISATION: "code-invalid",
    IssueCode.ORGANISATION_NOT_ALLOWED: "forbidden",
    IssueCode.ORGANISATION_UNCLEAR: "business-rule",
    IssueCode.ID_MISMATCH: "invalid",
    IssueCode.UNAUTHORISED: "login",
    IssueCode.NOT_FOUND: "not-found",
    IssueCode.METHOD_NOT_ALLOWED: "not-supported",
    IssueCode.VERSION_CONFLICT: "conflict",
    IssueCode.IDEMPOTENCY_KEY_REUSED: "conflict",
    IssueCode.INVALID_HEADER: "invalid",
    IssueCode.INVALID_SEARCH: "invalid",
    IssueCode.RATE_LIMITED: "throttled",
    IssueCode.UNAVAILABLE: "transient",
    IssueCode.IGNORED: "informational",
    IssueCode.MOVED: "informational",
    IssueCode.POSSIBLE_DUPLICATE: "duplicate",
}

DESCRIPTIONS: dict[IssueCode, str] = {
    IssueCode.INVALID_JSON: "The body is not a JSON object (or has duplicate keys, or is not UTF-8)",
    IssueCode.UNSUPPORTED_MEDIA_TYPE: "Content-Type must be application/fhir+json or application/json",
    IssueCode.TOO_LARGE: "The body is larger than this server accepts",
    IssueCode.NOT_AN_ADVERSE_EVENT: "The resourceType must be AdverseEvent",
    IssueCode.UNKNOWN_PROFILE: "meta.profile or an extension names a taxonomy version this server lacks",
    IssueCode.UNKNOWN_ELEMENT: "An element or sub-extension this profile does not define",
    IssueCode.WRONG_PLACE: "A taxonomy property sent in a different extension or resource than its own",
    IssueCode.WRONG_TYPE: "A value of the wrong FHIR type (valueString where valueCode is expected ...)",
    IssueCode.REPEATED: "A single-answer property sent more than once",
    IssueCode.UNKNOWN_CODE: "A code that is not in the property's value set",
    IssueCode.INVALID_VALUE: "A value the question set does not accept (too long, in the future ...)",
    IssueCode.REQUIRED: "A required answer is missing",
    IssueCode.NOT_APPLICABLE: "An answer to a question that is not asked, given the other answers",
    IssueCode.UNKNOWN_ORGANISATION: "An ODS code of no organisation known to this service",
    IssueCode.ORGANISATION_NOT_ALLOWED: "The API key may not submit for this organisation",
    IssueCode.ORGANISATION_UNCLEAR: "The organisation the submission is for could not be told",
    IssueCode.ID_MISMATCH: "The id in the body differs from the id in the URL",
    IssueCode.UNAUTHORISED: "No API key, or an unknown or revoked one",
    IssueCode.NOT_FOUND: "No such resource (or not one this API key may see)",
    IssueCode.METHOD_NOT_ALLOWED: "This HTTP method is not supported here",
    IssueCode.VERSION_CONFLICT: "If-Match names a version that is no longer the current one",
    IssueCode.IDEMPOTENCY_KEY_REUSED: "The Idempotency-Key was already used for a different request",
    IssueCode.INVALID_HEADER: "A request header has a value this server cannot use",
    IssueCode.INVALID_SEARCH: "A search parameter this server does not support, or a malformed value",
    IssueCode.RATE_LIMITED: "Too many requests with this API key: wait for Retry-After seconds",
    IssueCode.UNAVAILABLE: "The service is busy or a part of it is down: send the same request again, with "
    "the same Idempotency-Key so that it is stored once, after Retry-After seconds",
    IssueCode.IGNORED: "Something that was sent but is not stored (a warning, not an error)",
    IssueCode.MOVED: "A property read from the extension this service accepted it in before, not from "
    "its national place (a warning: it is stored)",
    IssueCode.POSSIBLE_DUPLICATE: "The record may describe the same event as one already recorded for the "
    "organisation within 48 hours (a warning: it is stored, and the organisation checks it)",
}


@dataclass(frozen=True)
class Issue:
    code: IssueCode
    text: str  # what is wrong, for a person: details.text
    expression: str | None = None  # where: a FHIRPath-like expression over the submitted JSON
    severity: str = "error"  # fatal | error | warning | information

    @property
    def is_error(self) -> bool:
        return self.severity in ("error", "fatal")


def error(code: IssueCode, text: str, expression: str | None = None) -> Issue:
    return Issue(code, text, expression)


def warning(code: IssueCode, text: str, expression: str | None = None) -> Issue:
    return Issue(code, text, expression, severity="warning")


def operation_outcome(issues: Iterable[Issue], *, base: str) -> dict:
    """An STU3 OperationOutcome, errors first (a vendor reads issue[0])."""
    ordered = sorted(issues, key=lambda issue: 0 if issue.is_error else 1)
    if not ordered:
        ordered = [Issue(IssueCode.IGNORED, "All OK", severity="information")]
    system = f"{base}{ISSUE_SYSTEM_PATH}"
    return {
        "resourceType": "OperationOutcome",
        "issue": [_issue_json(issue, system) for issue in ordered],
    }


def _issue_json(issue: Issue, system: str) -> dict:
    entry = {
        "severity": issue.severity,
        "code": ISSUE_TYPES[issue.code],
        "details": {
            "coding": [{"system": system, "code": issue.code.value, "display": DESCRIPTIONS[issue.code]}],
            "text": issue.text,
        },
        "diagnostics": f"{issue.code.value}: {issue.text}"
        + (f" at {issue.expression}" if issue.expression else ""),
    }
    if issue.expression:
        entry["expression"] = [issue.expression]
    return entry


def issue_code_system(*, base: str) -> dict:
    """The CodeSystem of our issue codes, served so that a client can look any of them up."""
    return {
        "resourceType": "CodeSystem",
        "id": "submission-issue",
        "url": f"{base}{ISSUE_SYSTEM_PATH}",
        "name": "SubmissionIssue",
        "title": "Problems with an AdverseEvent submission",
        "status": "active",
        "content": "complete",
        "concept": [
            {
                "code": code.value,
                "display": DESCRIPTIONS[code],
                "definition": f"FHIR issue type: {ISSUE_TYPES[code]}",
            }
            for code in IssueCode
        ],
    }


class FhirError(Exception):
    """A request that cannot be served: the view answers `status` with an OperationOutcome."""

    def __init__(self, status: int, issues: list[Issue], headers: dict[str, str] | None = None):
        super().__init__("; ".join(issue.text for issue in issues))
        self.status = status
        self.issues = issues
        self.headers = headers or {}

    @classmethod
    def single(cls, status: int, code: IssueCode, text: str, expression: str | None = None, **headers):
        return cls(status, [error(code, text, expression)], headers)
