from django.conf import settings


def service(request):
    return {"service_name": settings.SERVICE_NAME, "phase": settings.PHASE}
