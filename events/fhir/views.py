"""The FHIR endpoints: the national service's paths and shapes, JSON in and out.

Thin views: `http.py` reads requests and writes responses, `validation.py` judges submissions,
`services.py` writes, `selectors.py` reads what the client may see, `profiles.py` publishes the
taxonomy. Every failure is an OperationOutcome with a 4xx status (see outcome.IssueCode).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from events.extensions import submission_warnings
from events.models import EventRevision
from events.references import reference_parse
from events.selectors import latest_revision, latest_revisions_of, revision_numbered
from events.visibility import event_visible_to
from organisations.models import Organisation
from organisations.selectors import organisation_by_code

from . import profiles
from .auth import client_may_submit_for
from .http import canonical_base, fhir_endpoint, fhir_response, read_json_body
from .mapping import ORGANISATION_OTHER
from .outcome import FhirError, IssueCode, error, issue_code_system, operation_outcome, warning
from .preconditions import etag, idempotency_of, if_match_of, key_reused, replay_of, version_conflict
from .presenting import event_resource, resource_location, search_bundle
from .selectors import SearchError, client_only_organisation, search_page
from .services import (
    ApiResult,
    IdempotencyKeyReused,
    VersionConflict,
    event_create_from_api,
    event_replace_from_api,
    submission_accepted,
    submission_rejected,
)
from .validation import Submission, SubmissionInvalid, submission_validate

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_SEARCH_PARAMETERS = frozenset({"_lastUpdated", "_count", "_offset", "_format", "_sort"})


# -- AdverseEvent ----------------------------------------------------------------------------------------
@fhir_endpoint(methods=("GET", "POST"))
def adverse_events(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _create(request)
    return _search(request)


@fhir_endpoint(methods=("GET", "PUT"))
def adverse_event(request: HttpRequest, resource_id: str) -> HttpResponse:
    event = event_visible_to(request.api_client, resource_id)
    if event is None:
        raise _not_found(f"AdverseEvent/{resource_id}")
    if request.method == "PUT":
        return _replace(request, event)
    revision = latest_revision(event)
    return _resource_response(request, event, revision)


@fhir_endpoint(methods=("GET",))
def adverse_event_version(request: HttpRequest, resource_id: str, version_id: str) -> HttpResponse:
    event = event_visible_to(request.api_client, resource_id)
    revision = (
        revision_numbered(event, int(version_id))
        if event is not None and version_id.isdecimal() and len(version_id) < 10
        else None
    )
    if revision is None:
        raise _not_found(f"AdverseEvent/{resource_id}/_history/{version_id}")
    return _resource_response(request, event, revision)


def _create(request: HttpRequest) -> HttpResponse:
    return _counted(request, _create_submission)


def _replace(request: HttpRequest, event) -> HttpResponse:
    return _counted(request, _replace_submission, event)


def _counted(request: HttpRequest, submit, *args) -> HttpResponse:
    """A POST or PUT, its outcome counted for the organisation's data-quality page: accepted, or
    rejected with the first error's code. An idempotent replay is not a new submission."""
    request.fhir_document = None
    try:
        response, organisation = submit(request, *args)
    except FhirError as failure:
        reason = next((str(issue.code) for issue in failure.issues if issue.is_error), "")
        submission_rejected(client=request.api_client, document=request.fhir_document, reason=reason)
        raise
    if organisation is not None:
        submission_accepted(organisation=organisation)
    return response


def _create_submission(request: HttpRequest) -> tuple[HttpResponse, Organisation | None]:
    client = request.api_client
    base = canonical_base(request)
    document = request.fhir_document = read_json_body(request)
    idempotency = idempotency_of(request, document)
    replay = replay_of(client, idempotency)
    if replay is not None:
        return _result_response(request, replay), None
    submission = _validated(document, base)
    if submission.reference_number:
        submission.warnings.append(
            warning(
                IssueCode.IGNORED, "ReferenceNumber is assigned by this service; the one sent was ignored"
            )
        )
    organisation = _submitting_organisation(client, submission)
    try:
        result = event_create_from_api(
            client=client,
            submission=submission,
            organisation=organisation,
            base=base,
            idempotency=idempotency,
        )
    except IdempotencyKeyReused:
        raise key_reused() from None
    if result.revision is not None and not result.replayed:
        submission.warnings += [
            warning(IssueCode.POSSIBLE_DUPLICATE, text) for text in submission_warnings(result.revision)
        ]
    return _result_response(request, result, submission), (None if result.replayed else organisation)


