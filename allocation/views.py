"""Allocation pages: allocate a case, the unallocated list, protocol admin, officers and workload."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from casework.constants import Grade
from casework.models import Team
from core import permissions
from core.errors import CaseworkError
from core.views import CaseMixin

from . import forms, selectors, services
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
    return render(
        request,
        "allocation/allocations.html",
        {
            "unallocated": selectors.unallocated_cases(request.user),
            "recent": selectors.recent_allocations(request.user),
            "nav": "allocations",
        },
    )


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
