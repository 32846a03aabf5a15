"""Email digests go to each person on their own: one refused address never blocks or repeats the others."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from casework.constants import NotificationKind
from casework.models import Notification
from casework.notifications import notify, send_digests
from core.models import EmailFailure
from tests import factories

REFUSED = "left.the.service@example.org"


class FlakyMailServer(EmailBackend):
    """The locmem backend, refusing one address with a 550 as a real SMTP relay would, or entirely down."""

    down = False

    def send_messages(self, messages):
        if FlakyMailServer.down:
            raise ConnectionRefusedError(111, "Connection refused")
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.scheduling.test_digests.FlakyMailServer"
    FlakyMailServer.down = False
    yield FlakyMailServer
    FlakyMailServer.down = False


@pytest.fixture
def three_people(north):
    people = [
        factories.UserFactory(username="first", email="first@example.org", teams=[north.team]),
        factories.UserFactory(username="refused", email=REFUSED, teams=[north.team]),
        factories.UserFactory(username="last", email="last@example.org", teams=[north.team]),
    ]
    for person in people:
        notify([person], kind=NotificationKind.CONTACT_DUE, case=None, message="Contact due", url="/due/", key="d")
    return people


def test_a_refused_address_is_recorded_and_everyone_else_gets_their_digest_once(flaky_mail, three_people, admin_client):
    assert send_digests() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["first@example.org", "last@example.org"]
    failure = EmailFailure.objects.get()
    assert failure.recipient.username == "refused" and "550" in failure.error
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()  # sent at most once, refused too

    assert send_digests() == 0  # the next run repeats nobody's digest, nor the failure
    assert len(mail.outbox) == 2 and EmailFailure.objects.count() == 1

    page = admin_client.get("/admin/core/emailfailure/").content.decode()
    assert REFUSED in page  # admins see whose address to correct


def test_mail_server_down_sends_nothing_and_the_next_run_sends_each_digest_once(flaky_mail, three_people):
    flaky_mail.down = True
    assert send_digests() == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3  # nothing claimed, nothing lost
    assert not EmailFailure.objects.exists()

    flaky_mail.down = False
    assert send_digests() == 2
    assert send_digests() == 0
    assert len(mail.outbox) == 2


def test_new_notifications_after_a_digest_go_in_the_next_one(flaky_mail, three_people):
    send_digests()
    first = three_people[0]
    notify([first], kind=NotificationKind.CONTACT_DUE, case=None, message="Another", url="/due/", key="e")
    assert send_digests() == 1
    assert "Another" in mail.outbox[-1].body and "Contact due" not in mail.outbox[-1].body
