"""Notifications: in-app messages for staff about their cases, and their email digests.
Access is checked when they are made, when they are read and when they are emailed."""

import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import EmailFailure
from core.prepared import Counting, counting, prepared

from .models import Notification, ServiceUser, User
from .selectors import cases_visible_to, hidden_case_ids, restricted_user_ids_by_case, visible_team_ids

logger = logging.getLogger(__name__)
MAIL_SERVER_DOWN = object()


def notify(
    recipients, *, kind: str, case: ServiceUser | None, message: str, url: str, key: str, escalation: bool = False
) -> int:
    """Create one notification per recipient. The dedupe key makes a repeat of the same reminder a no-op.
    People the case's limited access keeps out are never told about it."""
    batch = NotificationBatch()
    batch.add(recipients, kind=kind, case=case, message=message, url=url, key=key, escalation=escalation)
    return batch.save()


class NotificationBatch:
    """Notifications for many cases written together: the access check for every case in one query and
    one insert, so a sweep batch of 500 cases costs a few queries rather than a few per case."""

    def __init__(self):
        self.notices = []

    def add(self, recipients, *, kind, case, message, url, key, escalation=False) -> None:
        ids = [getattr(user, "pk", user) for user in recipients]
        self.notices.append((ids, kind, case, message, url, key, escalation))

    def save(self) -> int:
        wanted = defaultdict(set)
        for ids, _, case, *_ in self.notices:
            if case is not None:
                wanted[case.pk].update(ids)
        blocked = restricted_user_ids_by_case(wanted) if wanted else {}
        rows = [
            Notification(
                recipient_id=user_id,
                service_user=case,
                kind=kind,
                message=message[:300],
                url=url,
                escalation=escalation,
                dedupe_key=f"{key}:{user_id}"[:200],
            )
            for ids, kind, case, message, url, key, escalation in self.notices
            for user_id in ids
            if case is None or user_id not in blocked[case.pk]
        ]
        self.notices = []
        return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notifications_for(user: User):
    """The user's notifications about cases they may still see. Access is checked now, not only when the
    notification was made: someone excluded from a case since then is no longer shown it."""
    visible = cases_visible_to(user).values("pk")
    return Notification.objects.filter(recipient=user).filter(
        Q(service_user__isnull=True) | Q(service_user__in=visible)
    )


@prepared
def _unread_in(user_id, team_ids, hidden_ids):
    # As cases_in, through the notification's own case (a join) rather than against a list of every case the
    # user may see: a manager's badge, on every page, was planned against their 400 cases (0.45 ms, now 0.15).
    visible = Q(service_user__team__in=team_ids)
    if hidden_ids:
        visible &= ~Q(service_user__in=hidden_ids)
    return Notification.objects.filter(recipient=user_id, read_at__isnull=True).filter(
        Q(service_user__isnull=True) | visible
    )


# The badge counts this many at most and then shows "99+": each unread notification is checked against the case's
# team, and a manager who has not read a week of reminders has thousands (counting 800 took 3.5 ms a page).
UNREAD_COUNTED = 100


def unread_count(user: User) -> Counting | int:
    """For the navigation on every page: the same notifications as notifications_for, up to UNREAD_COUNTED, as a
    prepared count that the navigation runs with its other badges (core.prepared.read_together)."""
    if user.is_casework_admin:
        return notifications_for(user).filter(read_at__isnull=True)[:UNREAD_COUNTED].count()
    return counting(_unread_in, user.pk, visible_team_ids(user), hidden_case_ids(user), up_to=UNREAD_COUNTED)


def send_digests(batch_size: int = 500) -> int:
    """One email per person with everything not yet emailed, sent at most once. Each person's rows are
    claimed (marked emailed) in their own transaction before their email goes, with rows locked (skip locked)
    so two workers never send the same notification. A refused address is recorded against that person
    (core.EmailFailure, in the admin) and never holds up or repeats anyone else's digest."""
    sent, after = 0, 0
    while True:
        recipients = list(
            Notification.objects.filter(emailed_at__isnull=True, recipient_id__gt=after)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:batch_size]
        )
        if not recipients:
            return sent
        for recipient_id in recipients:
            outcome = _send_digest_to(recipient_id)
            if outcome is MAIL_SERVER_DOWN:
                return sent  # nothing more can go now; the next run (every 15 minutes) sends the rest
            sent += outcome
        after = recipients[-1]


def _send_digest_to(recipient_id: int):
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        # Claimed before sending: whatever happens to the email, these rows are never sent again.
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(emailed_at=timezone.now())
    items = _still_visible(rows)
    person = rows[0].recipient if rows else None
    if not items or not person.email or not person.is_active:
        return 0
    try:
        _send_digest(person, items)
    except (smtplib.SMTPConnectError, ConnectionError) as error:
        # Never reached the server, so nothing was sent: release the claim for the next run.
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(emailed_at=None)
        logger.warning("Mail server unreachable; digests wait for the next run: %r", error)
        return MAIL_SERVER_DOWN
    except (smtplib.SMTPException, OSError) as error:
        EmailFailure.objects.create(
            recipient=person,
            address=person.email,
            subject=f"Digest of {len(items)} notifications",
            error=repr(error)[:2000],
        )
        logger.warning("Digest to user %s refused: %r", person.pk, error)
        return 0
    return 1


def _still_visible(rows: list[Notification]) -> list[Notification]:
    """Drop notifications about cases their recipient has been excluded from since they were made.
    The dropped rows are marked with the rest of the batch, so they are never sent later either."""
    wanted = defaultdict(set)
    for row in rows:
        if row.service_user_id is not None:
            wanted[row.service_user_id].add(row.recipient_id)
    blocked = restricted_user_ids_by_case(wanted) if wanted else {}
    return [row for row in rows if row.recipient_id not in blocked.get(row.service_user_id, ())]


def _send_digest(person: User, items: list[Notification]) -> None:
    lines = [f"- {item.message}\n  {settings.SITE_URL}{item.url}" for item in items]
    count = len(items)
    # Subjects carry no names or case details: they travel further than the body.
    send_mail(
        subject=f"Probation Casework: {count} thing{'s' if count != 1 else ''} need{'s' if count == 1 else ''} "
        "your attention",
        message=f"Hello {person.first_name or person.username},\n\n"
        + "\n".join(lines)
        + f"\n\nSee everything that is due: {settings.SITE_URL}/due/\n",
        from_email=None,
        recipient_list=[person.email],
    )
