"""The AdverseEvent API, mounted at /adverse-event/fhir/ (the national service's paths)."""

from django.urls import path, re_path

from . import views

app_name = "fhir"

urlpatterns = [
    path("", views.metadata, name="root"),
    path("metadata", views.metadata, name="metadata"),
    path("AdverseEvent", views.adverse_events, name="adverse_events"),
    path("AdverseEvent/<str:resource_id>", views.adverse_event, name="adverse_event"),
    path(
        "AdverseEvent/<str:resource_id>/_history/<str:version_id>",
        views.adverse_event_version,
        name="adverse_event_version",
    ),
    path("CodeSystem/submission-issue", views.submission_issue_codes, name="submission_issue_codes"),
    re_path(r"^(?P<path>[\s\S]*)$", views.unknown),
]
