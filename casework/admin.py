"""Casework in the admin (see core.admin for the two kinds of admin).

Configuration, editable: teams and staff accounts.
Case records, read-only and limited to the cases the user may see: the case (service user), its orders,
requirements, offences, restraining orders, protected people, key individuals and agencies (changed on the
case pages, which write the timeline), responsible officer history (written by allocation), the timeline
itself, notifications (written by the sweeps), access entries (set and removed on the case's Access page,
which says so on the timeline) and the access audit (evidence: append-only everywhere).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from core.admin import ConfigurationAdmin, ReadOnlyCaseRecordAdmin, ReadOnlyCaseRecordInline

from . import models, services


@admin.register(models.Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "code", "pdu"]
    search_fields = ["name", "code", "pdu"]


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    """Staff accounts: configuration. Deleting an account removes its access entries on cases; that goes
    through the access service, so each case's timeline says who removed it."""

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

    def get_deleted_objects(self, objs, request):
        # The person's access entries and notifications go with their account, although neither can be
        # deleted on its own here: the access entries through the access service (below), which writes
        # each case's timeline, and the notifications are only the person's own inbox. Anything else that
        # refers to the person (timeline, audit, cases, contacts) still protects the account from deletion.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        goes_with_account = {str(m._meta.verbose_name) for m in (models.AccessRestriction, models.Notification)}
        return deleted, counts, perms_needed - goes_with_account, protected

    @transaction.atomic
    def delete_model(self, request, obj):
        self._remove_access_entries(request, [obj])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        self._remove_access_entries(request, queryset)
        super().delete_queryset(request, queryset)

    def _remove_access_entries(self, request, users):
        entries = models.AccessRestriction.objects.filter(user__in=users).select_related("service_user", "user")
        for restriction in entries:
            services.access_restriction_remove(actor=request.user, restriction=restriction)


class RequirementInline(ReadOnlyCaseRecordInline):
    model = models.Requirement
    fields = ["requirement_type", "unpaid_work_hours", "rar_days", "status"]


class OffenceInline(ReadOnlyCaseRecordInline):
    model = models.Offence
    fields = ["description", "offence_date", "is_main", "domestic_abuse"]


@admin.register(models.ServiceUser)
class ServiceUserAdmin(ReadOnlyCaseRecordAdmin):
    case_path = "pk"
    list_display = ["crn", "last_name", "first_name", "date_of_birth", "team", "responsible_officer"]
    # Team by search, not a filter: the filter listed every team in the country (250) on every page.
    list_filter = ["gender"]
    search_fields = ["crn", "first_name", "last_name", "team__code", "team__name"]
    list_select_related = ["team", "responsible_officer"]


@admin.register(models.Order)
class OrderAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "order_type", "court", "sentence_date", "status"]
    list_filter = ["order_type", "status"]
    search_fields = ["service_user__crn", "court"]
    list_select_related = ["service_user"]
    inlines = [RequirementInline, OffenceInline]


@admin.register(models.Requirement)
class RequirementAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["order", "requirement_type", "unpaid_work_hours", "rar_days", "status"]
    list_filter = ["requirement_type", "status"]
    search_fields = ["order__service_user__crn"]
    list_select_related = ["order__service_user"]


@admin.register(models.UnpaidWorkExtension)
class UnpaidWorkExtensionAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["requirement", "extended_to", "court", "granted_on"]
    search_fields = ["requirement__order__service_user__crn", "court"]
    list_select_related = ["requirement__order__service_user"]


@admin.register(models.Offence)
class OffenceAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["description", "order", "is_main", "domestic_abuse"]
    list_filter = ["domestic_abuse", "is_main"]
    search_fields = ["description", "order__service_user__crn"]
    list_select_related = ["order__service_user"]


@admin.register(models.RestrainingOrder)
class RestrainingOrderAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["service_user", "court", "made_on", "expires_on", "until_further_order"]
    search_fields = ["service_user__crn", "court"]
    list_select_related = ["service_user"]


@admin.register(models.ProtectedPerson)
class ProtectedPersonAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["full_name", "service_user", "relationship", "is_victim"]
    search_fields = ["full_name", "service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.KeyIndividual)
class KeyIndividualAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["full_name", "service_user", "relationship", "involve"]
    search_fields = ["full_name", "service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.AgencyInvolvement)
class AgencyInvolvementAdmin(ReadOnlyCaseRecordAdmin):
    list_display = ["organisation", "agency_type", "service_user", "contact_name", "started_on", "ended_on"]
    list_filter = ["agency_type"]
    search_fields = ["organisation", "service_user__crn"]
    list_select_related = ["service_user"]


@admin.register(models.ResponsibleOfficerAssignment)
class ResponsibleOfficerAssignmentAdmin(ReadOnlyCaseRecordAdmin):
    case_path = "service_user"
    list_display = ["service_user", "officer", "started_at", "ended_at", "assigned_by"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "officer", "assigned_by"]


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyCaseRecordAdmin):
    """The timeline is evidence: the admin can read it, never change it."""

    case_path = "service_user"
    list_display = ["occurred_at", "service_user", "actor", "kind", "summary"]
    list_filter = ["kind"]
    search_fields = ["service_user__crn"]
    list_select_related = ["service_user", "actor"]


@admin.register(models.Notification)
class NotificationAdmin(ReadOnlyCaseRecordAdmin):
    case_path = "service_user"
    case_optional = True  # a digest or system message need not be about a case
    list_display = ["created_at", "recipient", "kind", "message", "read_at", "emailed_at"]
    list_filter = ["kind", "escalation"]
    search_fields = ["recipient__username", "dedupe_key"]
    list_select_related = ["recipient"]


@admin.register(models.AccessRestriction)
class AccessRestrictionAdmin(ReadOnlyCaseRecordAdmin):
    """Set and removed on the case's Access page only, which checks who may and writes the timeline."""

    case_path = "service_user"
    list_display = ["service_user", "user", "kind", "reason", "set_by", "set_at"]
    list_filter = ["kind"]
    search_fields = ["service_user__crn", "user__username"]
    list_select_related = ["service_user", "user", "set_by"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyCaseRecordAdmin):
    """Evidence of access: readable, never changeable, here or anywhere else."""

    case_path = "service_user"
    case_optional = True  # lists and exports are recorded with no case
    list_display = ["occurred_at", "user", "action", "service_user", "page", "ip_address"]
    list_filter = ["action"]
    search_fields = ["user__username", "service_user__crn", "path"]
    list_select_related = ["user", "service_user"]


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    """Who is signed in, until when. Deleting a session signs that person out of that browser at once; session
    contents are never shown."""

    list_display = ("user", "expire_date")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    ordering = ("-expire_date",)
    fields = ("user", "expire_date")
    readonly_fields = ("user", "expire_date")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
