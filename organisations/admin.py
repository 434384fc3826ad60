from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "name", "kind", "status", "parent", "postcode", "updated_at"]
    list_filter = ["kind", "status"]
    # "^": a code prefix such as RR8 finds the trust and its sites.
    search_fields = ["^ods_code", "name"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["updated_at"]
    ordering = ["name"]
