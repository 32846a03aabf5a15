"""Reads for casework. Every case read goes through here so visibility cannot be forgotten."""

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from core.prepared import Prepared, PreparedList, PreparedSet, prepared, prepared_filter
from risk.constants import ROSH_ORDER

from .constants import OrderStatus, OrderType, RestrictionKind, Role
from .models import (
    AccessRestriction,
    AgencyInvolvement,
    AuditEvent,
    CaseEvent,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
    Team,
    User,
    requirement_label,
)


class CaseRestricted(PermissionDenied):
    """The case is in the user's teams but has limited access that leaves them out."""

    def __init__(self, case=None):
        super().__init__("This case has restricted access. Ask your line manager if your work needs it.")
        self.case = case  # so the refusal is recorded against the case in the access audit


def visible_teams(user: User) -> QuerySet[Team]:
    """Teams whose cases the user may see: admins all; managers theirs; officers their own."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.is_casework_admin:
        return Team.objects.all()
    if user.role == Role.LINE_MANAGER:
        return Team.objects.filter(Q(managers=user) | Q(members=user)).distinct()
    return Team.objects.filter(members=user)


def _team_scope(user: User) -> QuerySet[ServiceUser]:
    if not user.is_authenticated or not user.is_active:
        return ServiceUser.objects.none()
    if user.is_casework_admin:
        return ServiceUser.objects.all()
    # The team ids as values, not a subquery: the planner then walks the (team, name) index in order
    # instead of scanning every case in the region and sorting. Read once per user object, as Django caches
    # permissions (_perm_cache): a request's page and its navigation badges share them.
    return ServiceUser.objects.filter(team__in=visible_team_ids(user))


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


def with_access(users: QuerySet[User]) -> QuerySet[User]:
    """Users with what their access is checked against, read in the same statement as text (prime_access reads
    it): the teams they belong to, the teams they manage, and the access restrictions on those teams' cases as
    "case:team:kind:person". The signed-in user is read this way (casework.backends)."""
    # Inside the restrictions' subquery, the user is the outer query's outer query.
    in_teams = Q(service_user__team__in=_teams_of(User.teams, OuterRef(OuterRef("pk")))) | Q(
        service_user__team__in=_teams_of(User.managed_teams, OuterRef(OuterRef("pk")))
    )
    # Joined in SQL with no parameters (Concat adds two for each separator).
    restriction = Func(
        *(Cast(column, TextField()) for column in ("service_user_id", "service_user__team_id", "kind", "user_id")),
        template="%(expressions)s",
        arg_joiner=" || ':' || ",
        output_field=TextField(),
    )
    return users.annotate(
        member_team_ids=_joined(User.teams.through.objects.filter(user_id=OuterRef("pk")), "team_id"),
        managed_team_ids=_joined(User.managed_teams.through.objects.filter(user_id=OuterRef("pk")), "team_id"),
        team_restrictions=_joined(AccessRestriction.objects.filter(in_teams), restriction),
    )


@prepared
def _access_of(user_id):
    return with_access(User.objects.filter(pk=user_id)).values_list(
        "member_team_ids", "managed_team_ids", "team_restrictions"
    )


@prepared
def _exclusions_of(user_id):
    return AccessRestriction.objects.filter(user=user_id, kind=RestrictionKind.EXCLUDED).values_list(
        "service_user_id", "kind", "user_id"
    )


def prime_access(user: User, member: str | None, managed: str | None, restrictions: str | None) -> None:
    """Work out, once per user object, what visible_team_ids, managed_team_ids and hidden_case_ids answer, from
    the text with_access reads. The one place the rules are: a line manager sees the teams they manage and those
    they belong to; anyone else only their own teams; restrictions apply to the cases of the teams they see."""
    if not user.is_authenticated or not user.is_active or user.is_casework_admin:
        return  # admins see every team, read when first needed (_access)
    member_ids, managed_ids = _ids(member), _ids(managed)
    if user.role == Role.LINE_MANAGER:
        team_ids, managed_ids = sorted(set(member_ids) | set(managed_ids)), sorted(managed_ids)
    else:
        team_ids, managed_ids = sorted(member_ids), []
    visible = set(team_ids)
    rows = []
    for text in (restrictions or "").split(","):
        if text:
            case_id, team_id, kind, person_id = text.split(":")
            if int(team_id) in visible:
                rows.append((int(case_id), kind, int(person_id)))
    user._access = (team_ids, managed_ids, sorted(hidden_by_restrictions(user.pk, is_admin=False, restrictions=rows)))


def _ids(joined: str | None) -> list[int]:
    return [int(value) for value in joined.split(",")] if joined else []


def _access(user: User) -> tuple[list[int], list[int], list[int]]:
    """(visible team ids, managed team ids, hidden case ids), read once per user object: with the user when
    signed in (casework.backends), else in one prepared statement here."""
    access = getattr(user, "_access", None)
    if access is None:
        if not user.is_authenticated or not user.is_active:
            access = ([], [], [])
        elif user.is_casework_admin:  # every team; only a named exclusion keeps an admin out
            rows = _exclusions_of.rows(user.pk)
            hidden = sorted(hidden_by_restrictions(user.pk, is_admin=True, restrictions=rows))
            access = (list(Team.objects.values_list("pk", flat=True)), [], hidden)
        else:
            prime_access(user, *(_access_of.rows(user.pk) or [(None, None, None)])[0])
            return user._access
        user._access = access
    return access


def visible_team_ids(user: User) -> list[int]:
    """The ids of visible_teams(user), read once per user object. Every page of every signed-in person starts
    here, so the SQL is prepared (core.prepared)."""
    return _access(user)[0]


_teams_by_id = prepared_filter(Team, "pk__in")


def visible_team_list(user: User) -> list[Team]:
    """visible_teams(user), by name, read with prepared SQL from the team ids every page reads anyway."""
    if user.is_casework_admin:
        return list(visible_teams(user))
    return _teams_by_id.instances(visible_team_ids(user))


def team_choices(user: User) -> list[Team]:
    """The teams a caseload can be filtered by, by name: none for someone who sees one team only (the list then
    has no team filter or column, so there is nothing to read)."""
    if not user.is_casework_admin and len(visible_team_ids(user)) < 2:
        return []
    return visible_team_list(user)


def managed_team_list(user: User) -> list[Team]:
    """The teams this line manager manages, by name, read with prepared SQL from the ids every page reads."""
    return _teams_by_id.instances(managed_team_ids(user))


def managed_team_ids(user: User) -> list[int]:
    """The teams this line manager manages (not those they are only a member of), read with visible_team_ids."""
    return _access(user)[1]


def hidden_by_restrictions(user_id: int, *, is_admin: bool, restrictions) -> set[int]:
    """The rule, on plain rows of (case id, kind, person): the cases this person must not see. A named
    exclusion keeps them out; once a case lists anyone as allowed, everyone not listed is kept out too.
    Admins manage restrictions, so only a named exclusion keeps an admin out."""
    excluded, limited, allowed = set(), set(), set()
    for case_id, kind, person_id in restrictions:
        if kind == RestrictionKind.EXCLUDED:
            if person_id == user_id:
                excluded.add(case_id)
        else:
            limited.add(case_id)
            if person_id == user_id:
                allowed.add(case_id)
    return excluded if is_admin else excluded | (limited - allowed)


def hidden_case_ids(user: User) -> list[int]:
    """The cases in the user's teams that restrictions keep from them. Restrictions are few, so their rows are
    read once per user object, with the team ids, and every visibility check after that is a plain list
    instead of three subqueries to build and run."""
    return _access(user)[2]


def cases_visible_to(user: User) -> QuerySet[ServiceUser]:
    """Every list, search, count, export and notification starts here."""
    if not user.is_authenticated or not user.is_active:
        return ServiceUser.objects.none()
    if user.is_casework_admin:  # every team's cases, less those a named exclusion keeps from them
        hidden = hidden_case_ids(user)
        return ServiceUser.objects.exclude(pk__in=hidden) if hidden else ServiceUser.objects.all()
    return cases_in(visible_team_ids(user), hidden_case_ids(user))


def cases_in(team_ids: list[int], hidden_ids: list[int]) -> QuerySet[ServiceUser]:
    """The cases of these teams but those restrictions hide: cases_visible_to on plain values, for prepared
    queries (core.prepared)."""
    cases = ServiceUser.objects.filter(team__in=team_ids)
    return cases.exclude(pk__in=hidden_ids) if hidden_ids else cases


def _cases_of_team(team_ids, hidden_ids, team_id):
    return cases_in(team_ids, hidden_ids).filter(team=team_id).order_by("last_name", "first_name")


def cases_of_team(user: User, team: Team) -> QuerySet[ServiceUser] | PreparedSet:
    """The team's cases the user may see, by name: as a PreparedSet for the team pages a manager opens all day
    (the reader chooses the columns), as a queryset for an admin."""
    if user.is_casework_admin:
        return cases_visible_to(user).filter(team=team).order_by("last_name", "first_name")
    return PreparedSet(_cases_of_team, visible_team_ids(user), hidden_case_ids(user), team.pk)


def _case_with_header(cases: QuerySet[ServiceUser]) -> QuerySet[ServiceUser]:
    # The tier too: every case page's header shows it (RoSH, MAPPA and flags tags).
    return cases.select_related("team", "responsible_officer", "tier").annotate(
        # For the "Restricted access" tag every case page shows.
        restricted_access=Exists(AccessRestriction.objects.filter(service_user=OuterRef("pk"))),
    )


@prepared
def _case_in_teams(crn, team_ids):
    # Prepared (core.prepared): every case page starts here.
    return _case_with_header(ServiceUser.objects.filter(crn=crn, team__in=team_ids)).order_by()[:1]


def get_case_for_user(user: User, crn: str) -> ServiceUser:
    """The case with this CRN if the user may see it. Another team's case is a 404, so its existence is
    not revealed; a restricted case in the user's own teams says only that access is restricted."""
    crn = str(crn).upper()
    if user.is_authenticated and user.is_active and not user.is_casework_admin:
        case = next(iter(_case_in_teams.instances(crn, visible_team_ids(user))), None)
    else:
        case = _case_with_header(_team_scope(user)).filter(crn=crn).first()
    if case is None:
        raise Http404("No case found")
    if case.pk in hidden_case_ids(user):
        raise CaseRestricted(case)
    return case


