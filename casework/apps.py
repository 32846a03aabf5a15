from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self):
        from django.conf import settings

        from config.celery import ensure_filesystem_broker_folders

        from . import lookups, signals

        lookups.register()
        signals.connect()  # the timeline entry for an access entry removed by any path

        # Web enqueues and the worker consumes from these folders; both must find them.
        ensure_filesystem_broker_folders(settings)
