"""Reminders to the person on probation by text and email through GOV.UK Notify (issue 20).

- Contact preferences and consent by channel (`preferences_set`, `consent_set`): no consent, no message.
- Each appointment gets its reminders scheduled (`reminders_schedule`) when it is arranged, moved, or found by
  the sweep (`reminders_sweep`, every 15 minutes); one per appointment, kind and channel, so nothing is sent
  twice. Sends go through the outbox (core.queue) to `contacts.tasks.reminder_send`, which calls
  `reminder_deliver`: 429 and 5xx are retried with backoff, a permanent refusal never.
- Notify's delivery receipts (`receipt_record`) update the status; a permanent failure asks the officer to
  check the number in "What's due".
- Cancelling or moving an appointment cancels the reminders not yet sent (`reminders_cancel_for`).
"""

import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind, NotificationKind
from casework.models import ServiceUser, User
from casework.notifications import notify
from casework.services import record_case_event, records_changed
from core.errors import CaseworkError
from core.queue import enqueue_on_commit

from . import notify as notify_backends
from . import rules
from .constants import ATTENDANCE_TYPES, RECEIPT_STATUSES, Channel, ReminderStatus
from .models import Contact, ContactPlan, ContactPreferences, Reminder, ReminderSettings
from .selectors import LOCAL_TZ

SEND_TASK = "contacts.tasks.reminder_send"
# How far ahead the sweep schedules reminders, so the outbox page shows what will be sent this week.
SCHEDULE_AHEAD = timedelta(days=8)
CHANNEL_WORDS = {Channel.SMS: "Text", Channel.EMAIL: "Email"}


def preferences_for(case: ServiceUser) -> ContactPreferences | None:
    return ContactPreferences.objects.filter(service_user=case).first()


@transaction.atomic
def preferences_set(
    *, actor: User, case: ServiceUser, mobile: str, email: str, probation_in_subject: bool = False
) -> ContactPreferences:
    """Record the service user's mobile number (a UK mobile, stored in E.164) and email address. A changed
    number or address needs consent again: consent was given for the old one."""
    mobile = (mobile or "").strip()
    if mobile:
        try:
            mobile = rules.uk_mobile_e164(mobile)
        except ValueError as error:
            raise CaseworkError(str(error), field="mobile") from None
    email = (email or "").strip()
    prefs, _ = ContactPreferences.objects.select_for_update().get_or_create(
        service_user=case, defaults={"created_by": actor}
    )
    changes = []
    for field, value, consent in (("mobile", mobile, "sms"), ("email", email, "email")):
        if getattr(prefs, field) != value:
            changes.append(
                {
                    "field": field.replace("mobile", "Mobile number").replace("email", "Email address"),
                    "from": getattr(prefs, field),
                    "to": value,
                }
            )
            setattr(prefs, field, value)
            if getattr(prefs, f"{consent}_consent_at"):
                setattr(prefs, f"{consent}_consent_at", None)
                setattr(prefs, f"{consent}_consent_by", None)
                _cancel_scheduled(case, consent)
    prefs.probation_in_subject = probation_in_subject
    prefs.updated_by = actor
    prefs.save()
    if changes:
        records_changed(case.pk)  # a new number answers "check the mobile number" in "What's due"
        record_case_event(
            actor=actor,
            case=case,
            kind=EventKind.UPDATED,
            record=prefs,
            summary="Contact details for reminders changed",
            changes=changes,
        )
    return prefs


@transaction.atomic
def consent_set(*, actor: User, case: ServiceUser, channel: str, consented: bool) -> ContactPreferences:
    """Record that the service user agreed to reminders by `channel` (who recorded it and when), or withdrew.
    Withdrawing cancels the reminders not yet sent."""
    prefs = ContactPreferences.objects.select_for_update().filter(service_user=case).first()
    address = "mobile" if channel == Channel.SMS else "email"
    if consented and (prefs is None or not getattr(prefs, address)):
        what = "mobile number" if channel == Channel.SMS else "email address"
        raise CaseworkError(f"Enter the {what} before recording consent", field=address)
    if prefs is None:
        raise CaseworkError("There is no consent to withdraw")
    words = CHANNEL_WORDS[channel].lower()
    already = getattr(prefs, f"{channel}_consent_at") is not None
    if consented == already:
        raise CaseworkError(
            f"Consent to {words} reminders is already recorded"
            if consented
            else f"There is no consent to {words} reminders to withdraw"
        )
    setattr(prefs, f"{channel}_consent_at", timezone.now() if consented else None)
    setattr(prefs, f"{channel}_consent_by", actor if consented else None)
    prefs.updated_by = actor
    prefs.save()
    if consented:
        for appointment in _upcoming(case):
            reminders_schedule(appointment)
    else:
        _cancel_scheduled(case, channel)
    summary = f"Agreed to {words} reminders" if consented else f"Withdrew consent to {words} reminders"
    record_case_event(actor=actor, case=case, kind=EventKind.UPDATED, record=prefs, summary=summary)
    return prefs


