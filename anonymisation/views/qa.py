"""The super admins' redaction quality-assurance screens. Every view of raw text is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import Action, allows
from anonymisation.free_text import free_text_fields
from anonymisation.qa_forms import CorrectionForm
from anonymisation.selectors import recent_redactions
from anonymisation.services import raw_text_read, redaction_correct
from events.models import EventRevision, RedactionStatus


def _require_redaction_qa(request: HttpRequest, *, original_text: bool = False) -> None:
    if not allows(request.user, Action.QUALITY_ASSURE_REDACTION):
        raise PermissionDenied
    if original_text and not allows(request.user, Action.SEE_ORIGINAL_UNREDACTED_FREE_TEXT):
        raise PermissionDenied


@login_required
def qa_list(request: HttpRequest) -> HttpResponse:
    _require_redaction_qa(request)
    page = Paginator(recent_redactions(), 25).get_page(request.GET.get("page"))
    return render(request, "anonymisation/qa_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def qa_detail(request: HttpRequest, revision_id: int) -> HttpResponse:
    _require_redaction_qa(request, original_text=True)
    revision = get_object_or_404(EventRevision.objects.select_related("event"), pk=revision_id)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        redaction_correct(
            revision=revision, actor=request.user, missed=form.missed_values, keep=form.keep_values
        )
        messages.success(request, "The record has been redacted again with your corrections.")
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
