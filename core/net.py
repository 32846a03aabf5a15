"""The client's address, for the access audit and sign-in lockout alike."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address of whoever sent the request.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it was connected from to
    X-Forwarded-For, so the client is the entry that many places from the right. Entries further left
    were written by the client itself and are never trusted. A request carrying fewer entries than
    there are proxies did not come through them all, so its header is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
