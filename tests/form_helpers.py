"""Shared by the page tests for bad input: what a refused form must show, and that nothing was saved."""

from datetime import date

from django.utils import timezone

from casework.models import CaseEvent


def today() -> date:
    return timezone.localdate()


def words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def refused(client, url, data, field, message, model):
    """Post bad input: the page shows the message against `field`, and neither the record nor the timeline
    changes."""
    before, events = model.objects.count(), CaseEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.context["form"].errors.get(field, []), response.context["form"].errors
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert model.objects.count() == before
    assert CaseEvent.objects.count() == events
    return response
