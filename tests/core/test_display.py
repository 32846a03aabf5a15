"""Choice labels come from a dict built once per field (core.display.QuickDisplay), and read as Django's did."""

from django.db.models import Model

from contacts.constants import ContactType, Outcome
from contacts.models import Contact


def test_a_records_choices_show_their_labels_as_django_would():
    contact = Contact(contact_type=ContactType.CTOB, outcome=Outcome.ATTC)
    for name in ("contact_type", "outcome", "with_whom"):
        field = Contact._meta.get_field(name)
        assert getattr(contact, f"get_{name}_display")() == Model._get_FIELD_display(contact, field)
    assert contact.get_outcome_display() == "Attended – complied"


def test_a_value_that_is_no_longer_a_choice_shows_as_stored():
    assert Contact(contact_type="ZZZZ").get_contact_type_display() == "ZZZZ"
    assert Contact(outcome="").get_outcome_display() == ""
