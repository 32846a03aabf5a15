"""Searching contact notes: within one case (its contacts tab) and across the cases a person may see.

PostgreSQL uses full-text search (English stemming, so "drinking" finds "drink"), served by a GIN index on the
same expression (migration 00xx_contact_notes_search). SQLite, the embedded default, has no full-text search
here: every word must appear in the notes, in any case.

Sensitive contacts: their notes never show in a list (the contact log hides them too), so a search across the
caseload never matches them, and within a case a match says only that the notes are sensitive."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from casework.models import User
from casework.selectors import cases_visible_to

from .models import Contact

# Long enough for any phrase someone remembers from a note; longer is a paste, cut here.
MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
SNIPPET_LENGTH = 160
SEARCH_CONFIG = "english"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class NoteQuery:
    text: str  # what is searched for (cut to MAX_QUERY_LENGTH)
    problem: str  # shown to the person: why there are no results, or that the search was cut

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)[:MAX_WORDS]

    @property
    def usable(self) -> bool:
        return bool(self.words)


def read_query(raw: str | None) -> NoteQuery:
    """The search as typed (None: the page opened with no search yet), checked: empty (nothing to search),
    too long (cut, and said so)."""
    text = " ".join(str(raw or "").split())
    if not WORD.search(text):
        return NoteQuery("", "" if raw is None else "Enter a word or phrase from the notes to search for")
    if len(text) > MAX_QUERY_LENGTH:
        return NoteQuery(
            text[:MAX_QUERY_LENGTH],
            f"Searches can be up to {MAX_QUERY_LENGTH} characters. Only the first {MAX_QUERY_LENGTH} were searched",
        )
    return NoteQuery(text, "")


def vector():
    """The expression the GIN index is built on: keep the two the same, or the index is not used."""
    return SearchVector("notes", config=SEARCH_CONFIG)


def matching(contacts: QuerySet[Contact], query: NoteQuery) -> QuerySet[Contact]:
    if not query.usable:
        return contacts.none()
    if connection.vendor == "postgresql":
        return contacts.annotate(notes_vector=vector()).filter(
            notes_vector=SearchQuery(" ".join(query.words), config=SEARCH_CONFIG, search_type="plain")
        )
    condition = Q()
    for word in query.words:
        condition &= Q(notes__icontains=word)
    return contacts.filter(condition)


def in_case(case, query: NoteQuery) -> QuerySet[Contact]:
    """A case's contacts whose notes match, newest first (sensitive ones match, but show no notes)."""
    return matching(case.contacts.all(), query).select_related("officer").order_by("-starts_at", "-id")


def across_caseload(user: User, query: NoteQuery) -> QuerySet[Contact]:
    """Contacts on the cases this person may see (their teams', less restricted ones) whose notes match,
    newest first. Sensitive contacts are never listed here."""
    contacts = Contact.objects.filter(service_user__in=cases_visible_to(user), sensitive=False)
    return matching(contacts, query).select_related("service_user", "officer").order_by("-starts_at", "-id")


def snippet(notes: str, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """The part of the notes around the first word searched for (any word, if stemming found another form)."""
    notes = " ".join((notes or "").split())
    lowered = notes.lower()
    hits = [lowered.find(word.lower()) for word in words if word.lower() in lowered]
    start = max(0, min(hits) - length // 3) if hits else 0
    text = notes[start : start + length]
    return ("…" if start else "") + text + ("…" if start + length < len(notes) else "")
