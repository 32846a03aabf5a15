"""Contact pages: log, appointments, outcomes, amendments, contact plan and line-manager approval."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from casework.selectors import get_case_record_or_404
from core import permissions
from core.errors import CaseworkError
from core.forms import model_values
from core.views import CaseMixin, OnceOnlyMixin

from . import enforcement_views, forms, rules, selectors, services
from .constants import ContactType, PlanSource, WithWhom
from .models import Contact, ContactChangeRequest

CONTACTS_PAGE_SIZE = 25
# Shown whenever a contact with a protected person is logged (HMPPS domestic abuse policy: checks go through
# third parties; see the domain notes).
DIRECT_VICTIM_CONTACT = (
    "Contact with a victim directly is not a check on their safety, and with a victim of domestic abuse it can "
    "put them at risk. Check through the police, children's services, an IDVA or MARAC, or victim liaison"
)


class ContactSummaryMixin(CaseMixin):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, summary=selectors.contact_summary(self.case))


class ContactLogView(ContactSummaryMixin, TemplateView):
    template_name = "contacts/contact_log.html"
    tab = "contacts"

    def get_context_data(self, **kwargs):
        compliance = self.request.GET.get("compliance", "")
        contact_type = self.request.GET.get("type", "")
        if contact_type not in ContactType.values:
            contact_type = ""
        log = selectors.contact_log_list(self.case, compliance=compliance, contact_type=contact_type)
        page = Paginator(log, CONTACTS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = selectors.with_people(list(page.object_list))
        return super().get_context_data(
            **kwargs,
            page=page,
            compliance=compliance,
            contact_type=contact_type,
            contact_types=ContactType.choices,
            filtered=bool(compliance or contact_type),
        )


class AppointmentsView(ContactSummaryMixin, TemplateView):
    template_name = "contacts/appointments.html"
    tab = "appointments"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **selectors.appointments(self.case))


class CaseFormView(CaseMixin, FormView):
    template_name = "contacts/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, title=self.title, back_url=self.get_back_url())


class WarningAdviceMixin:
    """Tells the officer, before they choose, which of the case's orders a failure must now go to breach on:
    those with a warning whose 12-month period includes the failure's day (never a licence)."""

    def failure_day(self):
        return timezone.localdate()

    def advice_orders(self):
        return [o for o in self.orders if o.starts_on <= self.failure_day() <= o.ends_on]

    def get_context_data(self, **kwargs):
        advice = [
            rules.enforcement_advice(failure_on=self.failure_day(), order=order, warnings=self.warnings)
            for order in self.advice_orders()
        ]
        return super().get_context_data(**kwargs, breach_advice=[a for a in advice if a.requires_breach])

    @cached_property
    def case_orders(self) -> selectors.CaseOrders:
        return selectors.case_orders(self.case)

    @property
    def orders(self):
        return self.case_orders.orders

    @property
    def warnings(self):
        return self.case_orders.warnings

    def get_back_url(self):
        return reverse("contacts:log", kwargs={"crn": self.case.crn})


class ContactCreateView(OnceOnlyMixin, WarningAdviceMixin, CaseFormView):
    form_class = forms.ContactForm
    title = "Add a contact"
    tab = "contacts"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case, "orders": self.orders, "warnings": self.warnings}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            contact = services.contact_log(
                actor=self.request.user,
                case=self.case,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                warning_given_on=data.get("warning_given_on"),
                case_orders=self.case_orders,
                **model_values(form),
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, f"Contact created: {contact}")
        if contact.with_whom == WithWhom.PROTECTED_PERSON:
            messages.warning(self.request, DIRECT_VICTIM_CONTACT)
        return redirect("contacts:log", crn=self.case.crn)


