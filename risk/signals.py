"""Mark a case's stored status (risk.case_status) out of date whenever a record it is worked out from changes, and
recalculate the case's tier when one of its inputs changes.

Signals rather than calls in each service, so admin edits and every future write path are caught
too. Writes that bypass signals (bulk_create, queryset.update) call casework.services.records_changed themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    ResponsibleOfficerAssignment,
    RestrainingOrder,
    ServiceUser,
)
from casework.services import records_changed
from contacts.models import BreachAction, Contact, ContactChangeRequest, ContactPlan

from .models import CaseTier, CheckTriggerEvent, Enquiry, EnquirySchedule, RiskAssessment, RiskReview
from .selectors import BREACH_OR_RECALL_ACTIONS
from .services import case_tier_recalculate

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


# The tier's inputs outside the risk record and tier factors (whose services recalculate it themselves): the
# orders in force and their requirements (mandate for change, licence), the person's gender (additional factors
# for women) and breach or recall actions in the contact log. Field values as loaded, to tell a change.
TIER_FIELDS = {
    Order: ("order_type", "status"),
    Requirement: ("requirement_type", "status"),
    ServiceUser: ("gender",),
    Contact: ("enforcement_action", "starts_at"),
}


def _tier_values(instance) -> tuple:
    # From __dict__, not getattr: reading a deferred field (a list's .only()) would cost a query per row.
    return tuple(instance.__dict__.get(name) for name in TIER_FIELDS[type(instance)])


def _remember_tier_inputs(sender, instance, **kwargs):
    instance._tier_loaded = _tier_values(instance)


def _case_id_for_tier(instance) -> int:
    if isinstance(instance, ServiceUser):
        return instance.pk
    if isinstance(instance, Requirement):
        return instance.order.service_user_id
    return instance.service_user_id


def _tier_input_matters(instance, before: tuple | None) -> bool:
    if isinstance(instance, Contact):  # only breach and recall actions (recorded, or now corrected) are an input
        return bool({instance.enforcement_action, *(before or ())[:1]} & BREACH_OR_RECALL_ACTIONS)
    return True


def _recalculate_tier(instance, actor) -> None:
    """Recalculate a tier already worked out (the first is worked out with the risk record or at allocation), in
    the writer's transaction; the timeline shows it only if the tier changes."""
    case_id = _case_id_for_tier(instance)
    if CaseTier.objects.filter(service_user_id=case_id).exists():
        case = instance if isinstance(instance, ServiceUser) else ServiceUser.objects.get(pk=case_id)
        case_tier_recalculate(actor=actor, case=case)


def _tier_input_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_tier_loaded", None)
    instance._tier_loaded = _tier_values(instance)
    if (created or before != instance._tier_loaded) and _tier_input_matters(instance, before):
        _recalculate_tier(instance, getattr(instance, "updated_by", None))


def _tier_input_deleted(sender, instance, **kwargs):
    if _tier_input_matters(instance, None):
        _recalculate_tier(instance, None)


def connect():
    for model in TIER_FIELDS:
        uid = f"tier-{model.__name__}"
        post_init.connect(_remember_tier_inputs, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(_tier_input_saved, sender=model, dispatch_uid=f"{uid}-save")
        if model is not ServiceUser:
            post_delete.connect(_tier_input_deleted, sender=model, dispatch_uid=f"{uid}-delete")
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