def get_case_record_or_404(model, case: ServiceUser, pk):
    """A record belonging to this case. Another case's record is a 404, never a leak."""
    record = model.objects.filter(pk=pk, **{model.case_path: case}).first()
    if record is None:
        raise Http404("No record found")
    return record


@dataclass(frozen=True)
class CaseloadQuery:
    scope: str = "mine"  # "mine" or "team"
    search: str = ""
    team_id: int | None = None
    order_type: str = ""
    sort: str = "name"


# RoSH as a number to sort on, highest first (risk.constants.ROSH_ORDER); not yet screened sorts last.
_ROSH_RANK = Case(
    *(When(tier__rosh_level=level, then=Value(rank)) for level, rank in ROSH_ORDER.items()),
    default=Value(-1),
)

CASELOAD_SORTS = {
    "name": ("last_name", "first_name"),
    "-name": ("-last_name", "-first_name"),
    "crn": ("crn",),
    "-crn": ("-crn",),
    "dob": ("date_of_birth",),
    "-dob": ("-date_of_birth",),
    "officer": ("responsible_officer__last_name", "last_name"),
    "-officer": ("-responsible_officer__last_name", "last_name"),
    # Tier A is the highest protect level: ascending puts the highest risk first; cases without a tier last.
    "tier": (F("tier__protect_level").asc(nulls_last=True), F("tier__change_level").desc(nulls_last=True)),
    "-tier": (F("tier__protect_level").desc(nulls_last=True), F("tier__change_level").asc(nulls_last=True)),
    "rosh": (F("rosh_rank").desc(), "last_name"),
    "-rosh": (F("rosh_rank").asc(), "last_name"),
}


