from django.urls import path

from .views import qa

app_name = "anonymisation"

urlpatterns = [
    path("", qa.qa_list, name="qa_list"),
    path("<int:revision_id>/", qa.qa_detail, name="qa_detail"),
]
