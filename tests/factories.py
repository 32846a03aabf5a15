"""factory-boy factories for casework records."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from casework import constants
from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
    Team,
    User,
)
from contacts.constants import ContactType, PlanSource
from contacts.models import Contact, ContactChangeRequest, ContactPlan
from risk.models import Enquiry, RiskAssessment, RiskReview


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Team {n}")
    pdu = "Test PDU"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = constants.Role.RESPONSIBLE_OFFICER
    grade = constants.Grade.PSO
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*extracted)

    @factory.post_generation
    def managed_teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.managed_teams.add(*extracted)


class ServiceUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUser

    crn = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1994, 3, 14)
    gender = constants.Gender.FEMALE
    team = factory.SubFactory(TeamFactory)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    service_user = factory.SubFactory(ServiceUserFactory)
    order_type = constants.OrderType.COMMUNITY_ORDER
    court = "Westshire Magistrates' Court"
    sentence_date = factory.LazyFunction(lambda: date.today() - timedelta(days=90))
    start_date = factory.SelfAttribute("sentence_date")
    expected_end_date = factory.LazyAttribute(lambda o: o.sentence_date + timedelta(days=365))


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    order = factory.SubFactory(OrderFactory)
    requirement_type = constants.RequirementType.UNPAID_WORK
    unpaid_work_hours = 80


class OffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offence

    order = factory.SubFactory(OrderFactory)
    description = "Common assault"
    domestic_abuse = True


class ProtectedPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectedPerson

    service_user = factory.SubFactory(ServiceUserFactory)
    full_name = factory.Faker("name")
    relationship = constants.Relationship.EX_PARTNER
    is_victim = True


class RestrainingOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestrainingOrder

    service_user = factory.SubFactory(ServiceUserFactory)
    court = "Westshire Magistrates' Court"
    made_on = factory.LazyFunction(lambda: date.today() - timedelta(days=90))
    expires_on = factory.LazyAttribute(lambda o: o.made_on + timedelta(days=730))
    conditions = "No contact"


class KeyIndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyIndividual

    service_user = factory.SubFactory(ServiceUserFactory)
    full_name = factory.Faker("name")
    relationship = constants.Relationship.PARENT


class AgencyInvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyInvolvement

    service_user = factory.SubFactory(ServiceUserFactory)
    agency_type = constants.AgencyType.POLICE
    organisation = "Westshire Police"
    role = "Domestic abuse call-out checks"
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))


class ContactFactory(factory.django.DjangoModelFactory):
    """By default a past office appointment with no outcome recorded."""

    class Meta:
        model = Contact

    service_user = factory.SubFactory(ServiceUserFactory)
    contact_type = ContactType.COAP
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    officer = factory.SubFactory(UserFactory)
    national_standard = True


class ContactPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPlan

    service_user = factory.SubFactory(ServiceUserFactory)
    frequency_days = 14
    source = PlanSource.ORDER
    starts_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))


class ContactChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactChangeRequest

    service_user = factory.SubFactory(ServiceUserFactory)
    requested_by = factory.SubFactory(UserFactory)
    frequency_days = 7
    starts_on = factory.LazyFunction(date.today)
    reason = "Weekly contact after unpaid work to monitor domestic abuse risk"


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    service_user = factory.SubFactory(ServiceUserFactory)
    rosh_level = "low"
    assessed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    review_on = factory.LazyFunction(lambda: date.today() + timedelta(days=150))


class EnquiryFactory(factory.django.DjangoModelFactory):
    """A police DA enquiry requested a week ago, response not yet in."""

    class Meta:
        model = Enquiry

    service_user = factory.SubFactory(ServiceUserFactory)
    kind = "da"
    requested_on = factory.LazyFunction(lambda: date.today() - timedelta(days=7))
    response_due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=7))


class RiskReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskReview

    service_user = factory.SubFactory(ServiceUserFactory)
    reason = "Police domestic abuse call-out enquiry found new incidents"


def attended_history(cases, officer, days) -> None:
    """A long history for EXPLAIN tests: an attended national-standard appointment on each of `days` (days ago)
    for every case, in one insert."""
    from django.utils import timezone

    from contacts.constants import ContactType, Outcome
    from contacts.models import Contact

    now = timezone.now()
    Contact.objects.bulk_create(
        Contact(
            service_user=case,
            contact_type=ContactType.COAP,
            starts_at=now - timezone.timedelta(days=day),
            officer=officer,
            outcome=Outcome.ATTC,
            national_standard=True,
        )
        for case in cases
        for day in days
    )
