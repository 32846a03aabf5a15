"""Breach and recall as journeys (writes). Pure rules are in contacts/breach_rules.py.

Court breach, for a community or suspended sentence order: referral for a failure without reasonable excuse ->
breach report submitted -> court hearing date (in "What's due") -> the court's result. Recall, for a licence:
the officer's recommendation -> a line manager's countersignature -> the decision. Each step is a service taking
plain values, checked, on the case's timeline."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind, NotificationKind, OrderStatus
from casework.models import Order, ServiceUser, User
from casework.notifications import notify
from casework.services import order_end, record_case_event
from core import permissions
from core.errors import CaseworkError

from . import breach_rules, rules, selectors
from .constants import FAILURES, BreachResult, RecallDecision
from .models import BreachAction, Contact, Recall


def _words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _failure_order(contact: Contact, *, recall: bool) -> Order:
    """The order a failure is on, checked for the route: court breach for an order, recall for a licence."""
    if contact.outcome not in FAILURES:
        raise CaseworkError(
            "Only a failure to comply judged unacceptable can be referred. Decide the absence first", field="failure"
        )
    period = selectors.contact_order(contact, selectors.order_periods(contact.service_user))
    if period is None:
        raise CaseworkError("This contact is not under any order of the case. Check the orders and the date")
    if problem := breach_rules.route_problem(period.order_type, recall=recall):
        raise CaseworkError(problem)
    return Order.objects.select_for_update().get(pk=period.pk)


def _locked(model, record):
    return model.objects.select_for_update().select_related("service_user", "order").get(pk=record.pk)


def _on_timeline(actor: User, record, summary: str, *, kind=EventKind.UPDATED, text=("", ""), changes=None) -> None:
    """Every step goes on the case's timeline; the free text it recorded (a (label, text) pair) as the change."""
    label, words = text
    record_case_event(
        actor=actor,
        case=record.service_user,
        kind=kind,
        record=record,
        summary=summary,
        changes=changes if changes is not None else ([{"field": label, "from": "", "to": words}] if words else []),
    )


@transaction.atomic
def breach_refer(*, actor: User, contact: Contact, referred_on: date, reason: str) -> BreachAction:
    """Refer an unacceptable failure on a community or suspended sentence order for breach."""
    order = _failure_order(contact, recall=False)
    if not reason.strip():
        raise CaseworkError("Enter why the failure is referred for breach", field="reason")
    failure_on = rules.local_date(contact.starts_at, selectors.LOCAL_TZ)
    if problem := breach_rules.referral_date_problem(referred_on, failure_on=failure_on, today=timezone.localdate()):
        raise CaseworkError(problem, field="referred_on")
    if BreachAction.objects.filter(order=order, result="").exists():
        raise CaseworkError(
            "This order already has a breach waiting for the court's result. Add to that breach instead"
        )
    breach = BreachAction.objects.create(
        service_user=contact.service_user,
        order=order,
        failure=contact,
        referred_on=referred_on,
        reason=reason,
        created_by=actor,
        updated_by=actor,
    )
    summary = f"Referred for breach of the {order.get_order_type_display().lower()}: {contact}"
    _on_timeline(actor, breach, summary, kind=EventKind.CREATED, text=("Reason", reason))
    return breach


@transaction.atomic
def breach_report_submit(*, actor: User, breach: BreachAction, submitted_on: date) -> BreachAction:
    """The breach report has gone to the court (date submitted, and by whom: the person recording it)."""
    breach = _locked(BreachAction, breach)
    if breach.report_submitted_on:
        raise CaseworkError("The breach report has already been recorded as submitted")
    today = timezone.localdate()
    if problem := breach_rules.report_date_problem(submitted_on, referred_on=breach.referred_on, today=today):
        raise CaseworkError(problem, field="submitted_on")
    breach.report_submitted_on, breach.report_submitted_by, breach.updated_by = submitted_on, actor, actor
    breach.save()
    _on_timeline(actor, breach, f"Breach report submitted on {_words(submitted_on)}")
    return breach


@transaction.atomic
def breach_hearing_set(*, actor: User, breach: BreachAction, hearing_on: date, court: str) -> BreachAction:
    """The date the court listed the breach for. It can be moved (relisted) until the result is recorded."""
    breach = _locked(BreachAction, breach)
    if breach.result:
        raise CaseworkError("The court's result is already recorded for this breach")
    if not breach.report_submitted_on:
        raise CaseworkError("Record the breach report as submitted before the hearing date")
    if problem := breach_rules.hearing_date_problem(hearing_on, today=timezone.localdate()):
        raise CaseworkError(problem, field="hearing_on")
    if not court.strip():
        raise CaseworkError("Enter the court the hearing is at", field="court")
    before = _words(breach.hearing_on) if breach.hearing_on else ""
    breach.hearing_on, breach.court, breach.updated_by = hearing_on, court.strip(), actor
    breach.save()
    _on_timeline(
        actor,
        breach,
        f"Breach hearing listed for {_words(hearing_on)} at {breach.court}",
        changes=[{"field": "Hearing date", "from": before, "to": _words(hearing_on)}],
    )
    return breach


