"""Access management (docs/spec/PRODUCT.md §6), mounted at /access/ by lfpse/urls.py."""

from django.urls import path

from . import access_views as views
from . import api_client_views

app_name = "accounts"

urlpatterns = [
    # Account settings on the home page.
    path("organisations/", views.my_organisations, name="my_organisations"),
    path("organisations/add/", views.add_organisation, name="add_organisation"),
    path("organisations/<str:ods_code>/amend/", views.amend_access, name="amend_access"),
    path("organisations/<str:ods_code>/remove/", views.remove_organisation, name="remove_organisation"),
    path("requests/", views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", views.access_request_detail, name="access_request"),
    path("requests/<int:pk>/cancel/", views.cancel_request, name="cancel_request"),
    path("super-admin/request/", views.request_super_admin, name="request_super_admin"),
    # "Manage users in my organisation, ICB or region".
    path("users/", views.manage_users, name="manage_users"),
    path("users/<str:ods_code>/", views.organisation_users, name="organisation_users"),
    path("memberships/<int:pk>/revoke/", views.revoke_access, name="revoke_access"),
    path("super-admins/<int:pk>/revoke/", views.revoke_super_admin, name="revoke_super_admin"),
    path("log/", views.access_log, name="access_log"),
    # API keys of local risk management systems (super admins; docs/api.md).
    path("api-clients/", api_client_views.api_clients, name="api_clients"),
    path("api-clients/new/", api_client_views.api_client_new, name="api_client_new"),
    path("api-clients/<int:pk>/revoke/", api_client_views.api_client_revoke_view, name="api_client_revoke"),
]
