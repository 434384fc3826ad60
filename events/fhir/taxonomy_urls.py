"""The taxonomy as FHIR conformance resources, mounted at /taxonomy/fhir/ (the national paths)."""

from django.urls import re_path

from . import views

app_name = "fhir_taxonomy"

_TYPES = r"(?P<resource_type>StructureDefinition|ValueSet|CodeSystem)"

urlpatterns = [
    re_path(rf"^{_TYPES}$", views.taxonomy_search, name="search"),
    re_path(rf"^{_TYPES}/(?P<resource_id>[A-Za-z0-9.-]{{1,64}})$", views.taxonomy_resource, name="read"),
    re_path(r"^(?P<path>[\s\S]*)$", views.unknown),
]
