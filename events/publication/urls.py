from django.urls import path

from . import views

app_name = "publication"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.calendar, name="calendar"),
    path("data-quality/", views.data_quality_index, name="data_quality_index"),
    path("data-quality/<str:code>/", views.data_quality, name="data_quality"),
    path("pre-release/", views.prerelease_list, name="prerelease_list"),
    path("pre-release/<int:pk>/", views.prerelease_detail, name="prerelease_detail"),
    path("pre-release/<int:pk>/publish/", views.prerelease_publish, name="prerelease_publish"),
    path("<str:slug>/", views.release_page, name="release"),
    path("<str:slug>/v<int:version>/data.csv", views.release_csv, name="release_csv"),
    path("<str:slug>/v<int:version>/data.json", views.release_json, name="release_json"),
    path("<str:slug>/trusts/", views.trust_rates, name="trust_rates"),
    path("<str:slug>/area/<str:code>/", views.area_page, name="area"),
    path("<str:slug>/area/<str:code>/months/<str:month>/", views.month_page, name="month"),
    path("<str:slug>/area/<str:code>/<str:table>.csv", views.table_csv, name="table_csv"),
]
