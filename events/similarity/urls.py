from django.urls import path

from . import views

app_name = "similarity"

urlpatterns = [
    path("organisation/events-like-this/", views.search, name="search"),
    path("organisation/possible-duplicates/", views.duplicates, name="duplicates"),
    path(
        "organisation/events/<str:reference>/possible-duplicates/<int:flag_id>/",
        views.duplicate_decide,
        name="duplicate_decide",
    ),
    path("organisation/themes/", views.theme_list, name="themes"),
    path("organisation/themes/<int:pk>/", views.theme_detail, name="theme"),
    path("organisation/themes/<int:pk>/records.csv", views.theme_csv, name="theme_csv"),
]
