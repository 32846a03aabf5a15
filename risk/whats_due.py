"""What is due for an officer (their cases) or a line manager (their teams' cases).

What is due on each case (contact, outcomes to log, enquiries, risk reviews, requests waiting for a
line manager) is worked out in batches by risk.due.due_entries and stored with the case's status
(risk.case_status), so a manager's page over hundreds of cases reads one row per case. Reading it
recomputes and stores any case's status that is stale. Appointments are stored with the moment they
start and listed from then on.
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.constants import NotificationKind, Role
from casework.models import ServiceUser, User
from casework.notifications import notify
from casework.selectors import CaseRef, cases_in, hidden_case_ids, managed_team_ids, visible_team_ids
from core.prepared import PreparedSet
from core.urls import case_url

from . import case_status
from .due import SECTIONS  # the page's sections, most pressing first, with their headings


@dataclass(frozen=True)
class DueItem:
    case: CaseRef
    what: str
    when: date | None
    view: str  # where the action is done: a URL name taking the case's CRN (and record_kwargs)
    action: str
    tag: str = ""
    colour: str = ""
    record_kwargs: tuple = ()
    query: str = ""

    @property
    def url(self) -> str:
        # Reversed only for the rows a page shows: a manager's list can hold thousands of items.
        return case_url(self.view, crn=self.case.crn, **dict(self.record_kwargs)) + self.query


def cases_in_scope(user: User) -> QuerySet[ServiceUser] | PreparedSet:
    """A line manager's teams' open cases, or an officer's: a PreparedSet (the page reads hundreds every time)."""
    if user.is_casework_admin:
        return ServiceUser.objects.none()  # admins configure; they hold no caseload
    if user.role == Role.LINE_MANAGER:
        return PreparedSet(_open_cases_of_teams, visible_team_ids(user), hidden_case_ids(user), managed_team_ids(user))
    return PreparedSet(_open_cases_of_officer, visible_team_ids(user), hidden_case_ids(user), user.pk)


def _open_cases_of_teams(team_ids, hidden_ids, managed_ids):
    # A closed case has nothing due. Unsorted: DueItems sorts the entries themselves.
    cases = cases_in(team_ids, hidden_ids).filter(closed_on__isnull=True, team__in=managed_ids).order_by()
    return case_status.with_status(cases, teams=managed_ids)


def _open_cases_of_officer(team_ids, hidden_ids, officer_id):
    return cases_in(team_ids, hidden_ids).filter(closed_on__isnull=True, responsible_officer=officer_id).order_by()


class DueItems(Sequence):
    """A section's items, most urgent first. Each DueItem is made only when a page shows it: a manager's
    sections hold a thousand entries, and the summary shows ten of each."""

    def __init__(self, entries: list[tuple[CaseRef, str, str]]):
        """entries: (case, when as an ISO date, the entry's details as stored). ISO dates sort as the dates do."""
        self._entries, self._sorted = entries, False

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice) and not index.start and index.stop is not None and index.step is None:
            # The first few (the summary's ten of each section): the most urgent without sorting the rest.
            return [_item(*entry) for entry in heapq.nsmallest(index.stop, self._entries, key=_urgency)]
        if not self._sorted:
            self._entries.sort(key=_urgency)
            self._sorted = True
        if isinstance(index, slice):
            return [_item(*entry) for entry in self._entries[index]]
        return _item(*self._entries[index])

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"DueItems({list(self)!r})"


def _urgency(entry: tuple[CaseRef, str, str]) -> tuple:
    return entry[1], entry[0].last_name, entry[0].first_name


def _item(case: CaseRef, when: str, details: str) -> DueItem:
    entry = case_status.due_details(details)
    return DueItem(
        case,
        entry["what"],
        date.fromisoformat(when),
        entry["view"],
        entry["action"],
        entry["tag"],
        entry["colour"],
        tuple(entry["kwargs"].items()),
        entry["query"],
    )


def whats_due(user: User, today: date | None = None) -> dict[str, DueItems]:
    """Each section's items for the user's cases, most urgent first.
    Reads the cases' stored statuses; recomputes and stores any that are stale."""
    today = today or timezone.localdate()
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    now = timezone.now()
    decides = user.role == Role.LINE_MANAGER  # only line managers decide on requests
    # Unsorted: DueItems sorts the entries themselves, and sorting hundreds of wide rows cost the database a
    # millisecond.
    for case, entries in case_status.due_for(cases_in_scope(user), today):
        for section, when, starts, details in entries:
            if starts and datetime.fromisoformat(starts) > now:
                continue  # an appointment's outcome is due once it has started
            if section == "approvals" and not decides:
                continue
            sections[section].append((case, when, details))
    return {name: DueItems(entries) for name, entries in sections.items()}


def weekly_summaries(today: date) -> int:
    """A Monday notification for each officer and manager with something due (once per week each)."""
    year, week, _ = today.isocalendar()
    created = 0
    staff = User.objects.filter(Q(role=Role.RESPONSIBLE_OFFICER) | Q(role=Role.LINE_MANAGER), is_active=True)
    for user in staff.iterator(chunk_size=200):
        sections = whats_due(user, today)
        counts = {name: len(items) for name, items in sections.items() if items}
        if not counts:
            continue
        parts = ", ".join(f"{n} {name}" for name, n in counts.items())
        created += notify(
            [user],
            kind=NotificationKind.WEEKLY_SUMMARY,
            case=None,
            url=reverse("risk:whats_due"),
            message=f"This week: {parts}",
            key=f"weekly:{year}-{week}",
        )
    return created