def caseload_extra_sorts(now: datetime) -> tuple[dict, dict]:
    """Columns other apps add to the caseload that sort across the whole list, not just a page
    (settings.CASELOAD_EXTRA_SORTS, e.g. contact due): each hook (now) gives (annotations, sorts like
    CASELOAD_SORTS). The annotations are on every row, so a column shows the value it is sorted by."""
    annotations, sorts = {}, {}
    for path in settings.CASELOAD_EXTRA_SORTS:
        extra_annotations, extra_sorts = import_string(path)(now)
        annotations |= extra_annotations
        sorts |= extra_sorts
    return annotations, sorts


def _sorted_caseload(cases, *, officer_id, team_id, order_type, sort: str, now: datetime) -> QuerySet[ServiceUser]:
    """The caseload's filters (None: not filtered), columns and sort over these cases."""
    if officer_id is not None:
        cases = cases.filter(responsible_officer=officer_id)
    if team_id is not None:
        cases = cases.filter(team_id=team_id)
    if order_type is not None:
        active = Order.objects.filter(service_user=OuterRef("pk"), order_type=order_type, status=OrderStatus.ACTIVE)
        cases = cases.filter(Exists(active))
    extra_annotations, extra_sorts = caseload_extra_sorts(now)
    sorts = CASELOAD_SORTS | extra_sorts
    return (
        cases.select_related("team", "responsible_officer", "tier")
        .annotate(rosh_rank=_ROSH_RANK)
        .annotate(**extra_annotations)
        .order_by(*sorts.get(sort, CASELOAD_SORTS["name"]), "pk")
    )


