from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import models


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "pdu"]
    search_fields = ["name", "code", "pdu"]


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "grade", "is_active"]
    list_filter = ["role", "grade", "is_active", "teams"]
    filter_horizontal = ["teams", "managed_teams", "groups", "user_permissions"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Casework", {"fields": ("role", "grade", "teams", "managed_teams")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Casework", {"fields": ("first_name", "last_name", "email", "role", "grade", "teams", "managed_teams")}),
    )


class TrackedAdmin(admin.ModelAdmin):
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class RequirementInline(admin.TabularInline):
    model = models.Requirement
    extra = 0
    fields = ["requirement_type", "unpaid_work_hours", "rar_days", "status"]


class OffenceInline(admin.TabularInline):
    model = models.Offence
    extra = 0
    fields = ["description", "offence_date", "is_main", "domestic_abuse"]


@admin.register(models.ServiceUser)
class ServiceUserAdmin(TrackedAdmin):
    list_display = ["crn", "last_name", "first_name", "date_of_birth", "team", "responsible_officer"]
    list_filter = ["team", "gender"]
    search_fields = ["crn", "first_name", "last_name"]
    list_select_related = ["team", "responsible_officer"]
    raw_id_fields = ["responsible_officer"]


@admin.register(models.Order)
class OrderAdmin(TrackedAdmin):
    list_display = ["service_user", "order_type", "court", "sentence_date", "status"]
    list_filter = ["order_type", "status"]
    search_fields = ["service_user__crn", "court"]
    list_select_related = ["service_user"]
    raw_id_fields = ["service_user"]
    inlines = [RequirementInline, OffenceInline]


@admin.register(models.Requirement)
class RequirementAdmin(TrackedAdmin):
    list_display = ["order", "requirement_type", "unpaid_work_hours", "rar_days", "status"]
    list_filter = ["requirement_type", "status"]
    search_fields = ["order__service_user__crn"]
    raw_id_fields = ["order"]


@admin.register(models.Offence)
class OffenceAdmin(TrackedAdmin):
    list_display = ["description", "order", "is_main", "domestic_abuse"]
    list_filter = ["domestic_abuse", "is_main"]
    search_fields = ["description", "order__service_user__crn"]
    raw_id_fields = ["order"]


@admin.register(models.RestrainingOrder)
class RestrainingOrderAdmin(TrackedAdmin):
    list_display = ["service_user", "court", "made_on", "expires_on", "until_further_order"]
    search_fields = ["service_user__crn", "court"]
    raw_id_fields = ["service_user"]
    filter_horizontal = ["protected_people"]


@admin.register(models.ProtectedPerson)
class ProtectedPersonAdmin(TrackedAdmin):
    list_display = ["full_name", "service_user", "relationship", "is_victim"]
    search_fields = ["full_name", "service_user__crn"]
    raw_id_fields = ["service_user"]


@admin.register(models.KeyIndividual)
class KeyIndividualAdmin(TrackedAdmin):
    list_display = ["full_name", "service_user", "relationship", "involve"]
    search_fields = ["full_name", "service_user__crn"]
    raw_id_fields = ["service_user"]


@admin.register(models.AgencyInvolvement)
class AgencyInvolvementAdmin(TrackedAdmin):
    list_display = ["organisation", "agency_type", "service_user", "contact_name", "started_on", "ended_on"]
    list_filter = ["agency_type"]
    search_fields = ["organisation", "service_user__crn"]
    raw_id_fields = ["service_user"]


@admin.register(models.ResponsibleOfficerAssignment)
class ResponsibleOfficerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["service_user", "officer", "started_at", "ended_at", "assigned_by"]
    search_fields = ["service_user__crn"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.CaseEvent)
class CaseEventAdmin(ResponsibleOfficerAssignmentAdmin):
    """The timeline is evidence: the admin can read it, never change it."""

    list_display = ["occurred_at", "service_user", "actor", "kind", "summary"]
    list_filter = ["kind"]
    list_select_related = ["service_user", "actor"]


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "message", "read_at", "emailed_at"]
    list_filter = ["kind", "escalation"]
    search_fields = ["recipient__username", "dedupe_key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "service_user"]


@admin.register(models.AccessRestriction)
class AccessRestrictionAdmin(admin.ModelAdmin):
    list_display = ["service_user", "user", "kind", "reason", "set_by", "set_at"]
    list_filter = ["kind"]
    search_fields = ["service_user__crn", "user__username"]
    raw_id_fields = ["service_user", "user", "set_by"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ResponsibleOfficerAssignmentAdmin):
    """Evidence of access: readable, never changeable, here or anywhere else."""

    list_display = ["occurred_at", "user", "action", "service_user", "page", "ip_address"]
    list_filter = ["action"]
    search_fields = ["user__username", "service_user__crn", "path"]
    list_select_related = ["user", "service_user"]
