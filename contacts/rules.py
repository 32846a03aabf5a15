"""Contact rules as pure functions over dates and plain values: no ORM, no request."""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers

from casework.constants import OrderType

from .constants import ATTENDED, DUE_COLOURS, PENDING, DueState

DUE_SOON_DAYS = 2


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day a moment falls on in the probation area (clock changes included)."""
    return moment.astimezone(tz).date()


def next_contact_due(*, frequency_days: int, plan_start: date, last_contact: date | None) -> date:
    """Rolling due date: `frequency_days` after the last national-standard contact, or the plan start."""
    anchor = max(last_contact, plan_start) if last_contact else plan_start
    return anchor + timedelta(days=frequency_days)


@dataclass(frozen=True)
class DueStatus:
    due_on: date
    status: DueState  # overdue, due (within DUE_SOON_DAYS) or not due
    days_overdue: int = 0

    @property
    def label(self) -> str:
        return DueState(self.status).label

    @property
    def colour(self) -> str:
        return DUE_COLOURS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.status == DueState.OVERDUE


def contact_due_status(due_on: date, today: date, due_soon_days: int = DUE_SOON_DAYS) -> DueStatus:
    if today > due_on:
        return DueStatus(due_on, DueState.OVERDUE, (today - due_on).days)
    if (due_on - today).days <= due_soon_days:
        return DueStatus(due_on, DueState.DUE)
    return DueStatus(due_on, DueState.NOT_DUE)


def credited_minutes(*, outcome: str, starts_at: datetime, ends_at: datetime | None, penalty_minutes: int) -> int:
    """Unpaid work time credited for one session: end − start − penalty, for attended sessions only."""
    if outcome not in ATTENDED or ends_at is None:
        return 0
    # Subtract in UTC: Python subtracts same-zone datetimes by wall clock, which is wrong across clock changes.
    worked = session_minutes(starts_at, ends_at) - (penalty_minutes or 0)
    return max(worked, 0)


def session_minutes(starts_at: datetime, ends_at: datetime) -> int:
    """How long a session lasted, in whole minutes (in UTC, so right across clock changes)."""
    return int((ends_at.astimezone(UTC) - starts_at.astimezone(UTC)).total_seconds() // 60)


def penalty_error(*, starts_at: datetime, ends_at: datetime | None, penalty_minutes: int | None) -> str:
    """Why these minutes cannot be deducted from this session, or "" if they can."""
    if not penalty_minutes or ends_at is None:
        return ""
    length = session_minutes(starts_at, ends_at)
    if penalty_minutes > length:
        return f"The minutes deducted cannot be more than the length of the session ({length} minutes)"
    return ""


@dataclass(frozen=True)
class UnpaidWorkProgress:
    """Hours credited against hours ordered. Credit never exceeds the hours ordered: minutes worked past them
    are not credited (the order is complete)."""

    ordered_hours: int
    worked_minutes: int

    @property
    def completed_minutes(self) -> int:
        return min(self.worked_minutes, self.ordered_hours * 60)

    @property
    def remaining_minutes(self) -> int:
        return self.ordered_hours * 60 - self.completed_minutes

    @property
    def is_complete(self) -> bool:
        return self.remaining_minutes == 0

    @staticmethod
    def hours_text(minutes: int) -> str:
        hours, mins = divmod(minutes, 60)
        return f"{hours} hours" if not mins else f"{hours} hours {mins} minutes"

    @property
    def completed_text(self) -> str:
        return self.hours_text(self.completed_minutes)

    @property
    def remaining_text(self) -> str:
        return self.hours_text(self.remaining_minutes)


# Sentencing Act 2020, Schedule 10 paragraph 6 (community orders) and Schedule 16 paragraph 6 (suspended
# sentence orders): a further failure without reasonable excuse "within the period of 12 months beginning with
# the date on which the warning was given" is referred for breach. Licences are not enforced this way: a
# failure on licence goes towards recall.
BREACH_PERIOD_MONTHS = 12
STATUTE = {
    OrderType.COMMUNITY_ORDER: "Sentencing Act 2020, Schedule 10, paragraph 6",
    OrderType.SUSPENDED_SENTENCE: "Sentencing Act 2020, Schedule 16, paragraph 6",
}


def period_end(start: date, months: int = BREACH_PERIOD_MONTHS) -> date:
    """The last day of a period of `months` months beginning with `start` (that day counts).

    "Month" in an Act is a calendar month (Interpretation Act 1978, Schedule 1). Counted by the corresponding
    date rule (Dodds v Walker [1981] 1 WLR 1027, HL), a period beginning with a date ends at the end of the day
    before the corresponding date in the month it ends: 12 months beginning with 15 March 2026 end on 14 March
    2027. Where that month has no corresponding date (a period beginning with 29 February, or the 31st), it
    ends on the last day of that month, as statutory rules that spell the calculation out provide (for example
    SI 2018/1082 rule 1.4(2)(a)(ii)): 12 months beginning with 29 February 2024 end on 28 February 2025."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


