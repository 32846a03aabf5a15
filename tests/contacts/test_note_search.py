"""Searching contact notes within a case and across the caseload: bad input, sensitive notes, restrictions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.constants import RestrictionKind
from casework.models import AccessRestriction
from contacts import search
from tests import factories
from tests.conftest import make_full_case


def note(case, text, **fields):
    return factories.ContactFactory(service_user=case, notes=text, officer=case.responsible_officer, **fields)


class TestReadingTheQuery:
    def test_empty_query_asks_for_words_and_searches_nothing(self):
        assert not search.read_query("   ").usable
        assert search.read_query("  ").problem == "Enter a word or phrase from the notes to search for"
        assert search.read_query("").problem == "Enter a word or phrase from the notes to search for"
        assert search.read_query(None).problem == ""  # the page opened, nothing searched yet: no error
        assert not search.read_query("!!! ???").usable

    def test_a_huge_query_is_cut_and_says_so(self):
        query = search.read_query("hostel " * 1000)
        assert len(query.text) <= search.MAX_QUERY_LENGTH and query.usable
        assert "Only the first 100 were searched" in query.problem
        assert len(query.words) <= search.MAX_WORDS

    def test_snippet_shows_the_words_around_the_match(self):
        text = "Start. " * 60 + "She has moved to the Riverside hostel this week. " + "End. " * 60
        shown = search.snippet(text, ["riverside"])
        assert "Riverside hostel" in shown and shown.startswith("…") and shown.endswith("…")


class TestSearchWithinACase:
    def url(self, north_case, q):
        return f"/cases/{north_case.case.crn}/contacts/search/?q={q}"

    def test_finds_matching_notes_and_hides_sensitive_ones(self, client_for, north, north_case):
        note(north_case.case, "Moved to the Riverside hostel on Monday.")
        note(north_case.case, "Disclosed a Riverside relapse to her sister.", sensitive=True)
        note(north_case.case, "Attended, nothing new.")
        html = client_for(north.officer).get(self.url(north_case, "riverside")).content.decode()
        assert "2 contacts with notes matching" in html
        assert "Riverside hostel" in html
        assert "Sensitive: open the contact to read the notes" in html and "relapse" not in html

    def test_empty_and_no_result_searches_say_so(self, client_for, north, north_case):
        client = client_for(north.officer)
        empty = client.get(self.url(north_case, "+")).content.decode()
        assert "Enter a word or phrase from the notes to search for" in empty and "govuk-error-message" in empty
        none = client.get(self.url(north_case, "zebra")).content.decode()
        assert "No contact notes match “zebra”" in none


class TestSearchAcrossTheCaseload:
    def test_only_cases_the_person_may_see_never_sensitive(self, client_for, north, north_case, south_case):
        note(north_case.case, "Lives at the Riverside hostel.")
        note(north_case.case, "Riverside: sensitive disclosure.", sensitive=True)
        note(south_case.case, "Riverside address for the other team.")
        restricted = make_full_case(north, crn="N000009")
        note(restricted.case, "Riverside, restricted case.")
        AccessRestriction.objects.create(
            service_user=restricted.case,
            user=north.officer,
            kind=RestrictionKind.EXCLUDED,
            reason="Conflict",
            set_by=north.manager,
        )
        html = client_for(north.officer).get("/contacts/search/?q=riverside").content.decode()
        assert "1 contact with notes matching" in html
        assert north_case.case.crn in html
        assert south_case.case.crn not in html and "N000009" not in html and "sensitive disclosure" not in html

    def test_huge_query_is_cut_with_a_message(self, client_for, north, north_case):
        html = client_for(north.officer).get("/contacts/search/?q=" + "a" * 5000).content.decode()
        assert "Searches can be up to 100 characters" in html

    def test_queries_do_not_grow_with_the_results(self, client_for, north, north_case):
        client = client_for(north.officer)
        note(north_case.case, "Riverside one")
        client.get("/contacts/search/?q=riverside")
        with CaptureQueriesContext(connection) as few:
            client.get("/contacts/search/?q=riverside")
        for i in range(8):
            other = make_full_case(north, crn=f"N10000{i}")
            note(other.case, f"Riverside {i}")
        with CaptureQueriesContext(connection) as many:
            html = client.get("/contacts/search/?q=riverside").content.decode()
        assert "9 contacts with notes matching" in html
        assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("q", ["", "riverside"])
def test_sign_in_needed(client, db, q):
    assert client.get(f"/contacts/search/?q={q}").status_code == 302