def caseload(user: User, query: CaseloadQuery) -> QuerySet[ServiceUser]:
    """The caseload list: the user's cases (or their teams'), searched, filtered and sorted."""
    cases = cases_visible_to(user)
    if query.search:
        term = query.search.strip()
        name_filter = Q()
        for word in term.split():
            name_filter &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        cases = cases.filter(name_filter | Q(crn__iexact=term))
    return _sorted_caseload(cases, sort=query.sort, now=timezone.now(), **_caseload_filters(user, query))


def _caseload_filters(user: User, query: CaseloadQuery) -> dict:
    return {
        "officer_id": user.pk if query.scope == "mine" else None,
        "team_id": query.team_id or None,
        "order_type": query.order_type or None,
    }


_PREPARED_CASELOADS = {}


@functools.cache
def _sort_names() -> frozenset:
    return frozenset(CASELOAD_SORTS) | frozenset(caseload_extra_sorts(timezone.now())[1])


def _prepared_caseload(sort: str) -> Prepared:
    """The caseload in one sort order, as prepared SQL (core.prepared)."""
    if sort not in _PREPARED_CASELOADS:

        def build(team_ids, hidden_ids, officer_id, team_id, order_type, now):
            cases = cases_in(team_ids, hidden_ids)
            return _sorted_caseload(
                cases, officer_id=officer_id, team_id=team_id, order_type=order_type, sort=sort, now=now
            )

        # A team's caseload was planned afresh on every page (0.7 ms) for a plan no faster than one for any team.
        _PREPARED_CASELOADS[sort] = prepared(build, generic_plan=True)
    return _PREPARED_CASELOADS[sort]


def caseload_list(user: User, query: CaseloadQuery) -> QuerySet[ServiceUser] | PreparedList:
    """caseload() as a Paginator's object_list. The lists opened all day (no search, an officer's or a manager's
    teams) are read with prepared SQL; a search, and an admin's view of every team, with the ORM."""
    if query.search or not user.is_authenticated or not user.is_active or user.is_casework_admin:
        return caseload(user, query)
    sort = (
        query.sort if query.sort in CASELOAD_SORTS or query.sort in caseload_extra_sorts(timezone.now())[1] else "name"
    )
    filters = _caseload_filters(user, query)
    return PreparedList(
        _prepared_caseload(sort),
        visible_team_ids(user),
        hidden_case_ids(user),
        filters["officer_id"],
        filters["team_id"],
        filters["order_type"],
        timezone.now(),
    )


