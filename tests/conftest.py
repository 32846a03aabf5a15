"""Shared fixtures: two teams with staff, and a fully recorded case in each."""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.cache import caches

from casework.constants import Grade, RestrictionKind, Role
from casework.models import AccessRestriction
from contacts.constants import EnforcementAction, WarningKind
from contacts.models import BreachAction, EnforcementWarning, Letter, Recall
from tests import factories


@dataclass
class TeamStaff:
    team: object
    officer: object
    manager: object


@dataclass
class FullCase:
    """A case with one of every record, and the URL kwargs that name them."""

    case: object
    order: object
    requirement: object
    offence: object
    protected_person: object
    restraining_order: object
    key_individual: object
    agency: object
    contact: object
    change_request: object
    enquiry: object
    review: object
    restriction: object

    @functools.cached_property
    def warning(self):
        """A warning letter given yesterday for the contact: made on first use (by url_kwargs), so the many tests
        that count a case's warnings see only their own."""
        return EnforcementWarning.objects.create(
            service_user=self.case,
            order=self.order,
            failure=self.contact,
            kind=WarningKind.LETTER,
            action=EnforcementAction.EA02,
            given_on=date.today() - timedelta(days=1),
        )

    @functools.cached_property
    def breach(self):
        """A breach referral for the contact, made directly on first use: only its pages' addresses are needed
        (the journey itself is tested through the services)."""
        return BreachAction.objects.create(
            service_user=self.case, order=self.order, failure=self.contact, referred_on=date.today(), reason="Failure"
        )

    @functools.cached_property
    def recall(self):
        return Recall.objects.create(
            service_user=self.case,
            order=self.order,
            failure=self.contact,
            recommended_by=self.case.responsible_officer,
            recommended_on=date.today(),
            reasons="Risk rising",
        )

    @functools.cached_property
    def letter(self):
        return Letter.objects.create(
            service_user=self.case,
            kind="warning",
            title="Warning letter",
            body="<p>Warning</p>",
            produced_by=self.case.responsible_officer,
        )

    @property
    def url_kwargs(self) -> dict:
        return {
            "crn": self.case.crn,
            "order_id": self.order.pk,
            "requirement_id": self.requirement.pk,
            "offence_id": self.offence.pk,
            "protected_person_id": self.protected_person.pk,
            "restraining_order_id": self.restraining_order.pk,
            "key_individual_id": self.key_individual.pk,
            "agency_id": self.agency.pk,
            "contact_id": self.contact.pk,
            "request_id": self.change_request.pk,
            "enquiry_id": self.enquiry.pk,
            "review_id": self.review.pk,
            "restriction_id": self.restriction.pk,
            "breach_id": self.breach.pk,
            "recall_id": self.recall.pk,
            "warning_id": self.warning.pk,
            "letter_id": self.letter.pk,
        }


def make_staff(code: str) -> TeamStaff:
    team = factories.TeamFactory(code=code, name=f"{code} team")
    officer = factories.UserFactory(username=f"officer.{code.lower()}", teams=[team], grade=Grade.PSO)
    manager = factories.UserFactory(
        username=f"manager.{code.lower()}", role=Role.LINE_MANAGER, grade="", managed_teams=[team]
    )
    return TeamStaff(team=team, officer=officer, manager=manager)


def make_full_case(staff: TeamStaff, **case_fields) -> FullCase:
    case = factories.ServiceUserFactory(team=staff.team, responsible_officer=staff.officer, **case_fields)
    order = factories.OrderFactory(service_user=case)
    person = factories.ProtectedPersonFactory(service_user=case)
    restraining = factories.RestrainingOrderFactory(service_user=case)
    restraining.protected_people.add(person)
    enquiry = factories.EnquiryFactory(service_user=case)
    contact = factories.ContactFactory(service_user=case, officer=staff.officer, arranged=True)
    return FullCase(
        case=case,
        order=order,
        requirement=factories.RequirementFactory(order=order),
        offence=factories.OffenceFactory(order=order),
        protected_person=person,
        restraining_order=restraining,
        key_individual=factories.KeyIndividualFactory(service_user=case),
        agency=factories.AgencyInvolvementFactory(service_user=case),
        # A past appointment with no outcome yet, and a request waiting for the line manager.
        contact=contact,
        change_request=factories.ContactChangeRequestFactory(service_user=case, requested_by=staff.officer),
        # An enquiry waiting for its response, and an open risk review.
        enquiry=enquiry,
        review=factories.RiskReviewFactory(service_user=case, enquiry=enquiry),
        # Someone outside the team excluded from the case (it changes nothing for the team's staff).
        restriction=AccessRestriction.objects.create(
            service_user=case,
            user=factories.UserFactory(),
            kind=RestrictionKind.EXCLUDED,
            reason="Knows them",
            set_by=staff.manager,
        ),
    )


@pytest.fixture(autouse=True)
def _nothing_kept_from_other_tests():
    """The overview keeps drawn cards in process memory by case id and records version, and lists keep staff names
    by user id: another test's case or user may have had the same id (SQLite reuses them after a rollback)."""
    caches["template_fragments"].clear()
    caches["staff_names"].clear()


@pytest.fixture
def north(db) -> TeamStaff:
    return make_staff("NTH")


@pytest.fixture
def south(db) -> TeamStaff:
    return make_staff("STH")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", role=Role.ADMIN, grade="", is_staff=True, is_superuser=True)


@pytest.fixture
def north_case(north) -> FullCase:
    return make_full_case(north, crn="N000001")


@pytest.fixture
def south_case(south) -> FullCase:
    return make_full_case(south, crn="S000001")


@pytest.fixture
def client_for(client):
    """Sign a user in on the test client: client_for(user) -> client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port (tests/reliability/servers.py); stopped afterwards."""
    from tests.reliability.servers import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_on_own_redis(own_redis):
    """Point the Celery app (publishing, consuming, health checks) at the test's own Redis."""
    from config.celery import app

    names = ("broker_url", "broker_read_url", "broker_write_url", "broker_transport_options")
    before = {name: app.conf[name] for name in names}
    # All three URLs: Celery prefers a CELERY_BROKER_URL environment variable to broker_url alone.
    for name in names[:3]:
        app.conf[name] = own_redis.url
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    app._pool = app.amqp._producer_pool = None  # pools hold connections to the URL they were made for
    yield own_redis
    for name, value in before.items():
        app.conf[name] = value
    app._pool = app.amqp._producer_pool = None
