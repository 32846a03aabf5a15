"""Admin bases every app's admin.py uses.

The Django admin is a support tool, not a way round the app. Each registered model is one of two kinds:

- A case record: anything that belongs to a service user (the case itself, its orders, people, contacts,
  enquiries, plans, requests, ratings, allocation decisions, timeline, notifications, access entries and
  access audit). `ReadOnlyCaseRecordAdmin`: no add, change or delete here, because changes go through the
  app's pages and services, which check the rules and write the case timeline; an admin edit would do
  neither. The admin shows only the cases `casework.selectors` lets the user see (a named exclusion keeps
  an admin out here as on the case pages), and every read is in the access audit, like a case page.
- Configuration: teams, staff, officer profiles and workload settings, criteria rule sets, periodic tasks.
  These stay editable: `ConfigurationAdmin`, or `TrackedAdmin` for models that record who created and
  last changed them.
"""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from casework.constants import AuditAction
from casework.models import ServiceUser, Tracked, User
from casework.selectors import cases_visible_to, hidden_case_ids

from .models import EmailFailure, Heartbeat, Outbox, OutboxState, SubmissionToken, SweepBatch, SweepRun

TRACKED_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


def visible_case_records(user: User, queryset: QuerySet, case_path: str, *, case_optional: bool = False) -> QuerySet:
    """The records in `queryset` whose case (reached by `case_path`, "pk" for the case itself) the user
    may see. Records with no case are kept when `case_optional` (a notification or audit row about no case)."""
    if user.is_casework_admin:
        # Admins see every team; only a named exclusion keeps them out. Excluding the few hidden cases
        # keeps the query cheap on the large tables (the access audit) and keeps records with no case.
        hidden = hidden_case_ids(user)
        return queryset.exclude(**{f"{case_path}__in": hidden}) if hidden else queryset
    visible = Q(**{f"{case_path}__in": cases_visible_to(user).values("pk")})
    if case_optional:
        visible |= Q(**{f"{case_path}__isnull": True})
    return queryset.filter(visible)


def _lookup(queryset: QuerySet, object_id, from_field=None):
    """One record by the admin's object id, as ModelAdmin.get_object looks it up; None if there is none."""
    model = queryset.model
    field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
    try:
        return queryset.get(**{field.name: field.to_python(object_id)})
    except (model.DoesNotExist, ValidationError, ValueError):
        return None


class EstimatedCountPaginator(Paginator):
    """Counts a whole national table (a list with no search, filter or restriction) from PostgreSQL's statistics
    instead of reading every row: exact counting took 20 ms of the admin's list of 250,000 cases, for a total
    nobody needs to the unit. Smaller tables, and any narrowed list, are counted exactly; the page says "about"
    when the total is an estimate (templates/admin/pagination.html). One statement either way, so the list makes
    the same queries at every size."""

    ESTIMATE_ABOVE = 100_000

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.has_filters():
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                table = connection.ops.quote_name(queryset.model._meta.db_table)
                with connection.cursor() as cursor:
                    # The exact count runs only when the statistics say the table is small (or was never analysed).
                    cursor.execute(
                        f"SELECT reltuples > %s, CASE WHEN reltuples > %s THEN reltuples::bigint "
                        f"ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class WHERE oid = %s::regclass",
                        [self.ESTIMATE_ABOVE, self.ESTIMATE_ABOVE, queryset.model._meta.db_table],
                    )
                    self.estimated, total = cursor.fetchone()
                return total
        return super().count


