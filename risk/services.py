"""Writes for risk: assessments, enquiries and their responses, schedules and risk reviews."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind
from casework.models import ServiceUser, User
from casework.selectors import restricted_user_ids
from casework.services import check_same_case, record_case_event, record_changes, validate_record
from contacts.constants import ContactType, WithWhom
from contacts.models import Contact
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from core.queue import enqueue_on_commit

from . import selectors, tier
from .constants import ENQUIRY_CONTACT_CODES, ComplexityFactor, EnquiryResult, Need, NeedSeverity, WomensFactor
from .models import CaseTier, CheckTriggerEvent, Enquiry, EnquirySchedule, RiskAssessment, RiskReview, TierFactors

# Who is at risk, and the flags: yes/no answers on each version of the risk record.
RISK_FLAGS = (
    "risk_to_known_adult",
    "risk_to_children",
    "risk_to_public",
    "risk_to_staff",
    "domestic_abuse_perpetrator",
    "domestic_abuse_victim",
    "child_protection_concerns",
)


@transaction.atomic
def risk_assessment_add(
    *,
    actor: User,
    case: ServiceUser,
    rosh_level: str,
    assessed_on: date,
    review_on: date,
    mappa_level: str = "",
    mappa_category: str = "",
    flags: set[str] | frozenset = frozenset(),
) -> RiskAssessment:
    """A new version of the risk record; the previous one stays as history. `flags` names the RISK_FLAGS
    that apply."""
    if set(flags) - set(RISK_FLAGS):
        raise CaseworkError(f"Unknown risk flags: {', '.join(sorted(set(flags) - set(RISK_FLAGS)))}")
    if assessed_on > timezone.localdate():
        raise CaseworkError("The date the risk was assessed must be today or in the past", field="assessed_on")
    if review_on <= assessed_on:
        raise CaseworkError("The review date must be after the date the risk was assessed", field="review_on")
    if mappa_category and not mappa_level:
        raise CaseworkError("Select the MAPPA level, or no MAPPA category", field="mappa_level")
    previous = case.risk_assessments.first()
    assessment = RiskAssessment(
        service_user=case,
        rosh_level=rosh_level,
        assessed_on=assessed_on,
        review_on=review_on,
        mappa_level=mappa_level,
        mappa_category=mappa_category,
        created_by=actor,
        **{name: name in flags for name in RISK_FLAGS},
    )
    validate_record(assessment)
    assessment.save()
    # What changed since the previous version, read the same way as any record's change.
    watched = (
        "rosh_level",
        "review_on",
        "domestic_abuse_perpetrator",
        "child_protection_concerns",
        "mappa_level",
        "mappa_category",
    )
    changes = record_changes(previous, {name: getattr(assessment, name) for name in watched}) if previous else []
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=assessment,
        summary=f"Risk record updated: {assessment}",
        changes=changes,
    )
    case_tier_recalculate(actor=actor, case=case)
    return assessment


def _log_contact(*, actor, case, code, when: date, enquiry: Enquiry, notes: str) -> None:
    """Enquiries also appear in the contact log under their national codes."""
    moment = datetime.combine(when, time(9, 0), tzinfo=LOCAL_TZ)
    Contact.objects.create(
        service_user=case,
        contact_type=code,
        starts_at=moment,
        with_whom=WithWhom.AGENCY if enquiry.agency else WithWhom.OTHER,
        agency=enquiry.agency,
        officer=actor,
        notes=notes,
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def enquiry_request(
    *, actor: User, case: ServiceUser, kind: str, requested_on: date, response_due_on: date, agency=None
) -> Enquiry:
    """Record that a police or children's services enquiry was asked for; it also goes in the contact log."""
    check_same_case(case, {"agency": agency})
    if requested_on > timezone.localdate():
        raise CaseworkError("The date the enquiry was requested must be today or in the past", field="requested_on")
    if response_due_on < requested_on:
        raise CaseworkError("The response due date must be on or after the date requested", field="response_due_on")
    enquiry = Enquiry(
        service_user=case,
        kind=kind,
        requested_on=requested_on,
        response_due_on=response_due_on,
        agency=agency,
        created_by=actor,
        updated_by=actor,
    )
    validate_record(enquiry)
    enquiry.save()
    requested_code, _ = ENQUIRY_CONTACT_CODES[enquiry.kind]
    _log_contact(
        actor=actor,
        case=case,
        code=requested_code,
        when=enquiry.requested_on,
        enquiry=enquiry,
        notes=f"{enquiry.get_kind_display()} requested. Response due {enquiry.response_due_on:%d %B %Y}.",
    )
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CREATED,
        record=enquiry,
        summary=f"{enquiry.get_kind_display()} requested",
    )
    enqueue_on_commit("risk.tasks.enquiry_recorded", enquiry.pk)  # resolves the reminders it answers
    return enquiry


