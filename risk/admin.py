"""Risk in the admin (see core.admin for the two kinds of admin).

Configuration, editable: criteria rule sets (add a new version rather than editing one that rated cases).
Case records, read-only and limited to the cases the user may see: risk assessments and tier factors
(versioned: a change is a new version, on the case's risk page), enquiry schedules, enquiries and risk reviews
(set, answered and closed on the case pages, which write the timeline), and stored case statuses and tiers (derived).
"""

from django.contrib import admin

from core.admin import ConfigurationAdmin, ReadOnlyCaseRecordAdmin

from . import models


@admin.register(models.RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "rosh_level", "assessed_on", "review_on", "created_at", "created_by"]
    list_filter = [
        "rosh_level",
        "domestic_abuse_perpetrator",
        "child_protection_concerns",
        "mappa_level",
        "mappa_category",
    ]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "created_by"]


@admin.register(models.EnquirySchedule)
class EnquiryScheduleAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "kind", "interval_days", "source", "active"]
    list_filter = ["kind", "source", "active"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.Enquiry)
class EnquiryAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "kind", "requested_on", "response_due_on", "response_received_on", "result"]
    list_filter = ["kind", "result"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.CheckTriggerEvent)
class CheckTriggerEventAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "trigger", "noticed_on", "created_by"]
    list_filter = ["trigger"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "created_by"]


@admin.register(models.RiskReview)
class RiskReviewAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "reason", "opened_at", "closed_at", "closed_by"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "closed_by"]


@admin.register(models.CriteriaRuleSet)
class CriteriaRuleSetAdmin(ConfigurationAdmin):
    """Add a new version rather than editing one that has rated cases."""

    list_display = ["version", "active", "created_at", "notes"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "thresholds", "created_at"] if obj else []


@admin.register(models.CaseStatus)
class CaseStatusAdmin(ReadOnlyCaseRecordAdmin):
    """Stored ratings are derived data: visible for support, never edited by hand."""

    case_path = "service_user"
    list_display = ["service_user", "computed_on", "rule_set_version", "records_version"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.TierFactors)
class TierFactorsAdmin(ReadOnlyCaseRecordAdmin):
    """Versioned: recorded on the case's risk page (Record tier factors), which recalculates the tier."""

    list_display = ["service_user", "rsr_score", "ogrs_score", "created_at", "created_by"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "created_by"]


@admin.register(models.CaseTier)
class CaseTierAdmin(ReadOnlyCaseRecordAdmin):
    """Derived data (risk.services.case_tier_recalculate): visible for support, never edited by hand."""

    list_display = ["service_user", "protect_level", "change_level", "rosh_level", "mappa_level", "calculated_at"]
    list_filter = ["protect_level", "change_level"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]
