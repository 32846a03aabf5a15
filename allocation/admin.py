from django.contrib import admin

from casework.admin import TrackedAdmin

from . import models


class ReductionInline(admin.TabularInline):
    model = models.WorkloadReduction
    extra = 0
    fields = ["hours", "reason", "starts_on", "ends_on"]


@admin.register(models.OfficerProfile)
class OfficerProfileAdmin(TrackedAdmin):
    list_display = ["user", "contracted_hours", "experience_years", "active"]
    list_filter = ["active"]
    search_fields = ["user__username", "user__last_name"]
    inlines = [ReductionInline]


@admin.register(models.WorkloadReduction)
class WorkloadReductionAdmin(TrackedAdmin):
    list_display = ["profile", "hours", "reason", "starts_on", "ends_on"]


@admin.register(models.CaseWeighting)
class CaseWeightingAdmin(admin.ModelAdmin):
    list_display = ["order_type", "case_level", "points"]
    list_editable = ["points"]


@admin.register(models.WorkloadSettings)
class WorkloadSettingsAdmin(admin.ModelAdmin):
    list_display = ["nominal_target_points", "standard_hours"]


@admin.register(models.AllocationRule)
class AllocationRuleAdmin(admin.ModelAdmin):
    """Read-only here: rules are written on the protocol pages, which keep every version."""

    list_display = ["name", "version", "position", "enabled", "is_default", "superseded_at"]
    list_filter = ["enabled", "is_default"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AllocationDecision)
class AllocationDecisionAdmin(AllocationRuleAdmin):
    list_display = ["service_user", "officer", "rule", "decided_by", "decided_at"]
    list_filter = []
