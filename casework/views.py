"""Casework pages. Views parse input, call a selector or service, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from core import permissions
from core.csv import csv_response
from core.errors import CaseworkError
from core.forms import model_values
from core.params import id_param
from core.views import CaseMixin, OnceOnlyMixin, load_case

from . import forms, selectors, services
from .constants import OrderStatus, OrderType
from .models import (
    AccessRestriction,
    AgencyInvolvement,
    AuditEvent,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
)
from .notifications import notifications_for
from .rules import display_value

CASELOAD_PAGE_SIZE = 25


@login_not_required
def health(request):
    """For load balancers: the process is up. Deliberately touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


def caseload(request):
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "team"):
        scope = "mine"
    query = selectors.CaseloadQuery(
        scope=scope,
        search=request.GET.get("q", "")[:100].replace("\x00", ""),  # NUL cannot reach PostgreSQL
        team_id=id_param(request.GET.get("team")),
        order_type=request.GET.get("order_type", "") if request.GET.get("order_type") in OrderType.values else "",
        sort=request.GET.get("sort", "name"),
    )
    cases = selectors.caseload_list(request.user, query)
    page = Paginator(cases, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_row_facts(list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    return render(
        request,
        "casework/caseload.html",
        {
            "page": page,
            "query": query,
            "teams": selectors.team_choices(request.user),
            "order_types": OrderType.choices,
            "querystring": params.urlencode(),
            "sort_querystring": sort_params.urlencode(),
            "today": timezone.localdate(),
            "filtered": bool(query.search or query.team_id or query.order_type),
        },
    )


class CaseRecordsView(CaseMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **selectors.case_records(self.case))


class CaseOverviewView(CaseMixin, TemplateView):
    """Summary cards, plus panels other apps contribute (settings.CASE_OVERVIEW_PANELS)."""

    template_name = "casework/case_overview.html"

    def get_context_data(self, **kwargs):
        panels = [import_string(path)(self.case, self.request.user) for path in settings.CASE_OVERVIEW_PANELS]
        attention = [item for panel in panels for item in panel.get("attention", [])]
        return super().get_context_data(
            **kwargs, cards=selectors.OverviewCards(self.case), panels=panels, attention=attention
        )


class PersonalDetailsView(CaseRecordsView):
    template_name = "casework/personal_details.html"
    tab = "personal"


class SentenceView(CaseRecordsView):
    template_name = "casework/sentence.html"
    tab = "sentence"


class PeopleView(CaseRecordsView):
    template_name = "casework/people.html"
    tab = "people"


class TimelineView(CaseMixin, TemplateView):
    template_name = "casework/timeline.html"
    tab = "timeline"

    def get_context_data(self, **kwargs):
        events = Paginator(selectors.case_timeline(self.case), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, events=events)


class CaseRecordFormView(OnceOnlyMixin, CaseMixin, FormView):
    """Add or change one record of a case. The record is looked up within the case, never globally."""

    template_name = "casework/record_form.html"
    model = None
    lookup_kwarg = None  # URL kwarg naming the record when editing, e.g. "order_id"
    parent_model = None  # for records under an order
    parent_kwarg = None
    parent = {}  # {"order": order} for a record under an order
    success_tab = "casework:case_overview"

    def load_records(self, **kwargs):
        if self.lookup_kwarg in kwargs:
            self.instance = selectors.get_case_record_or_404(self.model, self.case, kwargs[self.lookup_kwarg])
        elif self.parent_model is not None:
            parent = selectors.get_case_record_or_404(self.parent_model, self.case, kwargs[self.parent_kwarg])
            self.parent = {self.parent_model._meta.model_name: parent}
            self.instance = self.model(**self.parent)
        else:
            self.instance = self.model(service_user=self.case)

    @property
    def creating(self):
        return self.instance.pk is None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def get_context_data(self, **kwargs):
        noun = self.model._meta.verbose_name
        title = f"Add {noun}" if self.creating else f"Change {noun}"
        return super().get_context_data(**kwargs, title=title[0].upper() + title[1:], back_url=self.get_success_url())

    def get_success_url(self):
        return reverse(self.success_tab, kwargs={"crn": self.case.crn})

    def form_valid(self, form):
        values, who = model_values(form), {"actor": self.request.user, "case": self.case}
        try:
            if self.creating:
                record = services.case_record_add(**who, model=self.model, values={**values, **self.parent})
            else:
                services.case_record_change(**who, record=self.instance, values=values)
                record = self.instance
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        noun = self.model._meta.verbose_name
        messages.success(self.request, f"{noun[0].upper()}{noun[1:]} {'added' if self.creating else 'saved'}: {record}")
        return redirect(self.get_success_url())


class PersonalDetailsEditView(CaseRecordFormView):
    model, form_class = ServiceUser, forms.ServiceUserForm
    tab = "personal"
    success_tab = "casework:personal_details"

    def load_records(self, **kwargs):
        self.instance = self.case

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "Change personal details"}


class OrderFormView(CaseRecordFormView):
    model, form_class, lookup_kwarg = Order, forms.OrderForm, "order_id"
    tab, success_tab = "sentence", "casework:sentence"


class OrderEndView(CaseMixin, FormView):
    """End an order: how, when and why. When it is the case's last active order, the case closes."""

    template_name = "casework/order_end.html"
    form_class = forms.OrderEndForm
    tab = "sentence"
    title = "End an order"

    def load_records(self, **kwargs):
        self.order = selectors.get_case_record_or_404(Order, self.case, kwargs["order_id"])

    def get_back_url(self):
        return reverse("casework:sentence", kwargs={"crn": self.case.crn})

    def get(self, request, *args, **kwargs):
        if not self.order.is_active:
            messages.info(request, f"This order has already ended ({self.order.get_status_display().lower()})")
            return redirect(self.get_back_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        last = not self.case.orders.filter(status=OrderStatus.ACTIVE).exclude(pk=self.order.pk).exists()
        return super().get_context_data(
            **kwargs, order=self.order, closes_case=last, title=self.title, back_url=self.get_back_url()
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            order = services.order_end(
                actor=self.request.user,
                order_id=self.order.pk,
                status=data["status"],
                ended_on=data["ended_on"],
                reason=data["reason"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        message = f"Order ended: {order} ({order.get_status_display().lower()})"
        if not self.case.orders.filter(status=OrderStatus.ACTIVE).exists():
            message += ". It was the last active order, so the case is now closed"
        messages.success(self.request, message)
        return redirect(self.get_back_url())


class UnpaidWorkExtensionView(OnceOnlyMixin, CaseMixin, FormView):
    """Record a court's extension of the 12 months to complete unpaid work."""

    template_name = "casework/upw_extension.html"
    form_class = forms.UnpaidWorkExtensionForm
    tab = "sentence"
    title = "Record a court extension for unpaid work"

    def load_records(self, **kwargs):
        self.requirement = selectors.get_case_record_or_404(Requirement, self.case, kwargs["requirement_id"])

    def get_back_url(self):
        return reverse("casework:sentence", kwargs={"crn": self.case.crn})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, requirement=self.requirement, title=self.title, back_url=self.get_back_url()
        )

    def form_valid(self, form):
        try:
            extension = services.upw_extension_record(
                actor=self.request.user, requirement_id=self.requirement.pk, **form.cleaned_data
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Extension recorded: complete the hours by {display_value(extension.extended_to)}"
        )
        return redirect(self.get_back_url())


class RequirementFormView(CaseRecordFormView):
    model, form_class, lookup_kwarg = Requirement, forms.RequirementForm, "requirement_id"
    parent_model, parent_kwarg = Order, "order_id"
    tab, success_tab = "sentence", "casework:sentence"


class OffenceFormView(RequirementFormView):
    model, form_class, lookup_kwarg = Offence, forms.OffenceForm, "offence_id"


class ProtectedPersonFormView(CaseRecordFormView):
    model, form_class, lookup_kwarg = ProtectedPerson, forms.ProtectedPersonForm, "protected_person_id"
    tab, success_tab = "people", "casework:people"


class RestrainingOrderFormView(ProtectedPersonFormView):
    model, form_class, lookup_kwarg = RestrainingOrder, forms.RestrainingOrderForm, "restraining_order_id"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}


class KeyIndividualFormView(ProtectedPersonFormView):
    model, form_class, lookup_kwarg = KeyIndividual, forms.KeyIndividualForm, "key_individual_id"


class AgencyFormView(ProtectedPersonFormView):
    model, form_class, lookup_kwarg = AgencyInvolvement, forms.AgencyInvolvementForm, "agency_id"


class CaseCreateView(OnceOnlyMixin, FormView):
    template_name = "casework/case_create.html"
    form_class = forms.NewCaseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "teams": selectors.visible_teams(self.request.user)}

    def form_valid(self, form):
        try:
            case = services.service_user_create(
                actor=self.request.user, officer=form.cleaned_data.get("responsible_officer"), **model_values(form)
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, f"Case created for {case.full_name} ({case.crn})")
        return redirect("casework:case_overview", crn=case.crn)


def notifications(request):
    items = Paginator(notifications_for(request.user).select_related("service_user"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "casework/notifications.html", {"page": items, "nav": "notifications"})


@require_POST
def notification_read(request, notification_id):
    """Mark one of your own notifications as read (someone else's is a 404)."""
    notification = get_object_or_404(notifications_for(request.user), pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(
        notification.url if request.POST.get("open") and notification.url.startswith("/") else "casework:notifications"
    )


@require_POST
def notifications_read_all(request):
    notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, "All notifications marked as read")
    return redirect("casework:notifications")


class CaseAccessView(CaseMixin, FormView):
    """Limited access: line managers of the case's team and admins exclude or allow named staff."""

    template_name = "casework/access.html"
    form_class = forms.AccessRestrictionForm
    section = "Access"

    def load_records(self, **kwargs):
        permissions.require(self.request.user, "manage_case_access", self.case)

    def get_context_data(self, **kwargs):
        entries = self.case.access_restrictions.select_related("user", "set_by").order_by("kind", "user__last_name")
        return super().get_context_data(
            **kwargs, entries=entries, back_url=reverse("casework:case_overview", kwargs={"crn": self.case.crn})
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.access_restriction_add(
                actor=self.request.user, case=self.case, user=data["user"], kind=data["kind"], reason=data["reason"]
            )
        except CaseworkError as error:
            form.add_error("user", str(error))  # every refusal here is about the person chosen
            return self.form_invalid(form)
        messages.success(self.request, "Access saved")
        return redirect("casework:access", crn=self.case.crn)


def access_remove(request, crn, restriction_id):
    case = load_case(request, crn)  # before anything else: another team's case is a 404 for any method
    restriction = get_object_or_404(AccessRestriction, pk=restriction_id, service_user=case)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    permissions.require(request.user, "manage_case_access", case)
    services.access_restriction_remove(actor=request.user, restriction=restriction)
    messages.success(request, "Access entry removed")
    return redirect("casework:access", crn=case.crn)


class CaseAuditView(CaseMixin, TemplateView):
    """Who has viewed or changed this case: for its line manager and admins."""

    template_name = "casework/case_audit.html"
    section = "Who has viewed this case"

    def load_records(self, **kwargs):
        permissions.require(self.request.user, "see_case_audit", self.case)

    def get_context_data(self, **kwargs):
        events = Paginator(selectors.case_audit(self.case), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, events=events)


def _audit_query(request):
    permissions.require(request.user, "see_access_audit")
    form = forms.AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, AuditEvent.objects.none()  # a filter that cannot be applied shows no rows, never all of them
    data = form.cleaned_data if form.is_bound else {}
    return form, selectors.audit_search(**{k: v for k, v in data.items() if v})


def audit(request):
    form, events = _audit_query(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "casework/audit.html", {"form": form, "page": page, "querystring": params.urlencode(), "nav": "audit"}
    )


def audit_csv(request):
    _, events = _audit_query(request)
    rows = (
        (
            timezone.localtime(event.occurred_at).isoformat(),
            event.user.username,
            event.get_action_display(),
            event.service_user.crn if event.service_user else "",
            event.title or event.page,
            event.path,
            event.ip_address or "",
        )
        for event in events.iterator(chunk_size=2000)
    )
    return csv_response(
        request,
        filename=f"access-audit-{timezone.localdate()}.csv",
        header=["When", "User", "Action", "CRN", "Page", "Path", "IP address"],  # Page: the title the person saw
        rows=rows,
    )