@transaction.atomic
def enquiry_response_record(
    *, actor: User, enquiry: Enquiry, received_on: date | None, result: str, summary: str
) -> Enquiry:
    """Record what came back. New incidents open a risk review and tell the line manager."""
    enquiry = Enquiry.objects.select_for_update().select_related("service_user").get(pk=enquiry.pk)
    if enquiry.result:
        raise CaseworkError("A response has already been recorded for this enquiry")
    if result == EnquiryResult.NO_RESPONSE and enquiry.last_chased_on is None:
        raise CaseworkError(
            "Chase the response before closing the enquiry as no response, so the chase is on record", field="result"
        )
    case = enquiry.service_user
    enquiry.response_received_on, enquiry.result, enquiry.summary = received_on, result, summary
    enquiry.updated_by = actor
    enquiry.save()
    enqueue_on_commit("risk.tasks.enquiry_recorded", enquiry.pk)  # resolves "response overdue"
    _, received_code = ENQUIRY_CONTACT_CODES[enquiry.kind]
    if received_on:
        _log_contact(
            actor=actor,
            case=case,
            code=received_code,
            when=received_on,
            enquiry=enquiry,
            notes=f"{enquiry.get_result_display()}. {summary}".strip(),
        )
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=enquiry,
        summary=f"{enquiry.get_kind_display()} response: {enquiry.get_result_display().lower()}",
        changes=[{"field": "Summary", "from": "", "to": summary}] if summary else [],
    )
    if result == EnquiryResult.INCIDENTS:
        review = RiskReview.objects.create(
            service_user=case,
            enquiry=enquiry,
            reason=f"{enquiry.get_kind_display()} found new incidents",
        )
        record_case_event(
            actor=actor,
            case=case,
            kind=EventKind.CREATED,
            record=review,
            summary="Risk review needed: new incidents reported",
        )
        # By name: the tasks module imports this one, so importing it here would be a loop.
        enqueue_on_commit("risk.tasks.notify_risk_review", review.pk)
    return enquiry


@transaction.atomic
def enquiry_chase(*, actor: User, enquiry: Enquiry, chased_on: date, notes: str = "") -> Enquiry:
    """Chase an unanswered enquiry: on the enquiry, in the contact log and on the timeline."""
    locked = Enquiry.objects.select_for_update(of=("self",))  # not the nullable agency's row (PostgreSQL refuses)
    enquiry = locked.select_related("service_user", "agency").get(pk=enquiry.pk)
    if enquiry.result:
        raise CaseworkError("This enquiry already has its response recorded")
    if chased_on > timezone.localdate():
        raise CaseworkError("The date chased must be today or in the past", field="chased_on")
    if chased_on < enquiry.requested_on:
        raise CaseworkError("The enquiry cannot be chased before it was requested", field="chased_on")
    enquiry.last_chased_on, enquiry.updated_by = chased_on, actor
    enquiry.save(update_fields=["last_chased_on", "updated_by", "updated_at"])
    case = enquiry.service_user
    _log_contact(
        actor=actor,
        case=case,
        code=ContactType.CIEA,
        when=chased_on,
        enquiry=enquiry,
        notes=f"Chased the {enquiry.get_kind_display().lower()} of {enquiry.requested_on:%d %B %Y}. {notes}".strip(),
    )
    record_case_event(
        actor=actor, case=case, kind=EventKind.UPDATED, record=enquiry, summary=f"{enquiry.get_kind_display()} chased"
    )
    return enquiry


