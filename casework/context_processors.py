from django.conf import settings


def service(request):
    """Service name, phase, and which primary navigation item is active."""
    match = getattr(request, "resolver_match", None)
    nav = "cases" if match and match.namespace in ("casework", "contacts", "risk") else ""
    return {"service_name": settings.SERVICE_NAME, "phase": settings.PHASE, "nav": nav}