def _upcoming(case: ServiceUser):
    now = timezone.now()
    return Contact.objects.filter(
        service_user=case,
        arranged=True,
        outcome="",
        cancelled_at__isnull=True,
        contact_type__in=ATTENDANCE_TYPES,
        starts_at__gt=now,
        starts_at__lte=now + SCHEDULE_AHEAD,
    ).select_related("service_user")


def _cancel_scheduled(case: ServiceUser, channel: str) -> None:
    Reminder.objects.filter(service_user=case, channel=channel, status=ReminderStatus.SCHEDULED).update(
        status=ReminderStatus.CANCELLED, status_at=timezone.now()
    )


def reminders_cancel_for(contact_ids: list[int]) -> int:
    """Cancel the reminders not yet sent for these appointments (moved or cancelled)."""
    return Reminder.objects.filter(contact_id__in=contact_ids, status=ReminderStatus.SCHEDULED).update(
        status=ReminderStatus.CANCELLED, status_at=timezone.now()
    )


def _recipients(prefs: ContactPreferences | None) -> list[tuple[str, str]]:
    if prefs is None:
        return []
    found = []
    if prefs.sms_consented:
        found.append((Channel.SMS, prefs.mobile))
    if prefs.email_consented:
        found.append((Channel.EMAIL, prefs.email))
    return found


def _template_for(config: ReminderSettings, channel: str, prefs: ContactPreferences) -> str:
    if channel == Channel.SMS:
        return config.sms_template_id
    if prefs.probation_in_subject and config.email_subject_agreed_template_id:
        return config.email_subject_agreed_template_id
    return config.email_template_id


def reminders_schedule(appointment: Contact, *, now: datetime | None = None) -> list[Reminder]:
    """Schedule the reminders for one appointment on every channel the person agreed to. Those already due are
    sent through the outbox. Safe to call again: an existing reminder is left as it is."""
    now = now or timezone.now()
    if (
        appointment.outcome
        or appointment.cancelled_at
        or appointment.contact_type not in ATTENDANCE_TYPES
        or not rules.reminder_still_useful(starts_at=appointment.starts_at, now=now)
    ):
        return []
    case = appointment.service_user
    prefs = preferences_for(case)
    recipients = _recipients(prefs)
    if not recipients:
        return []
    config = ReminderSettings.current()
    starts = timezone.localtime(appointment.starts_at, LOCAL_TZ)
    personalisation = rules.reminder_personalisation(
        first_name=case.first_name, starts_at=starts, place=appointment.location, contact_phone=config.contact_phone
    )
    times = rules.reminder_times(
        starts,
        day_before_hour=config.day_before_hour,
        early_before_hour=config.early_before_hour,
        on_the_day_hour=config.on_the_day_hour,
    )
    created = []
    for kind, send_after in times:
        for channel, recipient in recipients:
            reminder = _create(appointment, kind, channel, recipient, send_after, personalisation, config, prefs)
            if reminder is not None:
                created.append(reminder)
                if send_after <= now:
                    _enqueue(reminder)
    return created


def _create(appointment, kind, channel, recipient, send_after, personalisation, config, prefs) -> Reminder | None:
    try:
        with transaction.atomic():  # a savepoint: a reminder already made leaves the caller's transaction usable
            reminder = Reminder.objects.create(
                service_user_id=appointment.service_user_id,
                contact=appointment,
                channel=channel,
                kind=kind,
                recipient=recipient,
                template_id=_template_for(config, channel, prefs),
                personalisation=personalisation,
                send_after=send_after,
                reference=f"reminder-{uuid.uuid4()}",
            )
    except IntegrityError:
        return None
    due = timezone.localtime(send_after, LOCAL_TZ)
    record_case_event(
        actor=None,
        case=appointment.service_user,
        kind=EventKind.CREATED,
        record=reminder,
        summary=f"{CHANNEL_WORDS[channel]} reminder to {reminder.recipient_text} for {appointment} "
        f"due {due:%A} {due.day} {due:%B} at {due:%H:%M}",
    )
    return reminder


