"""Sending through GOV.UK Notify, or to the log when no Notify account is set up (the embedded default).

`backend()` picks the Notify client when NOTIFY_API_KEY is set and the console otherwise. A backend's `send`
returns Notify's notification id, or raises `RetryLater` (rate limited, Notify down: try again with backoff)
or `Refused` (a permanent error such as an invalid number or template: retrying would never help)."""

import logging
import uuid

from django.conf import settings
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

logger = logging.getLogger("contacts.notify")


class RetryLater(Exception):
    """A temporary failure: 429 (rate limit), 5xx or the network. Retry with backoff."""


class Refused(Exception):
    """Notify refused the message for good (4xx other than 429): never retried."""


class ConsoleBackend:
    """Writes each message to the log instead of sending it; the case's outbox page shows it as delivered."""

    name = "console"

    def send(self, *, channel: str, recipient: str, template_id: str, personalisation: dict, reference: str) -> str:
        logger.info(
            "Reminder by %s to %s (template %s, reference %s): %s",
            channel,
            recipient,
            template_id or "not set",
            reference,
            personalisation,
        )
        return f"console-{uuid.uuid4()}"


class NotifyBackend:
    name = "notify"

    def __init__(self, api_key: str, base_url: str):
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=20)

    def send(self, *, channel: str, recipient: str, template_id: str, personalisation: dict, reference: str) -> str:
        if not template_id:
            raise Refused("No Notify template id is set for this channel (admin: Reminder settings)")
        try:
            if channel == "sms":
                response = self.client.send_sms_notification(
                    phone_number=recipient,
                    template_id=template_id,
                    personalisation=personalisation,
                    reference=reference,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=recipient,
                    template_id=template_id,
                    personalisation=personalisation,
                    reference=reference,
                )
        except HTTPError as error:
            if error.status_code == 429 or error.status_code >= 500:
                raise RetryLater(f"{error.status_code}: {error.message}") from error
            raise Refused(f"{error.status_code}: {error.message}") from error
        except RequestException as error:
            raise RetryLater(repr(error)) from error
        return response["id"]


def backend():
    if settings.NOTIFY_API_KEY:
        return NotifyBackend(settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL)
    return ConsoleBackend()
