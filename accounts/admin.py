"""The Django admin site (/django-admin/) for looking things up.

Access is changed only through the service's own screens (accounts/access.py), which check who may
decide, write the audit log and email the people concerned; so memberships, access requests, the
audit log and super admin status are read-only here.
"""

from django.contrib import admin

from .models import AccessRequest, AuditLogEntry, Membership, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["organisation", "account_type", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "first_name",
        "last_name",
        "job_role",
        "is_super_admin",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_super_admin", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "job_role",
        "unlisted_organisation",
        "is_active",
        "is_super_admin",
        "is_staff",
        "last_login",
        "date_joined",
    ]
    readonly_fields = ["email", "is_super_admin", "is_staff", "last_login", "date_joined"]
    inlines = [MembershipInline]
    ordering = ["email"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "account_type", "status", "updated_at"]
    list_filter = ["account_type", "status"]
    search_fields = ["user__email", "organisation__ods_code", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "organisation",
        "account_type",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "account_type"]
    search_fields = ["user__email", "organisation__ods_code", "organisation__name"]
    list_select_related = ["user", "organisation", "decided_by"]
    date_hierarchy = "created_at"


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "subject", "organisation"]
    list_filter = ["action"]
    search_fields = ["actor__email", "subject__email", "organisation__ods_code"]
    list_select_related = ["actor", "subject", "organisation"]
    date_hierarchy = "created_at"
