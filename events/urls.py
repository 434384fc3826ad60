from django.urls import path

from .views import download, organisation, recording, records

app_name = "events"

urlpatterns = [
    path("record/", recording.record_start, name="record_start"),
    path("record-anonymously/", recording.record_anonymously, name="record_anonymously"),
    path("record/submitted/", records.submitted, name="submitted"),
    path("record/<uuid:key>/", recording.task_list, name="task_list"),
    path("record/<uuid:key>/review/", recording.review, name="review"),
    path("record/<uuid:key>/delete/", recording.delete_draft, name="delete_draft"),
    path("record/<uuid:key>/remove/<slug:group>/<int:number>/", recording.remove_item, name="remove_item"),
    path("record/<uuid:key>/<str:page_id>/", recording.question, name="question"),
    path("my-records/", records.my_records, name="my_records"),
    path("my-records/<str:reference>/", records.record_detail, name="record_detail"),
    path("my-records/<str:reference>/edit/", records.record_edit, name="record_edit"),
    path("my-records/<str:reference>/history/", records.record_history, name="history"),
    # Organisation users (docs/adr/0008): "download" comes before the record patterns it would match.
    path("organisation/events/", organisation.organisation_events, name="organisation_events"),
    path("organisation/events/download/", download.download, name="download"),
    path("organisation/events/download/csv/", download.download_csv, name="download_csv"),
    path("organisation/events/<str:reference>/", organisation.organisation_event, name="organisation_event"),
    path(
        "organisation/events/<str:reference>/history/",
        organisation.organisation_history,
        name="organisation_history",
    ),
    path(
        "organisation/events/<str:reference>/change/<str:page_id>/",
        organisation.organisation_question,
        name="organisation_question",
    ),
    path(
        "organisation/events/<str:reference>/resubmit/",
        organisation.organisation_resubmit,
        name="organisation_resubmit",
    ),
    path(
        "organisation/events/<str:reference>/discard/",
        organisation.organisation_discard,
        name="organisation_discard",
    ),
    path(
        "organisation/events/<str:reference>/reclassify/",
        organisation.organisation_reclassify,
        name="organisation_reclassify",
    ),
    path(
        "organisation/events/<str:reference>/statutory/",
        organisation.organisation_statutory,
        name="organisation_statutory",
    ),
]
