from django.contrib import admin

from casework.admin import TrackedAdmin

from . import models


class NoDeleteAdmin(admin.ModelAdmin):
    """Contact records are legal records: no deletes, even for admins."""

    def has_delete_permission(self, request, obj=None):
        return False


class AmendmentInline(admin.TabularInline):
    model = models.ContactAmendment
    extra = 0
    fields = ["amended_at", "amended_by", "reason", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Contact)
class ContactAdmin(NoDeleteAdmin, TrackedAdmin):
    list_display = ["starts_at", "service_user", "contact_type", "outcome", "enforcement_action", "officer"]
    list_filter = ["contact_type", "outcome", "enforcement_action", "national_standard"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "officer"]
    raw_id_fields = ["service_user", "officer", "key_individual", "protected_person", "agency", "requirement"]
    date_hierarchy = "starts_at"
    inlines = [AmendmentInline]

    def has_change_permission(self, request, obj=None):
        # Corrections go through the amend page, which keeps the original.
        return False


@admin.register(models.ContactAmendment)
class ContactAmendmentAdmin(NoDeleteAdmin):
    list_display = ["amended_at", "contact", "amended_by", "reason"]
    readonly_fields = ["contact", "amended_by", "amended_at", "reason", "changes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.ContactPlan)
class ContactPlanAdmin(TrackedAdmin):
    list_display = ["service_user", "frequency_days", "source", "starts_on", "ends_on"]
    list_filter = ["source", "frequency_days"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user", "change_request"]


@admin.register(models.ContactChangeRequest)
class ContactChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["service_user", "frequency_days", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user", "requested_by", "decided_by"]
