"""Refuse requests whose form data or query string is not valid UTF-8.

Django decodes form data leniently, replacing bytes it cannot read with "\ufffd", so a note pasted from a
program that sends another encoding would be saved quietly corrupted. Refusing it with a clear 400 page
means nothing garbled reaches a case record and the officer knows to send it again.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.shortcuts import render

from .logging import new_request_id, request_id_var, safe_request_id

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class RefuseInvalidUtf8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_query_string_is_utf8(request) and _form_is_utf8(request)):
            return render(request, "400.html", {"invalid_text": True}, status=400)
        return self.get_response(request)


def _is_utf8(percent_encoded: bytes) -> bool:
    try:
        unquote_to_bytes(percent_encoded).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _query_string_is_utf8(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    try:
        raw = query.encode("iso-8859-1")  # WSGI hands over the raw bytes as latin-1
    except UnicodeEncodeError:
        return True  # already text the server decoded, so nothing is left to misread
    return _is_utf8(raw)


def _form_is_utf8(request) -> bool:
    if request.method not in ("POST", "PUT", "PATCH"):
        return True
    content_type = request.content_type or ""
    if content_type == URLENCODED:
        return _is_utf8(request.body)
    if content_type == MULTIPART:  # the parser has already replaced what it could not read
        return not any("\ufffd" in value for values in request.POST.lists() for value in values[1])
    return True


class RequestIdMiddleware:
    """Gives each request an id: the X-Request-ID a trusted proxy sent (TRUST_REQUEST_ID_HEADER), or a new one.
    It is on `request.request_id`, in the X-Request-ID response header, on every log line written while the
    request runs, and carried with the follow-up work it enqueues (core.queue) into the task's log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID") if settings.TRUST_REQUEST_ID_HEADER else None
        request.request_id = safe_request_id(sent) or new_request_id()
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
