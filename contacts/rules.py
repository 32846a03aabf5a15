"""Contact rules as pure functions over dates and plain values: no ORM, no request."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .constants import ATTENDED, DUE_COLOURS, DueState

BREACH_WINDOW_DAYS = 365  # Sentencing Act 2020, Schedule 10, paragraph 6: "within 12 months"
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
    ordered_hours: int
    completed_minutes: int

    @property
    def remaining_minutes(self) -> int:
        return max(self.ordered_hours * 60 - self.completed_minutes, 0)

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


@dataclass(frozen=True)
class EnforcementAdvice:
    requires_breach: bool
    last_warning_on: date | None


def enforcement_advice(*, failure_on: date, warnings: list[date]) -> EnforcementAdvice:
    """A failure within 12 months of a warning must go to breach, not another warning."""
    earlier = [w for w in warnings if w <= failure_on]
    last = max(earlier) if earlier else None
    return EnforcementAdvice(
        requires_breach=last is not None and (failure_on - last).days <= BREACH_WINDOW_DAYS,
        last_warning_on=last,
    )


@dataclass(frozen=True)
class ComplianceSummary:
    failures_last_12_months: int
    warnings_last_12_months: list[date]
    breach_requested_on: date | None
    pending_decisions: int

    @property
    def status(self) -> str:
        if self.breach_requested_on:
            return "Breach requested"
        if self.warnings_last_12_months:
            return "Warned"
        if self.failures_last_12_months:
            return "Failures recorded"
        return "No failures"


def compliance_summary(
    *, today: date, failures: list[date], warnings: list[date], breaches: list[date], pending: int = 0
) -> ComplianceSummary:
    since = today - timedelta(days=BREACH_WINDOW_DAYS)
    return ComplianceSummary(
        failures_last_12_months=sum(1 for d in failures if since <= d <= today),
        warnings_last_12_months=sorted(d for d in warnings if since <= d <= today),
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
