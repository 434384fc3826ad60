from django.urls import path

from .views import recording, records

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
]
