"""Timeline entries that must be written whichever way a record goes, and names kept in memory that a save
makes out of date.

An access entry is removed on the case's Access page (services.access_restriction_remove), when an admin
deletes the person's account (casework.admin.UserAdmin, through the same service), or by a cascade when an
account is deleted any other way. The timeline entry is written here, once, for every path. Code that knows
who is removing the entry says so by setting `removed_by` on it before deleting it; a cascade has no actor.
"""

import functools

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from .constants import EventKind
from .models import AccessRestriction, ServiceUser, User
from .selectors import forget_officer_name
from .services import record_case_event


def _deleted_model(origin):
    return origin.model if isinstance(origin, QuerySet) else type(origin)


def access_restriction_removed(sender, instance, origin=None, **kwargs):
    deleted = _deleted_model(origin)
    if deleted is ServiceUser:
        return  # the case itself is going: there is no timeline left to write to
    summary = f"Access: {instance.user} no longer {instance.get_kind_display().lower()} on this case"
    if deleted is User:
        summary += " (their account was deleted)"
    record_case_event(
        actor=getattr(instance, "removed_by", None),
        case=instance.service_user,
        kind=EventKind.UPDATED,
        summary=summary,
    )


def user_saved_or_deleted(sender, instance, **kwargs):
    # Lists name officers from what each process keeps (officer_names). Forgotten now, and again once the save
    # commits: a list drawn meanwhile in another thread may have kept the name as it was.
    forget_officer_name(instance.pk)
    transaction.on_commit(functools.partial(forget_officer_name, instance.pk))


def connect() -> None:
    post_delete.connect(
        access_restriction_removed, sender=AccessRestriction, dispatch_uid="casework.access_restriction_removed"
    )
    post_save.connect(user_saved_or_deleted, sender=User, dispatch_uid="casework.user_saved")
    post_delete.connect(user_saved_or_deleted, sender=User, dispatch_uid="casework.user_deleted")
