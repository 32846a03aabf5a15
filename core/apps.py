from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class CoreConfig(AppConfig):
    """Pieces every app uses, and the tables they need: the outbox of follow-up work and form tokens."""

    name = "core"
    verbose_name = "Platform"

    def ready(self):
        from . import plans

        connection_created.connect(plans.install, dispatch_uid="core.plans.install")
        pre_migrate.connect(plans.forget, dispatch_uid="core.plans.forget.pre")
        post_migrate.connect(plans.forget, dispatch_uid="core.plans.forget.post")