def _replace_submission(request: HttpRequest, event) -> tuple[HttpResponse, Organisation | None]:
    client = request.api_client
    base = canonical_base(request)
    if_match = if_match_of(request)
    before = latest_revision(event).number
    if if_match is not None and if_match != before:
        raise version_conflict(before)
    document = request.fhir_document = read_json_body(request)
    if document.get("resourceType") == "AdverseEvent" and document.get("id") != str(event.uuid):
        raise FhirError.single(
            400,
            IssueCode.ID_MISMATCH,
            f"The body's id must be {event.uuid}, the id in the URL",
            "AdverseEvent.id",
        )
    submission = _validated(document, base)
    sent_reference = submission.reference_number
    if sent_reference and reference_parse(sent_reference) != event.reference:
        submission.warnings.append(
            warning(
                IssueCode.IGNORED,
                f"ReferenceNumber {sent_reference} is not this record's ({event.display_reference}); "
                "it was ignored",
            )
        )
    organisation = _submitting_organisation(client, submission)
    try:
        result = event_replace_from_api(
            client=client,
            event=event,
            submission=submission,
            organisation=organisation,
            if_match=if_match,
            base=base,
        )
    except VersionConflict as conflict:
        raise version_conflict(conflict.current) from None
    if result.revision is not None and result.revision.number != before:  # a new revision, as on create
        submission.warnings += [
            warning(IssueCode.POSSIBLE_DUPLICATE, text) for text in submission_warnings(result.revision)
        ]
    return _result_response(request, result, submission), organisation


def _search(request: HttpRequest) -> HttpResponse:
    client = request.api_client
    base = canonical_base(request)
    unknown = sorted(set(request.GET) - _SEARCH_PARAMETERS)
    if unknown:
        raise _search_error(
            f"Unsupported search parameters: {', '.join(unknown)}; use _lastUpdated and _count"
        )
    if request.GET.get("_sort", "_lastUpdated") != "_lastUpdated":
        raise _search_error("Results can only be sorted by _lastUpdated")
    count = _whole_number(request.GET.get("_count"), DEFAULT_PAGE_SIZE, "_count")
    count = min(max(count, 1), MAX_PAGE_SIZE)
    offset = _whole_number(request.GET.get("_offset"), 0, "_offset")
    try:
        total, page = search_page(client, request.GET.getlist("_lastUpdated"), offset=offset, count=count)
    except SearchError as problem:
        raise _search_error(str(problem)) from None
    revisions = latest_revisions_of(page)
    entries = [event_resource(event, revisions[event.pk], event.api_submission, base=base) for event in page]
    query = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key != "_offset"]
    self_url = f"{base}{request.path}?" + urlencode([*query, ("_offset", offset)])
    next_url = f"{base}{request.path}?" + urlencode([*query, ("_offset", offset + count)])
    bundle = search_bundle(
        base=base,
        self_url=self_url,
        next_url=next_url if offset + count < total else None,
        total=total,
        entries=entries,
    )
    return fhir_response(request, bundle)


# -- helpers ---------------------------------------------------------------------------------------------
def _validated(document: dict, base: str) -> Submission:
    if document.get("resourceType") != "AdverseEvent":
        raise FhirError.single(
            400,
            IssueCode.NOT_AN_ADVERSE_EVENT,
            "Send one AdverseEvent resource (not a Bundle)",
            "resourceType",
        )
    try:
        return submission_validate(document, today=timezone.localdate(), base=base)
    except SubmissionInvalid as invalid:
        raise FhirError(invalid.status, invalid.issues) from None


def _submitting_organisation(client, submission: Submission) -> Organisation:
    """Who the event is submitted for: the ReporterOrganisation, else the organisation where it
    happened when it is one of the client's, else the client's only organisation."""
    answers = submission.answers
    reporter = answers.get("ReporterOrganisation")
    if reporter and reporter != ORGANISATION_OTHER:
        organisation = organisation_by_code(reporter)
        if not client_may_submit_for(client, organisation):
            raise FhirError(
                403,
                [
                    error(
                        IssueCode.ORGANISATION_NOT_ALLOWED,
                        f"This API key may not submit for {organisation.ods_code}",
                        submission.organisation_codes.get("ReporterOrganisation"),
                    )
                ],
            )
        return organisation
    location = answers.get("Organisation")
    if location and location != ORGANISATION_OTHER:
        organisation = organisation_by_code(location)
        if client_may_submit_for(client, organisation):
            return organisation
    only = client_only_organisation(client)
    if only is not None:
        return only
    raise FhirError.single(
        422,
        IssueCode.ORGANISATION_UNCLEAR,
        "This API key may submit for several organisations: say which in ReporterOrganisation "
        "(practitioner-details)",
        "AdverseEvent.contained.ofType(Practitioner)",
    )


