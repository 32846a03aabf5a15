"""Contacts in the admin: every model here belongs to a case, so all are read-only (core.admin).

Contacts and their amendments are legal records, corrected only on the amend page, which keeps the
original; contact plans and change requests are set, approved and declined on the case pages, which check
who may decide and write the timeline. An admin edit could forge a decision, so there is none.
"""

from django.contrib import admin

from core.admin import ReadOnlyCaseRecordAdmin, ReadOnlyCaseRecordInline

from . import models


class AmendmentInline(ReadOnlyCaseRecordInline):
    model = models.ContactAmendment
    fields = ["amended_at", "amended_by", "kind", "reason", "evidence", "changes"]
    readonly_fields = fields


@admin.register(models.Contact)
class ContactAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["starts_at", "service_user", "contact_type", "outcome", "enforcement_action", "officer"]
    list_filter = ["contact_type", "outcome", "enforcement_action", "national_standard"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "officer"]
    date_hierarchy = "starts_at"
    inlines = [AmendmentInline]


@admin.register(models.ContactAmendment)
class ContactAmendmentAdmin(ReadOnlyCaseRecordAdmin):
    case_path = "contact__service_user"
    list_display = ["amended_at", "contact", "amended_by", "reason"]
    search_fields = ["contact__service_user__crn"]
    list_select_related = ["contact__service_user", "amended_by"]


@admin.register(models.EnforcementWarning)
class EnforcementWarningAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["given_on", "service_user", "order", "kind", "action", "withdrawn_on"]
    list_filter = ["kind", "action"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "order"]


@admin.register(models.ContactPlan)
class ContactPlanAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "frequency_days", "source", "starts_on", "ends_on"]
    list_filter = ["source", "frequency_days"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.ContactChangeRequest)
class ContactChangeRequestAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "frequency_days", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "requested_by", "decided_by"]


@admin.register(models.ContactPreferences)
class ContactPreferencesAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "sms_consent_at", "email_consent_at"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.Reminder)
class ReminderAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["send_after", "service_user", "channel", "kind", "status", "sent_at"]
    list_filter = ["channel", "kind", "status"]
    search_fields = ["service_user__crn", "reference", "notify_id"]
    list_select_related = ["service_user", "contact"]


@admin.register(models.ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    """Local policy for reminder times and the GOV.UK Notify template ids: admins change these here."""

    list_display = ["__str__", "day_before_hour", "early_before_hour", "on_the_day_hour", "sms_template_id"]

    def has_add_permission(self, request):
        return not models.ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.BreachAction)
class BreachActionAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["referred_on", "service_user", "order", "report_submitted_on", "hearing_on", "result"]
    list_filter = ["result"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "order"]


@admin.register(models.Recall)
class RecallAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["recommended_on", "service_user", "order", "recommended_by", "countersigned_by", "decision"]
    list_filter = ["decision"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "order", "recommended_by", "countersigned_by"]


@admin.register(models.Letter)
class LetterAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["produced_at", "service_user", "kind", "title", "produced_by"]
    list_filter = ["kind"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "produced_by"]