@transaction.atomic
def check_trigger_record(*, actor: User, case: ServiceUser, trigger: str, noticed_on: date, notes: str = ""):
    """A change that calls for the police and children's services checks again (new relationship, address,
    contact with children, incident): both checks fall due from the day it was learned of."""
    if noticed_on > timezone.localdate():
        raise CaseworkError("The date you learned of it must be today or in the past", field="noticed_on")
    event = CheckTriggerEvent(
        service_user=case, trigger=trigger, noticed_on=noticed_on, notes=notes, created_by=actor, updated_by=actor
    )
    validate_record(event)
    event.save()
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CREATED,
        record=event,
        summary=f"{event.get_trigger_display()}: police and children's services checks due again",
        changes=[{"field": "Notes", "from": "", "to": notes}] if notes else [],
    )
    return event


@transaction.atomic
def enquiry_schedule_set(
    *, actor: User, case: ServiceUser, kind: str, interval_days: int, source: str, active: bool = True
) -> EnquirySchedule:
    schedule, created = EnquirySchedule.objects.select_for_update().get_or_create(
        service_user=case,
        kind=kind,
        defaults={
            "interval_days": interval_days,
            "source": source,
            "active": active,
            "created_by": actor,
            "updated_by": actor,
        },
    )
    if not created:
        schedule.interval_days, schedule.source, schedule.active, schedule.updated_by = (
            interval_days,
            source,
            active,
            actor,
        )
        schedule.save()
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=schedule,
        summary=f"Enquiry schedule set: {schedule}" + ("" if active else " (paused)"),
    )
    return schedule


@transaction.atomic
def risk_review_record(*, actor: User, review: RiskReview, notes: str) -> RiskReview:
    review = RiskReview.objects.select_for_update().select_related("service_user").get(pk=review.pk)
    if review.closed_at:
        raise CaseworkError(f"This review was already recorded by {review.closed_by}")
    review.closed_at, review.closed_by, review.review_notes = timezone.now(), actor, notes
    review.save()
    record_case_event(
        actor=actor,
        case=review.service_user,
        kind=EventKind.UPDATED,
        record=review,
        summary="Risk review recorded",
        changes=[{"field": "Review", "from": "", "to": notes}],
    )
    return review


@transaction.atomic
def notify_managers_of_review(review_id: int) -> int:
    """Email the case's line managers once. Safe to run twice: the second run finds it done."""
    review = RiskReview.objects.select_for_update().select_related("service_user__team").get(pk=review_id)
    if review.managers_notified_at:
        return 0
    case = review.service_user
    managers = list(case.team.managers.filter(is_active=True))
    blocked = restricted_user_ids(case, [m.pk for m in managers])
    recipients = [m.email for m in managers if m.email and m.pk not in blocked]
    if recipients:
        url = settings.SITE_URL + reverse("risk:case_risk", kwargs={"crn": case.crn})
        # No names in the subject: email subjects travel further than the message body.
        send_mail(
            subject=f"Risk review needed: case {case.crn}",
            message=f"{review.reason} on case {case.crn} ({case.team}).\n\nThe responsible officer must record a "
            f"risk review. See the case: {url}\n",
            from_email=None,
            recipient_list=recipients,
        )
    review.managers_notified_at = timezone.now()
    review.save(update_fields=["managers_notified_at"])
    return len(recipients)


# --- Tier ------------------------------------------------------------------------------------------

# The risk record's flags shown as tags beside the tier, in this order.
TIER_FLAG_LABELS = (
    ("domestic_abuse_perpetrator", "Domestic abuse"),
    ("child_protection_concerns", "Child protection"),
    ("risk_to_children", "Risk to children"),
    ("risk_to_staff", "Risk to staff"),
)


