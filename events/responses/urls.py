from django.urls import path

from . import views, views_oversight, views_register

app_name = "responses"

urlpatterns = [
    path("organisation/responses/", views.response_list, name="list"),
    path("organisation/responses/awaiting-decision/", views.queue, name="queue"),
    path("organisation/responses/decide/<str:reference>/", views.decide, name="decide"),
    path("organisation/responses/<int:pk>/", views.response_detail, name="detail"),
    path("organisation/responses/<int:pk>/learning-response/", views.response_document, name="document"),
    path("organisation/responses/<int:pk>/move/", views.response_move, name="move"),
    path("organisation/responses/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("organisation/responses/<int:pk>/engagement/", views.engagement, name="engagement"),
    path(
        "organisation/responses/<int:pk>/engagement/people/<int:person_pk>/",
        views.affected_person,
        name="affected_person",
    ),
    path(
        "organisation/responses/<int:pk>/engagement/entries/<int:entry_pk>/",
        views.engagement_entry,
        name="engagement_entry",
    ),
    path("organisation/responses/board-report/", views_oversight.board_report, name="board_report"),
    path(
        "organisation/responses/board-report.csv", views_oversight.board_report_csv, name="board_report_csv"
    ),
    path("organisation/safety-actions/", views_register.register, name="register"),
    path("organisation/safety-actions/new/", views_register.action_new, name="action_new"),
    path("organisation/safety-actions/<int:pk>/", views_register.action_edit, name="action"),
    path("organisation/safety-improvement-plans/", views_register.safety_plans, name="safety_plans"),
    path("organisation/psirf-executive-lead/", views_register.executive_lead, name="executive_lead"),
    path("organisation/response-plan/", views_oversight.plans, name="plans"),
    path("organisation/response-plan/<int:pk>/", views_oversight.plan, name="plan"),
    path("oversight/responses/", views_oversight.oversight, name="oversight"),
    path("national/responses/", views_oversight.national_register, name="national_register"),
    path("patient-safety-incident-response-plans/", views_oversight.public_plans, name="public_plans"),
    path(
        "patient-safety-incident-response-plans/<str:code>/", views_oversight.public_plan, name="public_plan"
    ),
]
