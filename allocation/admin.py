"""Allocation in the admin (see core.admin for the two kinds of admin).

Configuration, editable: officer profiles and their workload reductions, case weightings, workload settings.
Allocation rules are configuration too, but read-only here: they are written on the protocol pages, which
keep every version (an edit here would rewrite the rule past decisions cite).
Case records, read-only and limited to the cases the user may see: allocation decisions.
"""

from django.contrib import admin

from core.admin import ConfigurationAdmin, ReadOnlyCaseRecordAdmin, TrackedAdmin

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
class CaseWeightingAdmin(ConfigurationAdmin):
    list_display = ["order_type", "tier", "points"]
    list_editable = ["points"]


@admin.register(models.WorkloadSettings)
class WorkloadSettingsAdmin(ConfigurationAdmin):
    list_display = ["nominal_target_points", "nominal_target_pso", "nominal_target_upw", "standard_hours"]


@admin.register(models.AllocationRule)
class AllocationRuleAdmin(ConfigurationAdmin):
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
class AllocationDecisionAdmin(ReadOnlyCaseRecordAdmin):
    """Written by allocation (casework timeline included); evidence of who chose whom and why."""

    list_display = ["service_user", "officer", "rule", "decided_by", "decided_at"]
    list_select_related = ["service_user", "officer", "rule", "decided_by"]
    search_fields = ["service_user__crn"]


@admin.register(models.CaseTransfer)
class CaseTransferAdmin(ReadOnlyCaseRecordAdmin):
    """Written by the transfer pages (allocation.services.transfer_request and transfer_decide)."""

    list_display = ["service_user", "from_team", "to_team", "status", "requested_by", "requested_at"]
    list_select_related = ["service_user", "from_team", "to_team", "requested_by"]
    list_filter = ["status"]
    search_fields = ["service_user__crn"]