@transaction.atomic
def breach_result_record(
    *, actor: User, breach: BreachAction, result: str, result_on: date, notes: str = ""
) -> BreachAction:
    """What the court did. An order revoked and resentenced ends as revoked (order_revoke)."""
    breach = _locked(BreachAction, breach)
    if breach.result:
        raise CaseworkError("The court's result is already recorded for this breach")
    if not breach.hearing_on:
        raise CaseworkError("Record the hearing date before the result")
    if result not in BreachResult.values:
        raise CaseworkError("Select what the court decided", field="result")
    today = timezone.localdate()
    if problem := breach_rules.result_date_problem(result_on, hearing_on=breach.hearing_on, today=today):
        raise CaseworkError(problem, field="result_on")
    breach.result, breach.result_on, breach.result_notes, breach.updated_by = result, result_on, notes, actor
    breach.save()
    _on_timeline(
        actor, breach, f"Breach result on {_words(result_on)}: {breach.get_result_display()}", text=("Notes", notes)
    )
    if result == BreachResult.REVOKED:
        order_revoke(actor=actor, order=breach.order, revoked_on=result_on)
    return breach


def order_revoke(*, actor: User, order: Order, revoked_on: date) -> None:
    """The court revoked the order on `revoked_on` (and resentenced): it ends as revoked through the order's
    lifecycle (casework.services.order_end), which closes the case when it was the last order in force."""
    order_end(
        actor=actor,
        order_id=order.pk,
        status=OrderStatus.REVOKED,
        ended_on=revoked_on,
        reason="Revoked and resentenced by the court on breach",
    )


@transaction.atomic
def recall_recommend(*, actor: User, contact: Contact, reasons: str, recommended_on: date | None = None) -> Recall:
    """The officer recommends recall of a licence for a failure; the team's line managers are asked to
    countersign."""
    order = _failure_order(contact, recall=True)
    if not reasons.strip():
        raise CaseworkError("Enter your reasons for recommending recall", field="reasons")
    recommended_on = recommended_on or timezone.localdate()
    if Recall.objects.filter(order=order, decision="").exists():
        raise CaseworkError("This licence already has a recall recommendation waiting for a decision")
    case: ServiceUser = contact.service_user
    recall = Recall.objects.create(
        service_user=case,
        order=order,
        failure=contact,
        recommended_by=actor,
        recommended_on=recommended_on,
        reasons=reasons,
        created_by=actor,
        updated_by=actor,
    )
    summary = f"Recall recommended for {contact}: waiting for the line manager's countersignature"
    _on_timeline(actor, recall, summary, kind=EventKind.CREATED, text=("Reasons", reasons))
    notify(
        case.team.managers.filter(is_active=True).exclude(pk=actor.pk),
        kind=NotificationKind.APPROVAL_WAITING,
        case=case,
        message=f"{actor} recommends recall of {case.crn}: waiting for your countersignature",
        url=reverse("contacts:recall", kwargs={"crn": case.crn, "recall_id": recall.pk}),
        key=f"recall-countersign:{recall.pk}",
    )
    return recall


@transaction.atomic
def recall_countersign(*, actor: User, recall: Recall, comments: str = "") -> Recall:
    """A line manager of the case's team countersigns the recommendation (never the officer who made it)."""
    recall = _locked(Recall, recall)
    problem = breach_rules.countersign_problem(
        signer_id=actor.pk,
        recommended_by_id=recall.recommended_by_id,
        already_countersigned=recall.countersigned_at is not None,
    )
    if problem:
        raise CaseworkError(problem)
    permissions.require(actor, "countersign_recall", recall)
    recall.countersigned_by, recall.countersigned_at = actor, timezone.now()
    recall.countersign_comments, recall.updated_by = comments, actor
    recall.save()
    _on_timeline(actor, recall, "Recall recommendation countersigned", text=("Comments", comments))
    return recall


@transaction.atomic
def recall_decide(*, actor: User, recall: Recall, decision: str, decided_on: date, notes: str = "") -> Recall:
    """The recall decision: recalled, or not recalled (for example a further warning), with its date."""
    recall = _locked(Recall, recall)
    if recall.decision:
        raise CaseworkError("The recall decision is already recorded")
    if recall.countersigned_at is None:
        raise CaseworkError("The recommendation must be countersigned by a line manager before the decision")
    if decision not in RecallDecision.values:
        raise CaseworkError("Select the recall decision", field="decision")
    today = timezone.localdate()
    if problem := breach_rules.decision_date_problem(decided_on, recommended_on=recall.recommended_on, today=today):
        raise CaseworkError(problem, field="decided_on")
    if decision == RecallDecision.NOT_RECALLED and not notes.strip():
        raise CaseworkError("Enter what happens instead of recall, for example a further warning", field="notes")
    recall.decision, recall.decided_on, recall.decision_notes, recall.updated_by = decision, decided_on, notes, actor
    recall.save()
    _on_timeline(
        actor,
        recall,
        f"Recall decision on {_words(decided_on)}: {recall.get_decision_display()}",
        text=("Notes", notes),
    )
    return recall
