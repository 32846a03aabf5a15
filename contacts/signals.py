"""What closing a case means for contacts: a termination contact on the record, no contact plan in force (so
the contact sweeps and "What's due" have nothing left to ask for), and no appointment still to come (each is
cancelled with the closure as its reason, so the person is sent no reminder for it). Runs inside
casework.services.case_close's transaction, through casework.hooks.case_closed."""

from datetime import datetime, time

from django.utils import timezone

from casework.constants import EventKind
from casework.hooks import case_closed
from casework.services import record_case_event

from .appointments import appointment_cancel
from .constants import ContactType, WithWhom
from .models import Contact, ContactPlan
from .selectors import LOCAL_TZ


def record_termination(sender, *, case, actor, closed_on, reason, **kwargs) -> None:
    moment = min(datetime.combine(closed_on, time(9, 0), tzinfo=LOCAL_TZ), timezone.now())
    contact = Contact.objects.create(
        service_user=case,
        contact_type=ContactType.TERM,
        starts_at=moment,
        with_whom=WithWhom.OTHER,
        officer=actor,
        notes=f"Supervision ended. {reason}",
        created_by=actor,
        updated_by=actor,
    )
    record_case_event(
        actor=actor, case=case, kind=EventKind.CREATED, record=contact, summary=f"Contact logged: {contact}"
    )
    for plan in ContactPlan.objects.filter(service_user=case, ends_on__isnull=True):
        plan.ends_on, plan.updated_by = max(closed_on, plan.starts_on), actor
        plan.save(update_fields=["ends_on", "updated_by", "updated_at"])
    to_come = Contact.objects.filter(
        service_user=case, arranged=True, outcome="", cancelled_at__isnull=True, starts_at__gt=timezone.now()
    )
    for appointment in to_come.order_by("starts_at"):
        appointment_cancel(actor=actor, contact=appointment, reason=f"Case closed: {reason}")


def connect() -> None:
    case_closed.connect(record_termination, dispatch_uid="contacts.record_termination")