class ReadOnlyCaseRecordAdmin(admin.ModelAdmin):
    """A case record: readable by admins for support, never added, changed or deleted here.

    Lists, searches, raw-id pop-ups and autocomplete read `get_queryset`, which leaves out the cases the
    user may not see. Opening a record (its view, history or delete page) goes through `get_object`, which
    notes the record's case for the access audit (casework.middleware.AccessAuditMiddleware) or, when the
    record belongs to a case the user may not see, records the refusal against that case and answers as
    Django does for a record that does not exist. A list is recorded as a view with no case.

    `case_path` is the lookup from the record to its case ("pk" for the case itself); by default the
    model's own `case_path`. Set `case_optional` where a record need not belong to a case."""

    case_path: str | None = None
    case_optional = False
    actions = None  # the only default action is "delete selected"
    # Counting a national table twice (the filtered and the full count) for every page of a list: once is enough.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50  # support looks a record up by CRN; a page of 100 rows took twice the time to draw

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.case_path = self.case_path or getattr(model, "case_path", None)
        if not self.case_path:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a case_path: the lookup from a record to its case")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, Tracked):
            fields += [name for name in TRACKED_FIELDS if name not in fields]
        return fields

    def get_queryset(self, request):
        return visible_case_records(
            request.user, super().get_queryset(request), self.case_path, case_optional=self.case_optional
        )

    def case_of(self, record) -> ServiceUser | None:
        """The case a record belongs to, following `case_path`."""
        if self.case_path == "pk":
            return record
        for name in self.case_path.split("__"):
            record = getattr(record, name)
            if record is None:
                return None
        return record

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        if record is not None:
            request.audit_case = self.case_of(record)
            return record
        hidden = _lookup(self.model._default_manager.all(), object_id, from_field)
        case = self.case_of(hidden) if hidden is not None else None
        if case is not None:
            # The record exists, in a case this user may not see: refused, and recorded against the case.
            request.audit_denied = True
            request.audit_case = case
        return None

    def changelist_view(self, request, extra_context=None):
        request.audit_action = AuditAction.VIEW
        return super().changelist_view(request, extra_context)


class ReadOnlyCaseRecordInline(admin.TabularInline):
    """A case record shown within its parent's admin page; read-only like the parent."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfigurationAdmin(admin.ModelAdmin):
    """Configuration an admin maintains here (teams, workload settings, criteria rule sets): editable."""


class TrackedAdmin(ConfigurationAdmin):
    """Editable configuration that records who created and last changed it."""

    readonly_fields = TRACKED_FIELDS

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """Follow-up work waiting for the broker, and what failed. Operators look and retry; nobody edits."""

    list_display = ("task_name", "args", "state", "attempts", "next_attempt_at", "created_at", "sent_at")
    list_filter = ("state", "task_name")
    ordering = ("-created_at",)
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again at the next dispatch")
    def retry_now(self, request, queryset):
        waiting = queryset.exclude(state=OutboxState.SENT)
        count = waiting.update(state=OutboxState.PENDING, next_attempt_at=timezone.now())
        self.message_user(request, f"{count} entries will be sent at the next dispatch.")


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(admin.ModelAdmin):
    """Forms already sent, so a second submit shows the first result. Kept for support questions only."""

    list_display = ("created_at", "user", "result_url")
    ordering = ("-created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailFailure)
class EmailFailureAdmin(admin.ModelAdmin):
    """Emails the mail server refused, by recipient: correct the person's address in their staff record."""

    list_display = ("failed_at", "recipient", "address", "subject", "error")
    search_fields = ("address", "recipient__username")
    ordering = ("-failed_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SweepBatchInline(admin.TabularInline):
    model = SweepBatch
    fields = ("number", "task_name", "sent_at", "attempts", "completed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    """Each day's run of each sweep: batches sent and done. The watchdog sends lost batches again."""

    list_display = ("run_on", "sweep", "batches_expected", "batches_completed", "started_at", "finished_at")
    list_filter = ("sweep",)
    ordering = ("-run_on", "sweep")
    inlines = [SweepBatchInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SweepBatch)
class SweepBatchAdmin(admin.ModelAdmin):
    """Every batch of every run, to find the ones not done (the watchdog sends them again)."""

    list_display = ("run", "number", "task_name", "sent_at", "attempts", "completed_at")
    list_filter = ("task_name",)
    ordering = ("-sent_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """When a worker and beat last showed they were alive (/health/ready reads these)."""

    list_display = ("name", "beat_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