def with_row_facts(cases: list[ServiceUser]) -> list[ServiceUser]:
    """A page of the caseload with each case's sentence, and what other apps add to each row
    (settings.CASELOAD_ROW_FACTS, e.g. when contact is next due), each in a fixed number of queries for the page."""
    _with_sentences(cases)
    for path in settings.CASELOAD_ROW_FACTS:
        import_string(path)(cases, timezone.localdate())
    return cases


class Sentence(NamedTuple):
    """An order in force as the caseload shows it: "Community order", then its requirements."""

    order: str
    requirements: list[str]


@prepared
def _active_orders_of(case_ids):
    # Orders and their requirements in one read (a row per requirement), prepared: every caseload page runs it.
    return (
        Order.objects.filter(service_user__in=case_ids, status=OrderStatus.ACTIVE)
        .order_by("service_user_id", "-sentence_date", "-id", "requirements__id")
        .values_list(
            "service_user_id",
            "pk",
            "order_type",
            "requirements__requirement_type",
            "requirements__unpaid_work_hours",
            "requirements__rar_days",
        )
    )


def _with_sentences(cases: list[ServiceUser]) -> None:
    sentences = defaultdict(dict)
    order_types = dict(OrderType.choices)
    for case_id, order_id, order_type, requirement, hours, days in _active_orders_of.rows([c.pk for c in cases]):
        order = sentences[case_id].setdefault(order_id, Sentence(order_types.get(order_type, order_type), []))
        if requirement:
            order.requirements.append(requirement_label(requirement, hours, days))
    for case in cases:
        case.sentences = list(sentences[case.pk].values())


class CaseRef(NamedTuple):
    """The little a list of hundreds of cases shows of each, read without building model instances."""

    pk: int
    crn: str
    first_name: str
    last_name: str
    responsible_officer: str | None  # the officer's name, None if unallocated

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# The officer's name is read apart (officer_names): joined to every case of a team, PostgreSQL hashed all 2,750
# staff at national scale to name the team's ten officers.
CASE_REF_FIELDS = ("pk", "crn", "first_name", "last_name", "responsible_officer")


@prepared
def _names_of(user_ids):
    return User.objects.filter(pk__in=user_ids).values_list("pk", "first_name", "last_name", "username")


def officer_names(user_ids) -> dict[int, str]:
    """{user id: name as lists show it} for these ids: at most one query, for names this process has not kept.

    Staff names change rarely, and a manager's pages name the officers of hundreds of cases on every request: each
    process keeps the names it reads for a minute (the "staff_names" cache, in its own memory), which spares those
    pages a round trip to the database. Saving a user forgets their name in the saving process at once
    (casework.signals); the others show the new name within the minute."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return {}
    kept = caches["staff_names"]
    names = kept.get_many(ids)
    missing = [pk for pk in ids if pk not in names]
    if missing:
        read = {pk: f"{first} {last}".strip() or username for pk, first, last, username in _names_of.rows(missing)}
        kept.set_many(read)
        names |= read
    return names


def forget_officer_name(user_id: int) -> None:
    """After a user is saved or deleted: the name this process kept is read again when next shown."""
    caches["staff_names"].delete(user_id)


def case_refs_of(rows) -> list[CaseRef]:
    """CaseRefs from rows that begin with the values of CASE_REF_FIELDS, with their officers' names."""
    names = officer_names(row[4] for row in rows)
    return [CaseRef(row[0], row[1], row[2], row[3], names.get(row[4])) for row in rows]


def case_refs(cases: QuerySet[ServiceUser] | PreparedSet) -> list[CaseRef]:
    rows = (
        cases.values_rows(*CASE_REF_FIELDS) if isinstance(cases, PreparedSet) else cases.values_list(*CASE_REF_FIELDS)
    )
    return case_refs_of(list(rows))


