"""The platform the tests run on is the one we meant: PostgreSQL in CI, admin for every model."""

import os

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection


def test_database_matches_database_url(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if os.environ.get("CI"):
        # CI must exercise the production stack, never the embedded default.
        assert connection.vendor == "postgresql"
        assert settings.CELERY_BROKER_URL.startswith("redis://")


OUR_APPS = ["core", "casework", "contacts", "risk", "allocation"]
OUR_MODELS = [m for label in OUR_APPS for m in apps.get_app_config(label).get_models()]


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_working_admin_page(admin_client, model, north_case):
    from django.contrib import admin

    assert model in admin.site._registry, f"{model.__name__} is not in the Django admin"
    response = admin_client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    assert response.status_code == 200


def test_case_events_cannot_be_changed_in_admin(admin_client, north, north_case):
    from casework.services import record_case_event

    event = record_case_event(actor=north.officer, case=north_case.case, kind="updated", summary="Evidence")
    response = admin_client.post(f"/admin/casework/caseevent/{event.pk}/change/", {"summary": "Rewritten"})
    assert response.status_code in (302, 403) or "Rewritten" not in response.content.decode()
    event.refresh_from_db()
    assert event.summary == "Evidence"
    assert admin_client.post(f"/admin/casework/caseevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_contacts_cannot_be_deleted_or_edited_in_admin(admin_client, north_case):
    contact = north_case.contact
    assert admin_client.post(f"/admin/contacts/contact/{contact.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"/admin/contacts/contact/{contact.pk}/change/", {"notes": "Rewritten"})
    contact.refresh_from_db()
    assert contact.notes != "Rewritten"


def test_any_of_matches_a_list_of_ids_like_in(north, north_case):
    from casework.models import ServiceUser
    from contacts.models import Contact
    from tests import factories

    other = factories.ServiceUserFactory(team=north.team)
    assert list(ServiceUser.objects.filter(pk__any_of=[north_case.case.pk, other.pk]).order_by("pk")) == sorted(
        [north_case.case, other], key=lambda case: case.pk
    )
    assert not ServiceUser.objects.filter(pk__any_of=[]).exists()
    assert Contact.objects.filter(service_user__any_of=[north_case.case.pk]).count() == north_case.case.contacts.count()
