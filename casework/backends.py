"""Signing in and the signed-in user."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Func, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast

from core.prepared import prepared

from .models import AccessRestriction, User
from .selectors import prime_access


class _Joined(Func):
    """A column's values over a subquery's rows as one comma-separated string. A plain function rather than an
    Aggregate, so the subquery has no GROUP BY and is always one row (NULL when there are none)."""

    template = "STRING_AGG(CAST(%(expressions)s AS TEXT), ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="GROUP_CONCAT(%(expressions)s, ',')", **extra_context)


def _joined(queryset, expression):
    return Subquery(queryset.order_by().annotate(joined=_Joined(expression)).values("joined"))


def _teams_of(relation, user):
    return relation.through.objects.filter(user_id=user).values("team_id")


@prepared
def _user_with_access(user_id):
    # What every page checks access with, read with the user in one statement: the teams they belong to, the
    # teams they manage, and the access restrictions on those teams' cases (casework.selectors.prime_access).
    member = User.teams.through.objects.filter(user_id=OuterRef("pk"))
    managed = User.managed_teams.through.objects.filter(user_id=OuterRef("pk"))
    # One level further in, the user is the outer query's outer query.
    in_teams = Q(service_user__team__in=_teams_of(User.teams, OuterRef(OuterRef("pk")))) | Q(
        service_user__team__in=_teams_of(User.managed_teams, OuterRef(OuterRef("pk")))
    )
    # "case:team:kind:person", joined in SQL with no parameters (Concat adds two for each separator).
    restriction = Func(
        *(Cast(column, TextField()) for column in ("service_user_id", "service_user__team_id", "kind", "user_id")),
        template="%(expressions)s",
        arg_joiner=" || ':' || ",
        output_field=TextField(),
    )
    return User.objects.filter(pk=user_id).annotate(
        member_team_ids=_joined(member, "team_id"),
        managed_team_ids=_joined(managed, "team_id"),
        team_restrictions=_joined(AccessRestriction.objects.filter(in_teams), restriction),
    )


class CaseworkBackend(ModelBackend):
    """Django's ModelBackend, with the user every request loads from its session read by SQL compiled once
    (core.prepared), together with their teams and the restrictions that apply in them."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _user_with_access.instances(user_id)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        prime_access(
            user,
            member=_ids(user.member_team_ids),
            managed=_ids(user.managed_team_ids),
            restrictions=[_restriction(text) for text in (user.team_restrictions or "").split(",") if text],
        )
        return user


def _ids(joined: str | None) -> list[int]:
    return [int(value) for value in joined.split(",")] if joined else []


def _restriction(text: str) -> tuple[int, int, str, int]:
    case_id, team_id, kind, user_id = text.split(":")
    return int(case_id), int(team_id), kind, int(user_id)
