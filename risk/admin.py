from django.contrib import admin

from casework.admin import TrackedAdmin

from . import models


@admin.register(models.RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ["service_user", "rosh_level", "assessed_on", "review_on", "created_at", "created_by"]
    list_filter = ["rosh_level", "domestic_abuse_perpetrator", "child_protection_concerns", "mappa_level"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user"]

    def has_change_permission(self, request, obj=None):
        return False  # versioned: a change is a new assessment

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.EnquirySchedule)
class EnquiryScheduleAdmin(TrackedAdmin):
    list_display = ["service_user", "kind", "interval_days", "source", "active"]
    list_filter = ["kind", "source", "active"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user"]


@admin.register(models.Enquiry)
class EnquiryAdmin(TrackedAdmin):
    list_display = ["service_user", "kind", "requested_on", "response_due_on", "response_received_on", "result"]
    list_filter = ["kind", "result"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user", "agency"]


@admin.register(models.RiskReview)
class RiskReviewAdmin(admin.ModelAdmin):
    list_display = ["service_user", "reason", "opened_at", "closed_at", "closed_by"]
    search_fields = ["service_user__crn"]
    raw_id_fields = ["service_user", "enquiry", "closed_by"]


@admin.register(models.CriteriaRuleSet)
class CriteriaRuleSetAdmin(admin.ModelAdmin):
    """Add a new version rather than editing one that has rated cases."""

    list_display = ["version", "active", "created_at", "notes"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "thresholds", "created_at"] if obj else []


@admin.register(models.CaseStatus)
class CaseStatusAdmin(admin.ModelAdmin):
    """Stored ratings are derived data: visible for support, never edited by hand."""

    list_display = ["service_user", "computed_on", "rule_set_version", "records_version"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