def _enqueue(reminder: Reminder) -> None:
    enqueue_on_commit(SEND_TASK, reminder.pk, dedupe_key=f"reminder-send:{reminder.pk}")


@transaction.atomic
def reminders_sweep(now: datetime | None = None) -> int:
    """Schedule reminders for the appointments of the next days, and send those now due. Run twice, it sends
    nothing twice (one reminder per appointment, kind and channel; one outbox entry per reminder)."""
    now = now or timezone.now()
    consenting = ContactPreferences.objects.filter(service_user=OuterRef("service_user")).exclude(
        sms_consent_at__isnull=True, email_consent_at__isnull=True
    )
    appointments = (
        Contact.objects.filter(
            arranged=True,
            outcome="",
            cancelled_at__isnull=True,
            contact_type__in=ATTENDANCE_TYPES,
            starts_at__gt=now,
            starts_at__lte=now + SCHEDULE_AHEAD,
        )
        .filter(Exists(consenting))
        .select_related("service_user")
    )
    for appointment in appointments:
        reminders_schedule(appointment, now=now)
    due = Reminder.objects.filter(status=ReminderStatus.SCHEDULED, send_after__lte=now).select_related("contact")
    sent = 0
    for reminder in due:
        if rules.reminder_still_useful(starts_at=reminder.contact.starts_at, now=now):
            _enqueue(reminder)
            sent += 1
    return sent


def reminder_deliver(reminder_id: int) -> str:
    """Send one reminder (the outbox task calls this). Returns what happened: "sent", "refused" or "skipped".
    Raises notify.RetryLater for 429, 5xx and network failures, with the attempt recorded and the reminder left
    scheduled, so the task retries it with backoff."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("contact", "service_user")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status != ReminderStatus.SCHEDULED:
            return "skipped"  # already sent, cancelled, or sent by another worker
        backend = notify_backends.backend()
        result = _send(backend, reminder)
    if isinstance(result, notify_backends.RetryLater):
        raise result
    return result


def _send(backend, reminder: Reminder):
    reminder.attempts += 1
    try:
        reminder.notify_id = backend.send(
            channel=reminder.channel,
            recipient=reminder.recipient,
            template_id=reminder.template_id,
            personalisation=reminder.personalisation,
            reference=reminder.reference,
        )
    except notify_backends.RetryLater as error:
        reminder.last_error = str(error)[:1000]
        reminder.save(update_fields=["attempts", "last_error"])
        return error
    except notify_backends.Refused as error:
        _finish(reminder, ReminderStatus.NOT_SENT, error=str(error))
        return "refused"
    reminder.backend, reminder.sent_at = backend.name, timezone.now()
    # The console backend has nobody to deliver to: the log is its delivery.
    _finish(reminder, ReminderStatus.DELIVERED if backend.name == "console" else ReminderStatus.SENDING)
    return "sent"


def _finish(reminder: Reminder, status: str, *, error: str = "") -> None:
    reminder.status, reminder.status_at = status, timezone.now()
    if error:
        reminder.last_error = error[:1000]
    reminder.save()
    record_case_event(
        actor=None,
        case=reminder.service_user,
        kind=EventKind.UPDATED,
        record=reminder,
        summary=reminder_summary(reminder),
    )
    if status == ReminderStatus.PERMANENT_FAILURE:
        records_changed(reminder.service_user_id)  # "What's due" asks the officer to check the number
        _ask_officer_to_check(reminder)


def reminder_summary(reminder: Reminder) -> str:
    """ "Text reminder sent to 07700 900321 — delivered", as the contact and the timeline show it."""
    words = CHANNEL_WORDS[reminder.channel]
    if reminder.status == ReminderStatus.NOT_SENT:
        return f"{words} reminder to {reminder.recipient_text} not sent — refused by GOV.UK Notify"
    return f"{words} reminder sent to {reminder.recipient_text} — {_status_words(reminder.status)}"


def _status_words(status: str) -> str:
    return {
        ReminderStatus.SENDING: "sending",
        ReminderStatus.DELIVERED: "delivered",
        ReminderStatus.PERMANENT_FAILURE: "not delivered, check the number",
        ReminderStatus.TEMPORARY_FAILURE: "not delivered (phone off or inbox full)",
        ReminderStatus.TECHNICAL_FAILURE: "not delivered (technical problem)",
    }.get(status, ReminderStatus(status).label.lower())


def _ask_officer_to_check(reminder: Reminder) -> None:
    case = reminder.service_user
    what = "mobile number" if reminder.channel == Channel.SMS else "email address"
    if case.responsible_officer_id:
        notify(
            [case.responsible_officer],
            kind=NotificationKind.CONTACT_DUE,
            case=case,
            message=f"A reminder to {case.crn} could not be delivered: check the {what}",
            url=reverse("contacts:preferences", kwargs={"crn": case.crn}),
            key=f"reminder-failed:{reminder.pk}",
        )


class UnknownReminder(Exception):
    """A delivery receipt for a message this service did not send (or no longer knows)."""


@transaction.atomic
def receipt_record(*, notify_id: str, reference: str, status: str) -> Reminder:
    """A delivery receipt from Notify: move the reminder to Notify's status. A repeat receipt changes nothing."""
    if status not in RECEIPT_STATUSES and status != ReminderStatus.SENDING:
        raise ValueError(f"Unknown status {status!r}")
    reminder = (
        # Lock only the reminder: PostgreSQL refuses FOR UPDATE on the nullable responsible officer join.
        Reminder.objects.select_for_update(of=("self",))
        .select_related("service_user", "contact", "service_user__responsible_officer")
        .filter(reference=reference or "-", notify_id=notify_id or "-")
        .first()
    )
    if reminder is None:
        raise UnknownReminder(reference)
    if reminder.status == status or reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.NOT_SENT):
        return reminder
    _finish(reminder, status)
    return reminder


