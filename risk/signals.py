"""Mark a case's stored status (risk.case_status) out of date whenever a record it is worked out from changes.

Signals rather than calls in each service, so admin edits and every future write path are caught
too. Writes that bypass signals (bulk_create, queryset.update) call casework.services.records_changed themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    ResponsibleOfficerAssignment,
    RestrainingOrder,
)
from casework.services import records_changed
from contacts.models import BreachAction, Contact, ContactChangeRequest, ContactPlan

from .models import CheckTriggerEvent, Enquiry, EnquirySchedule, RiskAssessment, RiskReview

# Everything risk.snapshots.snapshots_for and risk.due.due_entries read about a case.
CASE_RECORDS = [
    AgencyInvolvement,
    BreachAction,  # a breach hearing is in "What's due" until its result is recorded
    CheckTriggerEvent,
    Contact,
    ContactChangeRequest,
    ContactPlan,
    Enquiry,
    EnquirySchedule,
    KeyIndividual,
    Order,  # when supervision started, and whether it is unpaid work only
    ProtectedPerson,
    ResponsibleOfficerAssignment,  # when the case was allocated: the induction clock
    RestrainingOrder,
    RiskAssessment,
    RiskReview,
]


def _case_record_changed(sender, instance, **kwargs):
    records_changed(instance.service_user_id)


def _offence_changed(sender, instance, **kwargs):
    records_changed(instance.order.service_user_id)


def _protected_people_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        records_changed(instance.service_user_id)


def connect():
    for model in CASE_RECORDS:
        post_save.connect(_case_record_changed, sender=model, dispatch_uid=f"case-status-{model.__name__}-save")
        post_delete.connect(_case_record_changed, sender=model, dispatch_uid=f"case-status-{model.__name__}-delete")
    for model in (Offence, Requirement):  # records under an order
        post_save.connect(_offence_changed, sender=model, dispatch_uid=f"case-status-{model.__name__}-save")
        post_delete.connect(_offence_changed, sender=model, dispatch_uid=f"case-status-{model.__name__}-delete")
    m2m_changed.connect(
        _protected_people_changed,
        sender=RestrainingOrder.protected_people.through,
        dispatch_uid="case-status-RestrainingOrder-protected_people",
    )