def _check_tier_factors(*, complexity_factors, womens_factors, rsr_score, ogrs_score, needs) -> None:
    if set(complexity_factors) - set(ComplexityFactor.values):
        raise CaseworkError("Select complexity factors from the list", field="complexity_factors")
    if set(womens_factors) - set(WomensFactor.values):
        raise CaseworkError("Select additional factors for women from the list", field="womens_factors")
    if rsr_score is not None and not 0 <= rsr_score <= 100:
        raise CaseworkError("Enter an RSR score between 0 and 100", field="rsr_score")
    if ogrs_score is not None and not 0 <= ogrs_score <= 100:
        raise CaseworkError("Enter an OGRS score between 0 and 100", field="ogrs_score")
    if set(needs) - set(Need.values) or set(needs.values()) - set(NeedSeverity.values):
        raise CaseworkError("Select each need's severity from the list", field="needs")


@transaction.atomic
def tier_factors_record(
    *,
    actor: User,
    case: ServiceUser,
    complexity_factors=(),
    womens_factors=(),
    rsr_score=None,
    ogrs_score: int | None = None,
    needs: dict | None = None,
) -> TierFactors:
    """A new version of the tier factors the officer records (the previous stays as history); recalculates the tier."""
    needs = {k: v for k, v in (needs or {}).items() if v}
    _check_tier_factors(
        complexity_factors=complexity_factors,
        womens_factors=womens_factors,
        rsr_score=rsr_score,
        ogrs_score=ogrs_score,
        needs=needs,
    )
    factors = TierFactors.objects.create(
        service_user=case,
        complexity_factors=sorted(set(complexity_factors)),
        womens_factors=sorted(set(womens_factors)),
        rsr_score=rsr_score,
        ogrs_score=ogrs_score,
        needs=needs,
        created_by=actor,
    )
    labels = [ComplexityFactor(f).label for f in factors.complexity_factors]
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=factors,
        summary="Tier factors recorded",
        changes=[
            {"field": "Complexity factors", "from": "", "to": ", ".join(labels) or "None"},
            {"field": "RSR score", "from": "", "to": "Not recorded" if rsr_score is None else f"{rsr_score}%"},
            {"field": "OGRS score", "from": "", "to": "Not recorded" if ogrs_score is None else f"{ogrs_score}%"},
        ],
    )
    case_tier_recalculate(actor=actor, case=case)
    return factors


@transaction.atomic
def case_tier_recalculate(*, actor: User | None, case: ServiceUser, why: str = "") -> CaseTier:
    """Work out the case's tier from its records and store it; a new or changed tier goes on the timeline, with
    `why` when the change has a cause the records do not show (a breach that no longer counts)."""
    result = tier.calculate(selectors.tier_inputs(case))
    risk = case.risk_assessments.first()
    stored = CaseTier.objects.select_for_update().filter(service_user=case).first()
    before = stored.code if stored else None
    stored = stored or CaseTier(service_user=case)
    stored.protect_level, stored.change_level = result.protect, result.change
    stored.protect_points, stored.change_points = result.protect_points, result.change_points
    stored.reasons = list(result.reasons)
    stored.rosh_level = risk.rosh_level if risk else ""
    stored.mappa_level = risk.mappa_level if risk else ""
    stored.mappa_category = risk.mappa_category if risk else ""
    stored.flags = [label for name, label in TIER_FLAG_LABELS if risk and getattr(risk, name)]
    stored.calculated_at = timezone.now()
    stored.save()
    if before != stored.code:
        record_case_event(
            actor=actor,
            case=case,
            kind=EventKind.UPDATED,
            record=stored,
            summary=f"Tier {'calculated' if before is None else 'changed'}: {stored.code}"
            + (f" – {why}" if why else ""),
            changes=[{"field": "Tier", "from": before or "", "to": stored.code}]
            + [{"field": "Scored", "from": "", "to": reason} for reason in result.reasons],
        )
    return stored