@dataclass(frozen=True)
class OrderPeriod:
    """An order as the enforcement rules see it."""

    pk: int
    order_type: str
    starts_on: date
    ends_on: date
    sentenced_on: date | None = None  # nothing on the case comes before its first sentence

    @property
    def is_licence(self) -> bool:
        return self.order_type == OrderType.LICENCE

    @property
    def order_type_label(self) -> str:
        return OrderType(self.order_type).label


def first_sentence(orders: list[OrderPeriod]) -> date | None:
    """The date of the case's first sentence, from its orders (order_periods reads every one)."""
    return min((o.sentenced_on for o in orders if o.sentenced_on), default=None)


def order_in_force(orders: list[OrderPeriod], on: date) -> OrderPeriod | None:
    """The order a contact on `on` belongs to when it is not linked to one: the order in force that day (the
    most recently started, if several), else the latest order started by then."""
    started = [o for o in orders if o.starts_on <= on]
    in_force = [o for o in started if on <= o.ends_on]
    candidates = in_force or started
    return max(candidates, key=lambda o: (o.starts_on, o.pk)) if candidates else None


@dataclass(frozen=True)
class WarningGiven:
    """A warning given for a failure, on an order. `failure_id` is the contact it was given for."""

    order_id: int | None
    given_on: date
    failure_id: int | None = None

    @property
    def period_ends_on(self) -> date:
        return period_end(self.given_on)

    def covers(self, day: date) -> bool:
        return self.given_on <= day <= self.period_ends_on


@dataclass(frozen=True)
class EnforcementAdvice:
    requires_breach: bool
    last_warning_on: date | None
    period_ends_on: date | None = None
    statute: str = ""
    licence: bool = False  # a licence: the failure goes towards recall, never the court-breach prompt


def enforcement_advice(
    *, failure_on: date, order: OrderPeriod | None, warnings: list[WarningGiven], failure_id: int | None = None
) -> EnforcementAdvice:
    """Whether a failure on `failure_on` must be referred for breach: a warning given on the same order within
    the 12-month period beginning with the date it was given (and not the warning for this failure itself)."""
    if order is None:
        return EnforcementAdvice(requires_breach=False, last_warning_on=None)
    if order.is_licence:
        return EnforcementAdvice(requires_breach=False, last_warning_on=None, licence=True)
    covering = [
        w
        for w in warnings
        if w.order_id == order.pk and w.covers(failure_on) and (failure_id is None or w.failure_id != failure_id)
    ]
    if not covering:
        return EnforcementAdvice(requires_breach=False, last_warning_on=None, statute=STATUTE.get(order.order_type, ""))
    last = max(covering, key=lambda w: w.given_on)
    return EnforcementAdvice(
        requires_breach=True,
        last_warning_on=last.given_on,
        period_ends_on=last.period_ends_on,
        statute=STATUTE.get(order.order_type, STATUTE[OrderType.COMMUNITY_ORDER]),
    )


# Local policy (no national source gives a number): a failure to attend is judged acceptable or unacceptable
# within this many days, after which the line manager is told.
ABSENCE_DECISION_DAYS = 7


def answers_contact_due(*, national_standard: bool, outcome: str) -> bool:
    """A national-standard contact attended answers the case's "contact due" reminder and its escalation."""
    return national_standard and outcome in ATTENDED


def answers_absence_decision(outcome: str) -> bool:
    """An absence decided (any outcome but none or "decision pending") answers its "absence decision overdue"."""
    return bool(outcome) and outcome not in PENDING


def answers_reminders(*, national_standard: bool, outcome: str, new: bool) -> bool:
    """Whether recording this outcome can answer a reminder (contacts.sweeps.resolve_contact_reminders), so is
    worth a follow-up task. A contact recorded just now has no "absence decision overdue" of its own yet."""
    return answers_contact_due(national_standard=national_standard, outcome=outcome) or (
        not new and answers_absence_decision(outcome)
    )


def absence_decision_due(absent_on: date, days: int = ABSENCE_DECISION_DAYS) -> date:
    return absent_on + timedelta(days=days)


def absence_decision_status(absent_on: date, today: date, days: int = ABSENCE_DECISION_DAYS) -> DueStatus:
    """A pending absence decision is due from the day of the absence, overdue after the local deadline."""
    due_on = absence_decision_due(absent_on, days)
    if today > due_on:
        return DueStatus(due_on, DueState.OVERDUE, (today - due_on).days)
    return DueStatus(due_on, DueState.DUE)


def warnings_in_force(warnings: list[WarningGiven], today: date) -> list[WarningGiven]:
    return sorted((w for w in warnings if w.covers(today)), key=lambda w: w.given_on)


