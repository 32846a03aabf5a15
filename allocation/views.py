"""Allocation pages: allocate a case, transfer it to another team, the unallocated list, protocol admin, officers
and workload."""

from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from casework.constants import Grade
from casework.models import Team
from core import permissions
from core.errors import CaseworkError
from core.views import CaseMixin, OnceOnlyMixin

from . import forms, selectors, services
from .constants import TransferStatus
from .models import AllocationRule, OfficerProfile, WorkloadSettings


class AllocateView(CaseMixin, FormView):
    template_name = "allocation/allocate.html"
    form_class = forms.AllocateForm
    tab = "overview"
    section = "Allocate"

    def load_records(self, **kwargs):
        permissions.require(self.request.user, "allocate_case", self.case)
        self.view = selectors.allocation_view(self.case)

    def get_initial(self):
        return {"expected_officer": self.case.responsible_officer_id or ""}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "view": self.view}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            view=self.view,
            rule=self.view.rule,
            section="Allocate",
            back_url=reverse("casework:case_overview", kwargs={"crn": self.case.crn}),
        )

    def form_valid(self, form):
        data = form.cleaned_data
        expected = int(data["expected_officer"]) if str(data["expected_officer"]).isdigit() else None
        try:
            decision = services.case_allocate(
                actor=self.request.user,
                case=self.case,
                officer_id=data["officer"],
                expected_officer_id=expected,
                override_reason=data["override_reason"],
                notes=data["notes"],
            )
        except CaseworkError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Case allocated to {decision.officer}")
        return redirect("casework:case_overview", crn=self.case.crn)


def allocations(request):
    permissions.require(request.user, "allocate_cases")
    sort = request.GET.get("sort", "opened")
    sort = sort if sort.removeprefix("-") in selectors.UNALLOCATED_SORTS else "opened"
    return render(
        request,
        "allocation/allocations.html",
        {
            "unallocated": selectors.unallocated_rows(request.user, sort),
            "query": SimpleNamespace(sort=sort),  # for the sortable column headers (sort_link)
            "recent": selectors.recent_allocations(request.user),
            "incoming": selectors.incoming_transfers(request.user),
            "outgoing": selectors.outgoing_transfers(request.user),
            "nav": "allocations",
        },
    )


