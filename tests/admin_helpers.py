"""The case-record admins, and one record of each for a case, so admin tests cover every model registered,
including ones added later."""

from datetime import date, timedelta

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone

from casework.constants import AuditAction, NotificationKind
from core.admin import ReadOnlyCaseRecordAdmin
from risk import services as risk_services
from risk.constants import EnquiryKind, ScheduleSource
from tests import factories


def case_record_admins() -> list:
    """(model, model admin) for every model the admin registers as a case record."""
    registered = [(m, a) for m, a in admin.site._registry.items() if isinstance(a, ReadOnlyCaseRecordAdmin)]
    return sorted(registered, key=lambda pair: pair[0]._meta.label)


def admin_url(model, view: str, record=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[quote(record.pk)] if record is not None else [])


def _create_missing(model, full):
    """A record of `model` on the full case, for the models the conftest's full case does not make."""
    from allocation.models import AllocationDecision, AllocationRule, CaseTransfer
    from casework.models import AuditEvent, CaseEvent, Notification, ResponsibleOfficerAssignment, UnpaidWorkExtension
    from casework.services import record_case_event
    from contacts import reminders
    from contacts.models import (
        BreachAction,
        ContactAmendment,
        ContactPlan,
        ContactPreferences,
        EnforcementWarning,
        Letter,
        Recall,
        Reminder,
    )
    from risk.models import CaseStatus, CaseTier, CheckTriggerEvent, EnquirySchedule, RiskAssessment, TierFactors

    case, officer, manager = full.case, full.case.responsible_officer, full.restriction.set_by
    creators = {
        ResponsibleOfficerAssignment: lambda: ResponsibleOfficerAssignment.objects.create(
            service_user=case, officer=officer, started_at=timezone.now()
        ),
        CaseEvent: lambda: record_case_event(actor=officer, case=case, kind="updated", summary="Evidence"),
        Notification: lambda: Notification.objects.create(
            recipient=officer,
            service_user=case,
            kind=NotificationKind.CONTACT_DUE,
            message="About the case",
            dedupe_key=f"t-{case.pk}",
        ),
        AuditEvent: lambda: AuditEvent.objects.create(
            user=officer,
            service_user=case,
            action=AuditAction.VIEW,
            page="casework:case_overview",
            path=f"/cases/{case.crn}/",
        ),
        ContactAmendment: lambda: ContactAmendment.objects.create(
            contact=full.contact, amended_by=officer, reason="Wrong date", changes=[]
        ),
        EnforcementWarning: lambda: EnforcementWarning.objects.create(
            service_user=case,
            order=full.order,
            failure=full.contact,
            kind="letter",
            action="EA02",
            given_on=timezone.localdate(),
        ),
        ContactPlan: lambda: factories.ContactPlanFactory(service_user=case),
        UnpaidWorkExtension: lambda: UnpaidWorkExtension.objects.create(
            requirement=full.requirement,
            extended_to=full.order.sentence_date + timedelta(days=500),
            court="Westshire Magistrates' Court",
            granted_on=timezone.localdate(),
        ),
        ContactPreferences: lambda: reminders.preferences_set(
            actor=officer, case=case, mobile="07700 900321", email="person@example.com"
        ),
        Reminder: lambda: Reminder.objects.create(
            service_user=case,
            contact=full.contact,
            channel="sms",
            kind="day_before",
            recipient="+447700900321",
            send_after=timezone.now(),
            reference=f"test-{case.pk}",
        ),
        CheckTriggerEvent: lambda: CheckTriggerEvent.objects.create(
            service_user=case, trigger="relationship", noticed_on=timezone.localdate()
        ),
        RiskAssessment: lambda: factories.RiskAssessmentFactory(service_user=case),
        EnquirySchedule: lambda: EnquirySchedule.objects.create(
            service_user=case, kind=EnquiryKind.DOMESTIC_ABUSE, interval_days=84, source=ScheduleSource.MANUAL
        ),
        CaseStatus: lambda: CaseStatus.objects.create(
            service_user=case, computed_on=date.today(), rule_set_version=1, records_version=0, ratings=[]
        ),
        TierFactors: lambda: risk_services.tier_factors_record(actor=officer, case=case, ogrs_score=40),
        CaseTier: lambda: risk_services.case_tier_recalculate(actor=officer, case=case),
        AllocationDecision: lambda: AllocationDecision.objects.create(
            service_user=case,
            rule=AllocationRule.objects.get(is_default=True, superseded_at__isnull=True),
            officer=officer,
            decided_by=manager,
        ),
        # The full case makes its breach, recall and letter on first use (tests/conftest.py FullCase).
        BreachAction: lambda: full.breach,
        Recall: lambda: full.recall,
        Letter: lambda: full.letter,
        CaseTransfer: lambda: CaseTransfer.objects.create(
            service_user=case,
            from_team=case.team,
            to_team=factories.TeamFactory(),
            reason="Moved to the other team's area",
            requested_by=manager,
        ),
    }
    if model not in creators:
        raise AssertionError(f"Add a way to make a {model.__name__} in tests/admin_helpers.py")
    return creators[model]()


def record_of(model, model_admin, full):
    """One record of `model` belonging to the full case, made if the case has none yet."""
    record = model._default_manager.filter(**{model_admin.case_path: full.case.pk}).first()
    return record if record is not None else _create_missing(model, full)
