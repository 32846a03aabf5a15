"""One request id follows a request into the log lines of the follow-up work it enqueued, so an on-call
engineer can find everything one save caused."""

import logging

import pytest

from contacts import sweeps as contact_sweeps
from core.models import Outbox
from tests.core.test_outbox import due_reminder, log_contact


def test_each_response_names_its_request_id_and_a_browser_cannot_choose_it(client, db):
    first, second = client.get("/health/live"), client.get("/health/live", HTTP_X_REQUEST_ID="chosen-by-me")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert second["X-Request-ID"] != "chosen-by-me"  # not trusted unless a proxy sets it


@pytest.mark.parametrize(("sent", "kept"), [("lb-7f3a9c", True), ("bad id\nwith a newline", False)])
def test_a_trusted_proxys_request_id_is_used_when_it_is_safe(client, db, settings, sent, kept):
    settings.TRUST_REQUEST_ID_HEADER = True
    response = client.get("/health/live", HTTP_X_REQUEST_ID=sent)
    assert (response["X-Request-ID"] == sent) is kept


def test_the_request_id_goes_with_the_follow_up_work_into_the_tasks_log(
    client_for, north, north_case, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    settings.TRUST_REQUEST_ID_HEADER = True
    due_reminder(north, north_case.case)
    seen = []
    real = contact_sweeps.resolve_contact_reminders

    def resolve(contact_id):
        logging.getLogger("contacts.sweeps").info("Resolving reminders for contact %s", contact_id)
        seen.append(contact_id)
        return real(contact_id)

    monkeypatch.setattr(contact_sweeps, "resolve_contact_reminders", resolve)
    client = client_for(north.officer)
    client.defaults["HTTP_X_REQUEST_ID"] = "req-contact-42"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        assert log_contact(client, north_case.case).status_code == 302
    assert Outbox.objects.get(task_name="contacts.tasks.contact_recorded").request_id == "req-contact-42"
    task_lines = [r for r in caplog.records if r.getMessage().startswith("Resolving reminders")]
    assert seen and [getattr(r, "request_id", None) for r in task_lines] == ["req-contact-42"]


def test_work_sent_later_by_the_dispatcher_still_carries_the_request_id(db, caplog, monkeypatch):
    from django.utils import timezone

    from contacts import tasks as contact_tasks
    from core.queue import dispatch_due

    monkeypatch.setattr(
        contact_sweeps,
        "resolve_contact_reminders",
        lambda contact_id: logging.getLogger("contacts.sweeps").info("Resolving %s", contact_id) or 0,
    )
    Outbox.objects.create(
        task_name=contact_tasks.contact_recorded.name,
        args=[5],
        request_id="req-earlier",
        next_attempt_at=timezone.now(),
    )
    with caplog.at_level(logging.INFO):
        assert dispatch_due() == 1
    (line,) = [r for r in caplog.records if r.getMessage() == "Resolving 5"]
    assert line.request_id == "req-earlier"