def _whole_number(value: str | None, default: int, name: str) -> int:
    if value is None:
        return default
    if not value.isdecimal() or len(value) > 6:
        raise _search_error(f"{name} must be a whole number")
    return int(value)


def _search_error(text: str) -> FhirError:
    return FhirError.single(400, IssueCode.INVALID_SEARCH, text)


def _not_found(what: str) -> FhirError:
    return FhirError.single(404, IssueCode.NOT_FOUND, f"There is no {what} that this API key may see")


def _version_headers(revision: EventRevision, location: str | None = None) -> dict[str, str]:
    headers = {"ETag": etag(revision.number), "Last-Modified": http_date(revision.created_at.timestamp())}
    if location:
        headers["Location"] = location
        headers["Content-Location"] = location
    return headers


def _resource_response(request: HttpRequest, event, revision: EventRevision) -> HttpResponse:
    base = canonical_base(request)
    submission = getattr(event, "api_submission", None)
    body = event_resource(event, revision, submission, base=base)
    return fhir_response(
        request, body, 200, _version_headers(revision, resource_location(base, event, revision))
    )


def _result_response(
    request: HttpRequest, result: ApiResult, submission: Submission | None = None
) -> HttpResponse:
    """201 or 200 with the stored resource; `Prefer: return=minimal` or `return=OperationOutcome` as
    FHIR defines them (the latter carries any warnings, such as elements that were not stored)."""
    headers = {"Location": result.location}
    version = result.body.get("meta", {}).get("versionId")
    if version:
        headers["ETag"] = etag(version)
    if result.replayed:
        headers["Idempotent-Replayed"] = "true"
    prefer = request.headers.get("Prefer", "").replace(" ", "").lower()
    if "return=minimal" in prefer:
        response = fhir_response(request, {}, result.status, headers)
        response.content = b""
        return response
    if "return=operationoutcome" in prefer:
        warnings = submission.warnings if submission else []
        body = operation_outcome(warnings, base=canonical_base(request))
        return fhir_response(request, body, result.status, headers)
    return fhir_response(request, result.body, result.status, headers)


# -- conformance -------------------------------------------------------------------------------------
@fhir_endpoint(methods=("GET",), authenticated=False)
def metadata(request: HttpRequest) -> HttpResponse:
    published = timezone.localdate().isoformat()
    return fhir_response(
        request, profiles.capability_statement(base=canonical_base(request), published=published)
    )


@fhir_endpoint(methods=("GET",), authenticated=False)
def submission_issue_codes(request: HttpRequest) -> HttpResponse:
    return fhir_response(request, issue_code_system(base=canonical_base(request)))


@fhir_endpoint(methods=("GET", "POST", "PUT", "PATCH", "DELETE"), authenticated=False)
def unknown(request: HttpRequest, path: str = "") -> HttpResponse:
    raise _not_found(f"resource or operation at {request.path}")


@fhir_endpoint(methods=("GET",), authenticated=False)
def taxonomy_resource(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    base = canonical_base(request)
    resource = _taxonomy_lookup(resource_type, resource_id, base)
    if resource is None:
        raise _not_found(f"{resource_type}/{resource_id}")
    return fhir_response(request, resource)


@fhir_endpoint(methods=("GET",), authenticated=False)
def taxonomy_search(request: HttpRequest, resource_type: str) -> HttpResponse:
    base = canonical_base(request)
    resources = [
        resource
        for resource_id in _taxonomy_ids(resource_type)
        if (resource := _taxonomy_lookup(resource_type, resource_id, base)) is not None
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {
                "fullUrl": f"{base}/taxonomy/fhir/{resource_type}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
    return fhir_response(request, bundle)


def _taxonomy_ids(resource_type: str) -> list[str]:
    ids = []
    for version in profiles.available_versions():
        if resource_type == "StructureDefinition":
            ids += profiles.structure_definition_ids(version)
        else:
            names = list(profiles.code_lists(version))
            if resource_type == "ValueSet":
                names.append(profiles.SPECIAL_VALUE_SETS[profiles.Kind.ORGANISATION])
            ids += [f"{name}-{version}" for name in names]
    return ids


def _taxonomy_lookup(resource_type: str, resource_id: str, base: str) -> dict | None:
    if resource_type == "StructureDefinition":
        return profiles.structure_definition(resource_id, base=base)
    parts = profiles.split_id(resource_id)
    if parts is None or parts[1] not in profiles.available_versions():
        return None
    name, version = parts
    if resource_type == "ValueSet":
        return profiles.value_set(name, version, base=base)
    return profiles.code_system(name, version, base=base)
