from django.urls import path

from . import organisation_views, views

app_name = "patients"

urlpatterns = [
    # The public form for patients, families and carers (no account).
    path("tell-us/", views.start, name="start"),
    path("tell-us/get-help-now/", views.help_now, name="help_now"),
    path("tell-us/sent/", views.sent, name="sent"),
    path("tell-us/<uuid:key>/check/", views.check, name="check"),
    path("tell-us/<uuid:key>/<str:page_id>/", views.question, name="question"),
    # Follow my record: the link is the only way in.
    path("follow/<str:token>/", views.follow, name="follow"),
    path("record/submitted/follow/", views.staff_follow_link, name="staff_follow_link"),
    path("record/submitted/follow/made/", views.staff_follow_link_made, name="staff_follow_link_made"),
    # Organisations: the triage queue and feedback to the recorder; super admins: complaints contacts.
    path("organisation/patient-reports/", organisation_views.queue, name="queue"),
    path("organisation/events/<str:reference>/feedback/", organisation_views.feedback, name="feedback"),
    path(
        "organisation/complaints-contacts/",
        organisation_views.complaints_contacts_page,
        name="complaints_contacts",
    ),
]