class ContactMixin(CaseMixin):
    """Loads a contact of this case (another case's contact is a 404)."""

    def load_records(self, **kwargs):
        self.contact = get_case_record_or_404(Contact, self.case, kwargs["contact_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, contact=self.contact)


class ContactDetailView(ContactMixin, TemplateView):
    template_name = "contacts/contact_detail.html"
    tab = "contacts"

    def get_context_data(self, **kwargs):
        amendments = self.contact.amendments.select_related("amended_by")
        return super().get_context_data(
            **kwargs, amendments=amendments, **enforcement_views.failure_context(self.case, self.contact)
        )


class ContactAmendView(ContactMixin, CaseFormView):
    form_class = forms.AmendContactForm
    title = "Amend a contact"
    tab = "contacts"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Contact.objects.get(pk=self.contact.pk)}

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    def form_valid(self, form):
        try:
            services.contact_amend(
                actor=self.request.user,
                contact=self.contact,
                reason=form.cleaned_data["reason"],
                values={name: form.cleaned_data[name] for name in form.changed_data},
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Contact amended. The original record is kept below")
        return redirect(self.get_back_url())


class OutcomeView(WarningAdviceMixin, ContactMixin, CaseFormView):
    form_class = forms.OutcomeForm
    title = "Record an outcome"
    tab = "appointments"

    def get(self, request, *args, **kwargs):
        problem = self._problem()
        if problem:
            messages.info(request, problem)
            return redirect(self.get_back_url())
        return super().get(request, *args, **kwargs)

    def _problem(self):
        if self.contact.outcome:
            return "An outcome has already been recorded. Amend the contact to correct it"
        if self.contact.is_cancelled:
            return "This appointment was cancelled, so it has no outcome"
        if self.contact.starts_at > timezone.now():
            return "You cannot record an outcome for an appointment that has not happened yet"
        return ""

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    def failure_day(self):
        return rules.local_date(self.contact.starts_at, selectors.LOCAL_TZ)

    def advice_orders(self):
        order = self.order
        return [order] if order else []

    @cached_property
    def order(self):
        return selectors.contact_order(self.contact, self.orders)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contact": self.contact, "order": self.order, "warnings": self.warnings}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.contact_outcome_record(
                actor=self.request.user,
                contact=self.contact,
                outcome=data["outcome"],
                enforcement_action=data.get("enforcement_action", ""),
                ends_at=data.get("ends_at"),
                penalty_minutes=data.get("penalty_minutes") or 0,
                notes=data.get("notes", ""),
                warning_given_on=data.get("warning_given_on"),
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, f"Outcome recorded: {self.contact.get_contact_type_display()}")
        return redirect(self.get_back_url())


class AbsenceDecisionView(WarningAdviceMixin, ContactMixin, CaseFormView):
    """Judge a failure to attend acceptable or unacceptable. Any other contact shows why there is nothing to
    decide."""

    form_class = forms.AbsenceDecisionForm
    template_name = "contacts/absence_decide.html"
    title = "Decide an absence"
    tab = "appointments"

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    def failure_day(self):
        return rules.local_date(self.contact.starts_at, selectors.LOCAL_TZ)

    def advice_orders(self):
        return [self.order] if self.order else []

    @cached_property
    def order(self):
        return selectors.contact_order(self.contact, self.orders)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contact": self.contact, "order": self.order, "warnings": self.warnings}

    def get_context_data(self, **kwargs):
        failure_on = self.failure_day()
        return super().get_context_data(
            **kwargs,
            order=self.order,
            failures_on_order=selectors.failures_on_order(self.case, self.order, self.orders) if self.order else None,
            decide_by=rules.absence_decision_due(failure_on),
        )

    def post(self, request, *args, **kwargs):
        if not self.contact.decision_pending:
            messages.info(request, "This absence has already been decided. Amend the outcome to correct it")
            return redirect(self.get_back_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.absence_decide(
                actor=self.request.user,
                contact=self.contact,
                acceptable=data["acceptable"],
                reason=data["reason"],
                evidence=data.get("evidence", ""),
                outcome=data.get("outcome", ""),
                enforcement_action=data.get("enforcement_action", ""),
                warning_given_on=data.get("warning_given_on"),
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Absence decided. The original record is kept with your decision")
        return redirect(self.get_back_url())


class ArrangeAppointmentView(OnceOnlyMixin, CaseFormView):
    form_class = forms.AppointmentForm
    title = "Arrange an appointment"
    tab = "appointments"

    def get_back_url(self):
        return reverse("contacts:appointments", kwargs={"crn": self.case.crn})

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            created = services.appointments_arrange(
                actor=self.request.user,
                case=self.case,
                contact_type=data["contact_type"],
                starts=data["starts"],
                duration=data["duration"],
                location=data["location"],
                notes=data["notes"],
                sensitive=data["sensitive"],
            )
        except CaseworkError as error:  # a case closed since the form was opened
            error.add_to(form)
            return self.form_invalid(form)
        noun = "appointment" if len(created) == 1 else f"{len(created)} appointments"
        messages.success(self.request, f"Arranged {noun}: {created[0].get_contact_type_display()}")
        return redirect(self.get_back_url())


class ContactPlanView(ContactSummaryMixin, TemplateView):
    template_name = "contacts/contact_plan.html"
    tab = "contacts"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            plans=self.case.contact_plans.select_related("created_by", "change_request"),
            requests=self.case.contact_requests.select_related("requested_by", "decided_by"),
        )


class ContactPlanSetView(CaseFormView):
    """Set the plan the order requires. Once a plan exists, only a line manager changes it directly."""

    form_class = forms.ContactPlanForm
    title = "Set the contact plan"
    tab = "contacts"

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        if selectors.current_plan(self.case):
            permissions.require(self.request.user, "change_contact_plan", self.case)

    def get_back_url(self):
        return reverse("contacts:plan", kwargs={"crn": self.case.crn})

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def form_valid(self, form):
        services.contact_plan_set(
            actor=self.request.user,
            case=self.case,
            frequency_days=form.cleaned_data["frequency_days"],
            source=PlanSource.ORDER,
            starts_on=form.cleaned_data["starts_on"],
        )
        messages.success(self.request, "Contact plan set")
        return redirect(self.get_back_url())


class ChangeRequestView(OnceOnlyMixin, CaseFormView):
    form_class = forms.ChangeRequestForm
    title = "Request a change to contact"
    tab = "contacts"

    def get_back_url(self):
        return reverse("contacts:plan", kwargs={"crn": self.case.crn})

    def get_form_kwargs(self):
        plan = selectors.current_plan(self.case)
        return {
            **super().get_form_kwargs(),
            "case": self.case,
            "current_frequency": plan.frequency_days if plan else None,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.contact_change_request(
                actor=self.request.user,
                case=self.case,
                frequency_days=data["frequency_days"],
                starts_on=data["starts_on"],
                reason=data["reason"],
            )
        except CaseworkError as error:  # e.g. the same request is already waiting
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Request sent to your line manager")
        return redirect(self.get_back_url())


class DecideRequestView(CaseFormView):
    form_class = forms.DecisionForm
    template_name = "contacts/decide.html"
    title = "Decide a request for contact"
    tab = "contacts"

    def load_records(self, **kwargs):
        self.change_request = get_case_record_or_404(ContactChangeRequest, self.case, kwargs["request_id"])

    def get_back_url(self):
        return reverse("contacts:plan", kwargs={"crn": self.case.crn})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            change_request=self.change_request,
            plan=selectors.current_plan(self.case),
            can_decide=permissions.allowed(self.request.user, "decide_request", self.change_request),
        )

    def post(self, request, *args, **kwargs):
        permissions.require(request.user, "decide_request", self.change_request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decided = services.contact_change_decide(
                actor=self.request.user,
                request=self.change_request,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except services.AlreadyDecided as error:
            messages.info(self.request, str(error))
            return redirect("contacts:approvals")
        messages.success(self.request, f"Request {decided.get_status_display().lower()}")
        return redirect("contacts:approvals")


def approvals(request):
    permissions.require(request.user, "decide_requests")
    return render(
        request, "contacts/approvals.html", {"requests": selectors.approvals_queue(request.user), "nav": "approvals"}
    )


def outcomes_to_log(request):
    page = Paginator(selectors.outcomes_to_log(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contacts/outcomes_to_log.html",
        {"page": page, "nav": "outcomes", "decision_days": rules.ABSENCE_DECISION_DAYS},
    )