@dataclass(frozen=True)
class ComplianceSummary:
    failures_last_12_months: int
    warnings_in_force: list[WarningGiven]
    breach_requested_on: date | None
    pending_decisions: int

    @property
    def status(self) -> str:
        if self.breach_requested_on:
            return "Breach requested"
        if self.warnings_in_force:
            return "Warned"
        if self.failures_last_12_months:
            return "Failures recorded"
        return "No failures"


def compliance_summary(
    *, today: date, failures: list[date], warnings: list[WarningGiven], breaches: list[date], pending: int = 0
) -> ComplianceSummary:
    """Failures in the 12 months up to today, warnings whose breach period includes today."""
    since = period_end(today, -BREACH_PERIOD_MONTHS) + timedelta(days=1)
    return ComplianceSummary(
        failures_last_12_months=sum(1 for d in failures if since <= d <= today),
        warnings_in_force=warnings_in_force(warnings, today),
        breach_requested_on=max(breaches) if breaches else None,
        pending_decisions=pending,
    )


def repeat_starts(
    *, first_day: date, at: time, every_days: int | None, until: date | None, tz: ZoneInfo
) -> list[datetime]:
    """Start times of a repeating appointment at the same wall-clock time, clock changes included."""
    days = [first_day]
    if every_days and until:
        day = first_day + timedelta(days=every_days)
        while day <= until:
            days.append(day)
            day += timedelta(days=every_days)
    return [datetime.combine(d, at, tzinfo=tz) for d in days]


def contact_reminder_actions(due: DueStatus, *, escalate_after_days: int) -> list[str]:
    """What the daily sweep does for a case: remind the officer, and escalate when long overdue."""
    if due.status == DueState.NOT_DUE:
        return []
    actions = ["remind"]
    if due.status == DueState.OVERDUE and due.days_overdue > escalate_after_days:
        actions.append("escalate")
    return actions


# Reminders to the service user (issue 20). The hours are local policy (contacts.models.ReminderSettings).
# Messages carry only first name, date, time, place and how to get in touch: never the offence, a victim,
# the order, or the word "probation" in an email subject unless the person agreed.


def reminder_times(
    starts_at: datetime, *, day_before_hour: int, early_before_hour: int, on_the_day_hour: int
) -> list[tuple[str, datetime]]:
    """When to remind of an appointment starting at `starts_at` (an aware local time): the day before at
    `day_before_hour`, and also on the day at `on_the_day_hour` when it starts before `early_before_hour`
    (and after the on-the-day send)."""
    tz = starts_at.tzinfo
    times = [("day_before", datetime.combine(starts_at.date() - timedelta(days=1), time(day_before_hour), tz))]
    on_the_day = datetime.combine(starts_at.date(), time(on_the_day_hour), tz)
    if starts_at.hour < early_before_hour and on_the_day < starts_at:
        times.append(("on_the_day", on_the_day))
    return times


# A reminder due more than this long ago (the appointment was arranged late) is still sent, unless the
# appointment is this close: a message arriving as the appointment starts helps nobody.
TOO_LATE_TO_REMIND = timedelta(hours=1)


def reminder_still_useful(*, starts_at: datetime, now: datetime) -> bool:
    return now < starts_at - TOO_LATE_TO_REMIND


# Ofcom keeps 07700 900000 to 07700 900999 for drama and testing (GOV.UK Notify's test numbers are in it);
# phonenumbers calls them invalid, but they are real-format UK mobiles, used in training and the demo.
OFCOM_DRAMA_MOBILES = "+447700900"


def uk_mobile_e164(value: str) -> str:
    """A UK mobile number in E.164 (+447700900321), or ValueError with words for the officer."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError("Enter a UK mobile number, like 07700 900 982") from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164.startswith(OFCOM_DRAMA_MOBILES) and len(e164) == 13:
        return e164
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "GB":
        raise ValueError("Enter a UK mobile number, like 07700 900 982")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValueError("Enter a mobile number: text reminders cannot go to a landline")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def reminder_personalisation(*, first_name: str, starts_at: datetime, place: str, contact_phone: str) -> dict:
    """The values a Notify template fills in. Nothing else about the case is ever sent."""
    hour = starts_at.hour % 12 or 12
    minutes = f":{starts_at.minute:02d}" if starts_at.minute else ""
    return {
        "first_name": first_name,
        "date": f"{starts_at:%A} {starts_at.day} {starts_at:%B}",
        "time": f"{hour}{minutes}{'am' if starts_at.hour < 12 else 'pm'}",
        "place": place or "the office",
        "contact": contact_phone,
    }


def book_weekly_reminder_due(*, frequency_days: int, today: date, by_weekday: int, booked_next_week: bool) -> bool:
    """A weekly plan needs next week's appointment booked by the local-policy weekday: from that day on, remind
    the officer until one is booked."""
    return frequency_days == 7 and today.weekday() >= by_weekday and not booked_next_week
