"""The contact log reads one page of a case's contacts off an index in the log's order, however long the
case's history: no sort of every contact, no grouping of every contact's amendments."""

import re
from datetime import timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from casework.templatetags.casework_tags import govuk_date
from contacts.constants import ContactType, Outcome
from contacts.models import Contact
from contacts.selectors import contact_log
from tests import factories


def test_the_first_page_comes_off_the_log_index_without_a_sort(north, north_case):
    others = [factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer) for _ in range(20)]
    factories.attended_history([north_case.case, *others], north.officer, range(1, 201))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    page = Paginator(contact_log(north_case.case), 25).page(1)
    plan = page.object_list.explain()
    assert "contact_log_idx" in plan, plan
    if connection.vendor == "postgresql":
        assert plan.lstrip().startswith("Limit"), plan
        assert "Sort" not in plan.split("SubPlan")[0], plan  # no sort of the case's contacts
    else:
        assert "TEMP B-TREE" not in plan, plan


def test_an_amended_contact_is_marked_amended_in_the_log(client_for, north, north_case):
    amended = north_case.contact
    amended.amendments.create(amended_by=north.officer, reason="Wrong time", changes=[])
    log = {contact.pk: contact.amended for contact in contact_log(north_case.case)}
    assert log[amended.pk] is True
    assert not any(value for pk, value in log.items() if pk != amended.pk)
    html = client_for(north.officer).get(f"/cases/{north_case.case.crn}/contacts/").content.decode()
    assert html.count(" · Amended") == 1


def test_paging_still_shows_every_contact_once(client_for, north, north_case):
    factories.attended_history([north_case.case], north.officer, range(1, 31))
    client = client_for(north.officer)
    total = Contact.objects.filter(service_user=north_case.case, starts_at__lte=timezone.now()).count()
    first = client.get(f"/cases/{north_case.case.crn}/contacts/").content.decode()
    second = client.get(f"/cases/{north_case.case.crn}/contacts/?page=2").content.decode()
    assert f"Showing 1 to 25 of {total} contacts" in first
    assert f"Showing 26 to {total} of {total} contacts" in second


def test_each_day_is_a_table_of_its_contacts_newest_first_with_notes_escaped(client_for, north, north_case):
    case = north_case.case
    Contact.objects.filter(service_user=case).update(starts_at=timezone.now() - timedelta(days=30))
    now = timezone.localtime()
    today = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - timedelta(minutes=1))
    older = timezone.localtime() - timedelta(days=3)
    factories.ContactFactory(
        service_user=case, officer=north.officer, starts_at=today, notes="Seen at <office>\nAll well"
    )
    factories.ContactFactory(
        service_user=case,
        officer=north.officer,
        starts_at=today - timedelta(days=1),
        contact_type=ContactType.CTOB,
        notes="Secret detail",
        sensitive=True,
        national_standard=False,
    )
    factories.ContactFactory(service_user=case, officer=north.officer, starts_at=older, outcome=Outcome.ATTC)
    html = client_for(north.officer).get(f"/cases/{case.crn}/contacts/").content.decode()

    captions = re.findall(r'<caption class="govuk-table__caption govuk-table__caption--s">([^<]*)</caption>', html)
    assert captions[:3] == ["Today", "Yesterday", govuk_date(older.date(), "short")]
    tables = html.split('<table class="govuk-table">')[1:]
    assert "Seen at &lt;office&gt;<br>All well" in tables[0] and "<office>" not in html
    assert "National standard contact" in tables[0]
    assert "Secret detail" not in html and "Sensitive" in tables[1]  # a sensitive contact's notes stay hidden
    assert "National standard contact" not in tables[1]
    assert "Attended – complied" in tables[2]
    assert "Log outcome" in tables[0] and "Log outcome" not in tables[2]  # an outcome is still to record
    assert f'href="/cases/{case.crn}/contacts/' in tables[0]