def case_records(case: ServiceUser) -> dict:
    """Everything the personal details, sentence and people pages show, in a fixed number of queries."""
    orders = list(case.orders.prefetch_related("requirements__extensions", "offences"))
    return {
        "orders": orders,
        "restraining_orders": list(case.restraining_orders.prefetch_related("protected_people")),
        "protected_people": list(case.protected_people.all()),
        "key_individuals": list(case.key_individuals.all()),
        "agencies": list(case.agencies.all()),
        "officer_history": list(case.officer_history.select_related("officer", "assigned_by")[:10]),
    }


# The overview's cards, each read with prepared SQL (core.prepared): the overview is the page opened most.
_orders_of = prepared_filter(Order, "service_user")
_requirements_of = prepared_filter(Requirement, "order__in")
_offences_of = prepared_filter(Offence, "order__in")
_restraining_orders_of = prepared_filter(RestrainingOrder, "service_user")
_protected_people_of = prepared_filter(ProtectedPerson, "service_user")
_key_individuals_of = prepared_filter(KeyIndividual, "service_user")
_agencies_of = prepared_filter(AgencyInvolvement, "service_user")


def _card(read: Prepared) -> functools.cached_property:
    """An OverviewCards list: the case's records `read` gives, read the first time a card shows them."""
    return functools.cached_property(lambda cards: read.instances(cards.case_id))


class OverviewCards:
    """What the overview's cards show: each order with its offences and requirements (as `offence_list` and
    `requirement_list`), restraining orders, protected people, key individuals and agencies. Only that: the
    extensions, who each restraining order protects and the officer history are on the pages behind "View all".

    Read when a card is drawn, not before: the overview keeps the drawn cards for the case's records version
    (templates/casework/case_overview.html), so most views of a case read none of it."""

    def __init__(self, case: ServiceUser):
        self.case_id = case.pk

    @functools.cached_property
    def orders(self) -> list[Order]:
        orders = _orders_of.instances(self.case_id)
        order_ids = [order.pk for order in orders]
        requirements, offences = defaultdict(list), defaultdict(list)
        for requirement in _requirements_of.instances(order_ids):
            requirements[requirement.order_id].append(requirement)
        for offence in _offences_of.instances(order_ids):
            offences[offence.order_id].append(offence)
        for order in orders:
            order.requirement_list, order.offence_list = requirements[order.pk], offences[order.pk]
        return orders

    restraining_orders = _card(_restraining_orders_of)
    protected_people = _card(_protected_people_of)
    key_individuals = _card(_key_individuals_of)
    agencies = _card(_agencies_of)


def case_timeline(case: ServiceUser) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor")


def restricted_user_ids(case: ServiceUser, user_ids) -> set[int]:
    """Of these users, the ones this case's limited access keeps out (for notifications and allocation)."""
    return restricted_user_ids_by_case({case.pk: set(user_ids)})[case.pk]


def restricted_user_ids_by_case(user_ids_by_case: dict[int, set[int]]) -> dict[int, set[int]]:
    """The same for many cases at once, in at most two queries (the daily sweeps notify thousands)."""
    excluded, allowed = defaultdict(set), defaultdict(set)
    rows = AccessRestriction.objects.filter(service_user__any_of=list(user_ids_by_case)).values_list(
        "service_user", "user_id", "kind"
    )
    for case_id, user_id, kind in rows:
        (excluded if kind == RestrictionKind.EXCLUDED else allowed)[case_id].add(user_id)
    admins = set()
    if allowed:
        candidates = set().union(*(user_ids_by_case[case_id] for case_id in allowed))
        admins = set(User.objects.filter(pk__in=candidates, role=Role.ADMIN).values_list("pk", flat=True))
    return {
        case_id: (ids & excluded[case_id]) | ((ids - allowed[case_id] - admins) if allowed[case_id] else set())
        for case_id, ids in user_ids_by_case.items()
    }


def case_audit(case: ServiceUser):
    return AuditEvent.objects.filter(service_user=case).select_related("user")


def audit_search(*, username: str = "", crn: str = "", date_from=None, date_to=None):
    events = AuditEvent.objects.select_related("user", "service_user")
    if username:
        events = events.filter(user__username__iexact=username.strip())
    if crn:
        events = events.filter(service_user__crn=crn.strip().upper())
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events
