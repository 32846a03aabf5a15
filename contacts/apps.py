from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from . import signals

        signals.connect()  # the termination contact when a case closes (casework.services.case_close)