def failed_reminders_for_cases(case_ids: list[int]):
    """(case id, reminder id, channel) of reminders that could not be delivered for good and whose number or
    address has not changed since: the officer should check it."""
    return [
        (r.service_user_id, r.pk, r.channel)
        for r in Reminder.objects.filter(service_user__in=case_ids, status=ReminderStatus.PERMANENT_FAILURE)
        .select_related("service_user__contact_preferences")
        .order_by("-status_at")
        if _still_current(r)
    ]


def _still_current(reminder: Reminder) -> bool:
    prefs = getattr(reminder.service_user, "contact_preferences", None)
    if prefs is None:
        return False
    return reminder.recipient in (prefs.mobile, prefs.email)


def remind_officers_to_book(today=None) -> int:
    """Weekly plans with no appointment booked for next week by the local-policy weekday: remind the officer."""
    today = today or timezone.localdate()
    config = ReminderSettings.current()
    week_ahead = datetime.combine(today + timedelta(days=8), datetime.min.time(), LOCAL_TZ)
    booked = Contact.objects.filter(
        service_user=OuterRef("service_user"),
        arranged=True,
        outcome="",
        cancelled_at__isnull=True,
        starts_at__gt=timezone.now(),
        starts_at__lt=week_ahead,
    )
    sent = 0
    plans = (
        ContactPlan.objects.filter(
            ends_on__isnull=True, frequency_days=7, service_user__responsible_officer__isnull=False
        )
        .annotate(booked=Exists(booked))
        .select_related("service_user__responsible_officer")
    )
    week = today.isocalendar()
    for plan in plans:
        if rules.book_weekly_reminder_due(
            frequency_days=plan.frequency_days,
            today=today,
            by_weekday=config.book_weekly_by_weekday,
            booked_next_week=plan.booked,
        ):
            case = plan.service_user
            sent += notify(
                [case.responsible_officer],
                kind=NotificationKind.CONTACT_DUE,
                case=case,
                message=f"Book next week's appointment for {case.crn}: the weekly contact plan has none booked",
                url=reverse("contacts:arrange", kwargs={"crn": case.crn}),
                key=f"book-weekly:{case.pk}:{week.year}-{week.week}",
            )
    return sent
