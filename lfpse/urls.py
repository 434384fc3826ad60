from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from accounts import views as account_views
from events.responses import api_views as responses_api

from . import health, pages, views

handler403 = "lfpse.views.permission_denied"
handler404 = "lfpse.views.page_not_found"
handler500 = "lfpse.views.server_error"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/register/", account_views.register_start, name="register_start"),
    path("accounts/", include("allauth.urls")),
    path("access/", include("accounts.urls")),
    path("redaction-qa/", include("anonymisation.urls")),
    # The responses' Task resources sit beside AdverseEvent, before its catch-all (docs/api.md).
    path("adverse-event/fhir/Task", responses_api.tasks, name="responses_api_tasks"),
    path("adverse-event/fhir/Task/<str:task_id>", responses_api.task, name="responses_api_task"),
    re_path(
        responses_api.CODE_SYSTEM_ROUTE,
        responses_api.code_system,
        name="responses_api_code_system",
    ),
    path("adverse-event/fhir/", include("events.fhir.urls")),
    path("taxonomy/fhir/", include("events.fhir.taxonomy_urls")),
    path("statistics/", include("events.publication.urls")),
    path("", include("events.patients.urls")),
    path("", include("events.responses.urls")),
    path("", include("events.similarity.urls")),
    path("", include("events.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("help/", include((pages.urlpatterns, "pages"))),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [
        path("__errors__/403", views.permission_denied, {"exception": None}),
        path("__errors__/404", views.page_not_found, {"exception": None}),
        path("__errors__/500", views.server_error),
    ]
