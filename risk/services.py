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
from casework.services import check_same_case, record_case_event, validate_record
from contacts.constants import WithWhom
from contacts.models import Contact
from contacts.selectors import LOCAL_TZ
from core.errors import CaseworkError
from core.queue import enqueue_on_commit

from .constants import ENQUIRY_CONTACT_CODES, EnquiryResult
from .models import Enquiry, EnquirySchedule, RiskAssessment, RiskReview

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
    previous = case.risk_assessments.first()
    assessment = RiskAssessment(
        service_user=case,
        rosh_level=rosh_level,
        assessed_on=assessed_on,
        review_on=review_on,
        mappa_level=mappa_level,
        created_by=actor,
        **{name: name in flags for name in RISK_FLAGS},
    )
    validate_record(assessment)
    assessment.save()
    changes = []
    if previous:
        for name in (
            "rosh_level",
            "review_on",
            "domestic_abuse_perpetrator",
            "child_protection_concerns",
            "mappa_level",
        ):
            before, after = getattr(previous, name), getattr(assessment, name)
            if before != after:
                label = RiskAssessment._meta.get_field(name).verbose_name.capitalize()
                display = getattr(assessment, f"get_{name}_display", None)
                changes.append({"field": label, "from": str(before), "to": display() if display else str(after)})
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=assessment,
        summary=f"Risk record updated: {assessment}",
        changes=changes,
    )
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
        from .tasks import notify_risk_review

        enqueue_on_commit(notify_risk_review, review.pk)
    return enquiry


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
