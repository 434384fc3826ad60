"""The super admins' redaction quality-assurance screens. Every view of raw text is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import Action, allows
from anonymisation.pipeline.risk import HIGH as HIGH_RISK
from anonymisation.qa_forms import CorrectionForm, QaListForm
from anonymisation.selectors import redactions_for_qa
from anonymisation.services import raw_text_read
from events.free_text import free_text_fields
from events.models import RedactionStatus
from events.redaction import redaction_corrections_record
from events.visibility import revision_for_redaction_qa

CORRECTIONS_SAVED = "Your corrections have been saved. The record is being redacted again."


def _require_redaction_qa(request: HttpRequest, *, original_text: bool = False) -> None:
    if not allows(request.user, Action.QUALITY_ASSURE_REDACTION):
        raise PermissionDenied
    if original_text and not allows(request.user, Action.SEE_ORIGINAL_UNREDACTED_FREE_TEXT):
        raise PermissionDenied


@login_required
def qa_list(request: HttpRequest) -> HttpResponse:
    _require_redaction_qa(request)
    form = QaListForm(request.GET or None)
    choice = form.choice()
    runs = redactions_for_qa(order=choice.order, high_risk_only=choice.high_risk_only)
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "anonymisation/qa_list.html",
        {"page": page, "form": form, "choice": choice, "high_risk": HIGH_RISK, "filters": _filters(request)},
    )


def _filters(request: HttpRequest) -> str:
    """The list's sort order and filter as a query string prefix for the page links ("" when none)."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


@login_required
@require_http_methods(["GET", "POST"])
def qa_detail(request: HttpRequest, revision_id: int) -> HttpResponse:
    _require_redaction_qa(request, original_text=True)
    revision = revision_for_redaction_qa(request.user, revision_id)
    if revision is None:
        raise Http404("No such revision")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        redaction_corrections_record(
            revision=revision, actor=request.user, missed=form.missed_values, keep=form.keep_values
        )
        messages.success(request, CORRECTIONS_SAVED)
        return redirect("anonymisation:qa_detail", revision_id=revision.pk)
    originals = raw_text_read(revision=revision, actor=request.user, purpose="redaction quality assurance")
    redacted = (
        free_text_fields(revision.redacted_answers, revision.question_set_version)
        if revision.redaction_status == RedactionStatus.COMPLETE and revision.redacted_answers
        else {}
    )
    rows = [(path, text, redacted.get(path)) for path, text in originals.items()]
    return render(
        request,
        "anonymisation/qa_detail.html",
        {"revision": revision, "rows": rows, "form": form, "run": getattr(revision, "redaction_run", None)},
    )
