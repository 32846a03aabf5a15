from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every app uses, and the tables they need: the outbox of follow-up work and form tokens."""

    name = "core"
    verbose_name = "Platform"
