"""Cross-cutting request handling: the access audit, session renewal and the Content-Security-Policy header."""

import functools
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connections, router
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from core.db import committed_without_waiting
from core.net import client_ip

from .constants import AuditAction
from .models import AuditEvent


class AccessAuditMiddleware:
    """Record every case page a person viewed or changed, and every refusal on a restricted case.

    Case views note the case on the request (casework.views.load_case); this writes the row once
    the response is known, so a failed page is not recorded as a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "audit_recorded", False):
            record_response(request, response)
        return response


def record_response(request, response) -> None:
    """The access audit's row for this request, if it is one to record: called by the middleware once the
    response is known, or earlier by a view that saves a change, so that the row is committed with the change
    (core.views.OnceOnlyMixin; it sets request.audit_recorded so the middleware does not record it again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    case = getattr(request, "audit_case", None)
    action = getattr(request, "audit_action", None)
    if getattr(request, "audit_denied", False):
        action = AuditAction.DENIED
    elif case is not None and request.method in ("GET", "HEAD") and response.status_code < 400:
        action = action or AuditAction.VIEW
    elif case is not None and 300 <= response.status_code < 400 and not getattr(request, "nothing_saved", False):
        # A change saved redirects; a form shown again with its errors, or a step refused or sent twice
        # (core.views.nothing_saved), saved nothing, so is not a change.
        action = action or AuditAction.CHANGE
    if action:
        match = getattr(request, "resolver_match", None)
        record_access(
            user=user.pk,
            service_user=case.pk if case is not None else None,
            action=action,
            page=(match.view_name if match else "")[:100],
            title=getattr(request, "audit_title", "")[:100],
            path=request.get_full_path()[:300],
            ip_address=client_ip(request),
        )


def record_access(**values) -> None:
    """One row of the access audit, as AuditEvent.objects.create(**values) would insert it (field names, with
    ids for the user and the case), from a statement written once: every case page writes one, and the ORM
    built the INSERT afresh each time. Nothing listens for an AuditEvent being saved, so no signal is missed."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    values["occurred_at"] = timezone.now()
    names = tuple(values)
    params = [field.get_db_prep_save(values[field.name], connection) for field in _audit_fields(names)]
    sql = _audit_insert(names, alias)
    if values["action"] == AuditAction.VIEW and not settings.AUDIT_VIEWS_WAIT_FOR_DISK:
        sql = committed_without_waiting(sql, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@functools.cache
def _audit_fields(names: tuple) -> list:
    return [AuditEvent._meta.get_field(name) for name in names]


@functools.cache
def _audit_insert(names: tuple, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in _audit_fields(names))
    placeholders = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) VALUES ({placeholders})"


class ContentSecurityPolicyMiddleware:
    """Only the app's own scripts, styles, images and fonts; no framing; forms post only to us."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class NoStoreMiddleware:
    """Pages for a signed-in person hold case records: no browser or proxy may keep a copy (a shared
    computer's back button or cache would show them to the next person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionRenewalMiddleware:
    """Sign people out after SESSION_COOKIE_AGE without activity, renewing a signed-in session at most
    once a minute: saving it on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page for no one's benefit. The idle timeout holds to within that minute."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= self.RENEW_AFTER_SECONDS:
                session["renewed_at"] = now  # marks the session modified: saved with a fresh expiry
        return response