class TransferRequestView(CaseMixin, OnceOnlyMixin, FormView):
    """A line manager asks another team to take the case (one waiting request at a time)."""

    template_name = "allocation/transfer_request.html"
    form_class = forms.TransferRequestForm
    section = "Transfer"

    def load_records(self, **kwargs):
        permissions.require(self.request.user, "transfer_case", self.case)
        self.pending = self.case.transfers.filter(status=TransferStatus.PENDING).select_related("to_team").first()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            pending=self.pending,
            history=self.case.transfers.select_related("from_team", "to_team", "decided_by"),
            back_url=reverse("casework:case_overview", kwargs={"crn": self.case.crn}),
        )

    def form_valid(self, form):
        try:
            transfer = services.transfer_request(
                actor=self.request.user,
                case=self.case,
                to_team=form.cleaned_data["to_team"],
                reason=form.cleaned_data["reason"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, f"{transfer.to_team} has been asked to take the case")
        return redirect("allocation:transfer", transfer_id=transfer.pk)


class TransferView(FormView):
    """The transfer request: what the receiving line manager needs to decide, and their decision.

    Least privilege: until the transfer is accepted the case still belongs to the sending team, so the receiving
    manager sees this page (who the case is, its tier and risk, the orders in force, what is open, and why it is
    being transferred) but not the case itself: contacts, notes and the people around the case stay closed to
    them (a 404, as for any other team's case) until they accept. The sending team's line managers see the page
    too, to follow their request; nobody else does (404)."""

    template_name = "allocation/transfer.html"
    form_class = forms.TransferDecisionForm

    def dispatch(self, request, *args, **kwargs):
        self.transfer = selectors.transfer_for_user(request.user, kwargs["transfer_id"])
        self.can_decide = permissions.allowed(request.user, "decide_transfer", self.transfer)
        if request.method == "POST":
            permissions.require(request.user, "decide_transfer", self.transfer)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            transfer=self.transfer,
            case=self.transfer.service_user,
            # Once decided, the sending team sees only the outcome: the case is no longer theirs to read about.
            summary=selectors.transfer_summary(self.transfer)
            if self.transfer.is_pending or permissions.allowed(self.request.user, "decide_transfer", self.transfer)
            else None,
            can_decide=self.can_decide and self.transfer.is_pending,
            nav="allocations",
        )

    def form_valid(self, form):
        accept = form.cleaned_data["decision"] == "accept"
        try:
            transfer = services.transfer_decide(
                actor=self.request.user,
                transfer=self.transfer,
                accept=accept,
                reason=form.cleaned_data["decline_reason"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        if accept:
            messages.success(self.request, f"The case is now with {transfer.to_team}. Allocate it to an officer")
            return redirect("allocation:allocate", crn=transfer.service_user.crn)
        messages.success(self.request, f"Transfer declined. {transfer.from_team} has been told")
        return redirect("allocation:allocations")


def protocol(request):
    permissions.require(request.user, "configure_allocation")
    return render(request, "allocation/protocol.html", {"rules": selectors.protocol_rules(), "nav": "protocol"})


def protocol_history(request):
    permissions.require(request.user, "configure_allocation")
    context = {"rules": selectors.protocol_history(), "nav": "protocol"}
    return render(request, "allocation/protocol_history.html", context)


def rule_version(request, rule_id):
    """One version of a rule, current or replaced, with what it changed and the rule's other versions."""
    permissions.require(request.user, "configure_allocation")
    rule = get_object_or_404(AllocationRule, pk=rule_id)
    versions = selectors.rule_versions(rule.lineage)
    this = next(v for v in versions if v.rule.pk == rule.pk)
    context = {"rule": rule, "this": this, "versions": versions, "nav": "protocol"}
    return render(request, "allocation/rule_version.html", context)


class RuleFormView(FormView):
    template_name = "allocation/rule_form.html"
    form_class = forms.RuleForm

    def dispatch(self, request, *args, **kwargs):
        permissions.require(request.user, "configure_allocation")
        self.rule = None
        if "rule_id" in kwargs:
            self.rule = get_object_or_404(AllocationRule, pk=kwargs["rule_id"], superseded_at__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "is_default": bool(self.rule and self.rule.is_default)}

    def get_initial(self):
        return forms.RuleForm.initial_from(self.rule) if self.rule else {"enabled": True, "min_experience_years": 0}

    def get_context_data(self, **kwargs):
        title = f"Change rule: {self.rule.name}" if self.rule else "Add a rule"
        return super().get_context_data(**kwargs, title=title, rule=self.rule, nav="protocol")

    def form_valid(self, form):
        data = form.cleaned_data
        if self.rule and self.rule.is_default:
            data["conditions"] = {}
        try:
            if self.rule:
                rule = services.rule_new_version(actor=self.request.user, rule=self.rule, data=data)
            else:
                rule = services.rule_create(actor=self.request.user, data=data)
        except CaseworkError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Rule saved: {rule}")
        return redirect("allocation:protocol")


@require_POST
def rule_move(request, rule_id):
    permissions.require(request.user, "configure_allocation")
    rule = get_object_or_404(AllocationRule, pk=rule_id, superseded_at__isnull=True)
    try:
        services.rule_move(rule=rule, direction="up" if request.POST.get("direction") == "up" else "down")
    except CaseworkError as error:
        messages.info(request, str(error))
    return redirect("allocation:protocol")


@require_POST
def rule_toggle(request, rule_id):
    permissions.require(request.user, "configure_allocation")
    rule = get_object_or_404(AllocationRule, pk=rule_id, superseded_at__isnull=True)
    try:
        rule = services.rule_toggle(actor=request.user, rule=rule)
        messages.success(request, f"{rule.name} {'enabled' if rule.enabled else 'disabled'}")
    except CaseworkError as error:
        messages.info(request, str(error))
    return redirect("allocation:protocol")


def _teams_for(user):
    permissions.require(user, "see_workload")
    return list(Team.objects.all()) if permissions.is_admin(user) else list(user.managed_teams.all())


def workload(request):
    teams = _teams_for(request.user)
    rows = []
    for team in teams:
        team_rows = selectors.workloads(selectors.team_officers(team))
        rows.append((team, team_rows, selectors.team_workload(team_rows)))
    settings = WorkloadSettings.current()
    targets = [(grade, settings.target_for(grade)) for grade in (Grade.PO, Grade.PSO, Grade.UPW)]
    context = {"rows": rows, "nav": "workload", "targets": targets, "standard_hours": settings.standard_hours}
    return render(request, "allocation/workload.html", context)


def officers(request):
    permissions.require(request.user, "configure_allocation")
    return render(
        request,
        "allocation/officers.html",
        {
            "profiles": OfficerProfile.objects.select_related("user").prefetch_related("user__teams", "reductions"),
            "nav": "officers",
        },
    )


class ProfileFormView(FormView):
    template_name = "allocation/simple_form.html"
    form_class = forms.OfficerProfileForm

    def dispatch(self, request, *args, **kwargs):
        permissions.require(request.user, "configure_allocation")
        self.profile = get_object_or_404(OfficerProfile, pk=kwargs["profile_id"]) if "profile_id" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.profile or OfficerProfile()}

    def get_context_data(self, **kwargs):
        title = f"Officer profile: {self.profile.user}" if self.profile else "Add an officer profile"
        return super().get_context_data(**kwargs, title=title, back_url=reverse("allocation:officers"), nav="officers")

    def form_valid(self, form):
        profile = form.save(commit=False)
        profile.updated_by = self.request.user
        profile.created_by = profile.created_by or self.request.user
        profile.save()
        messages.success(self.request, f"Officer profile saved: {profile}")
        return redirect("allocation:officers")


class ReductionFormView(ProfileFormView):
    form_class = forms.ReductionForm

    def get_form_kwargs(self):
        kwargs = super(ProfileFormView, self).get_form_kwargs()
        return {**kwargs, "profile": self.profile}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": f"Add a workload reduction for {self.profile.user}"}

    def form_valid(self, form):
        reduction = form.save(commit=False)
        reduction.profile, reduction.created_by, reduction.updated_by = (
            self.profile,
            self.request.user,
            self.request.user,
        )
        reduction.save()
        messages.success(self.request, f"Reduction added for {self.profile.user}")
        return redirect("allocation:officers")
