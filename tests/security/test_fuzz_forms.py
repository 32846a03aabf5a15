"""Junk into every form: a clear validation error or a 404, never a 500, never another case changed."""

from datetime import date

import pytest
from django.forms import MultiWidget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import CaseEvent
from tests.urls_helpers import all_routes

# Text that reaches the forms: a lone surrogate is not UTF-8, and in multipart form data (how the test client
# posts) "\ufffd" is taken for bytes that were not UTF-8; both are refused with a 400 before any form sees them
# (core.middleware.RefuseInvalidUtf8Middleware, tests/core/test_invalid_utf8.py).
SENDABLE = st.characters(blacklist_categories=["Cs"], blacklist_characters="\ufffd")
JUNK = st.one_of(
    st.text(SENDABLE, max_size=50),
    st.text(SENDABLE, min_size=1000, max_size=5000),
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Ll", "Lu"], blacklist_characters="\ufffd"), max_size=30
    ),
    st.just("\x00"),
    st.just("x\x00y"),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e9",
            "NaN",
            "2026-02-30",
            "31/02/2026",
            "[]",
            "{}",
            "null",
            "true",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "25:61",
            "on",
        ]
    ),
)

FUZZ_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def field_names(form) -> list[str]:
    names = []
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        if isinstance(field.widget, MultiWidget):
            names += [f"{html_name}_{i}" for i in range(len(field.widget.widgets))]
        else:
            names.append(html_name)
    return names


# Notify's delivery-receipt callback has no form and answers a missing token with 401: its own tests cover it
# (tests/contacts/test_reminders.py). The readiness check has no form and rightly answers 503 here, where no
# worker or beat is running: tests/core/test_health.py covers it, junk parameters included.
NOT_FORMS = ("login", "logout", "contacts:notify_callback", "health_ready")
FORM_ROUTES = [r for r in all_routes() if not r.name.startswith("admin:") and r.name not in NOT_FORMS]


def other_case_values(full):
    """Ids of the other team's records: the values an attacker would try."""
    return [str(v) for v in full.url_kwargs.values()]


def snapshot(full):
    case = full.case
    return (
        case.updated_at,
        case.contacts.count(),
        case.events.count(),
        case.orders.count(),
        list(case.contacts.values_list("notes", "outcome")),
        full.order.__class__.objects.filter(pk=full.order.pk).values_list("court", flat=True).first(),
    )


@pytest.mark.parametrize("route", FORM_ROUTES, ids=[r.name for r in FORM_ROUTES])
def test_junk_never_breaks_a_form(route, client_for, north, admin_user, north_case, south_case):
    from allocation.models import AllocationRule, CaseTransfer, OfficerProfile

    user = (
        admin_user
        if route.name.startswith(
            ("allocation:rule", "allocation:officer", "allocation:reduction", "allocation:protocol", "casework:audit")
        )
        else north.manager
    )
    profile = OfficerProfile.objects.get_or_create(user=north.officer)[0]
    kwargs = {
        **north_case.url_kwargs,
        "rule_id": AllocationRule.objects.get(is_default=True, superseded_at__isnull=True).pk,
        "profile_id": profile.pk,
        "notification_id": 0,
        # A transfer waiting for north's manager to decide: the decision form is fuzzed, the case must not move.
        "transfer_id": CaseTransfer.objects.get_or_create(
            service_user=south_case.case,
            from_team=south_case.case.team,
            to_team=north.team,
            defaults={"reason": "Moved north", "requested_by": south_case.restriction.set_by},
        )[0].pk,
    }
    url = route.url(kwargs)
    client = client_for(user)
    page = client.get(url)
    form = page.context.get("form") if page.context else None
    names = field_names(form) if form is not None else ["q", "page", "sort", "team", "scope", "type", "compliance"]
    before = snapshot(south_case)

    @FUZZ_SETTINGS
    @given(
        values=st.lists(
            st.one_of(JUNK, st.sampled_from(other_case_values(south_case))), min_size=len(names), max_size=len(names)
        )
    )
    def post_junk(values):
        payload = dict(zip(names, values, strict=True))
        for method in ("post", "get"):
            response = getattr(client, method)(url, payload)
            assert response.status_code in (200, 302, 403, 404, 405), (method, url, payload, response.status_code)

    post_junk()
    assert snapshot(south_case) == before
    assert not CaseEvent.objects.filter(service_user=south_case.case).exists()


def _configuration_admin_pages():
    """(model, model admin) for every model of ours the admin still lets admins change."""
    from django.contrib import admin

    from core.admin import ReadOnlyCaseRecordAdmin

    ours = ("casework", "contacts", "risk", "allocation")
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in ours and not isinstance(model_admin, ReadOnlyCaseRecordAdmin)
        ),
        key=lambda pair: pair[0]._meta.label,
    )


CONFIGURATION_ADMINS = _configuration_admin_pages()


@pytest.mark.parametrize(
    ("model", "model_admin"), CONFIGURATION_ADMINS, ids=[m.__name__ for m, _ in CONFIGURATION_ADMINS]
)
def test_junk_never_breaks_a_configuration_admin_form(model, model_admin, client_for, north, admin_user, south_case):
    """Case records are read-only in the admin; the configuration forms that remain get the same junk."""
    from allocation.models import OfficerProfile
    from casework.models import User
    from tests.admin_helpers import admin_url

    profile = OfficerProfile.objects.get_or_create(user=north.officer)[0]
    profile.reductions.create(hours=4, reason="Training", starts_on=date.today())
    client = client_for(admin_user)  # signed in first: a session is a record too
    # Someone else's account, so the junk cannot sign the admin out of their own.
    record = north.officer if model is User else model._default_manager.first()
    if record is None and hasattr(model, "current"):  # a settings row made on first use (ReminderSettings)
        record = model.current()
    assert record is not None, f"make a {model.__name__} to edit"
    url = admin_url(model, "change", record)
    page = client.get(url)
    assert page.status_code == 200
    names = field_names(page.context["adminform"].form)
    before = snapshot(south_case)

    @FUZZ_SETTINGS
    @given(values=st.lists(JUNK, min_size=len(names), max_size=len(names)))
    def post_junk(values):
        response = client.post(url, dict(zip(names, values, strict=True)))
        assert response.status_code in (200, 302, 403), (url, values, response.status_code)

    post_junk()
    assert snapshot(south_case) == before
