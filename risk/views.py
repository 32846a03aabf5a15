"""Risk pages: the case's risk tab, its forms, the team keeping-people-safe view and the rule set."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView

from casework.models import Team
from casework.selectors import cases_of_team, get_case_record_or_404, managed_team_list, visible_teams
from core import permissions
from core.csv import csv_response
from core.errors import CaseworkError
from core.forms import model_values
from core.views import CaseMixin, OnceOnlyMixin

from . import due, forms, rules, selectors, services, whats_due
from .constants import EnquiryKind, Rating, ScheduleSource
from .models import CriteriaRuleSet, Enquiry, RiskReview


class CaseRiskView(CaseMixin, TemplateView):
    template_name = "risk/case_risk.html"
    tab = "risk"

    def get_context_data(self, **kwargs):
        case = self.case
        _, thresholds = selectors.active_rule_set()
        return super().get_context_data(
            **kwargs,
            assessment=selectors.current_assessment(case),
            case_tier=selectors.case_tier(case),
            tier_factors=selectors.current_tier_factors(case),
            history=case.risk_assessments.select_related("created_by")[:20],
            enquiries=case.enquiries.select_related("agency")[:50],
            schedules=_schedules(case, thresholds),
            reviews=case.risk_reviews.select_related("closed_by", "enquiry")[:20],
            criteria=selectors.case_criteria(case),
            # The one next-due date per kind that "What's due", the sweeps and reminders also read.
            next_due=list(
                due.enquiries_due_for_cases([case.pk], timezone.localdate(), thresholds).get(case.pk, {}).values()
            ),
        )


def _schedules(case, thresholds) -> list[str]:
    """Each kind of check's schedule as the officer reads it: the case's own, or the rule set's default that
    every case has without anyone setting it up (risk.due.enquiries_due_for_cases)."""
    own = {schedule.kind: schedule for schedule in case.enquiry_schedules.all()}
    lines = []
    for kind in EnquiryKind:
        schedule = own.get(kind)
        if schedule is None:
            lines.append(f"{kind.label} every {thresholds.default_enquiry_interval} days (default: local policy)")
        else:
            paused = "" if schedule.active else ", paused"
            lines.append(f"{schedule} ({schedule.get_source_display().lower()}{paused})")
    return lines


class RiskFormView(CaseMixin, FormView):
    template_name = "contacts/form.html"
    title = ""
    tab = "risk"

    def get_back_url(self):
        return reverse("risk:case_risk", kwargs={"crn": self.case.crn})

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, title=self.title, back_url=self.get_back_url())

    def done(self, message):
        messages.success(self.request, message)
        return redirect(self.get_back_url())


class AssessmentCreateView(RiskFormView):
    form_class = forms.RiskAssessmentForm
    title = "Update the risk record"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "previous": selectors.current_assessment(self.case)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.risk_assessment_add(
                actor=self.request.user,
                case=self.case,
                rosh_level=data["rosh_level"],
                assessed_on=data["assessed_on"],
                review_on=data["review_on"],
                mappa_level=data["mappa_level"],
                mappa_category=data["mappa_category"],
                flags={*data["at_risk"], *data["flags"]},
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done("Risk record updated")


class TierFactorsView(RiskFormView):
    form_class = forms.TierFactorsForm
    title = "Record tier factors"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "previous": selectors.current_tier_factors(self.case)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.tier_factors_record(
                actor=self.request.user,
                case=self.case,
                complexity_factors=data["complexity_factors"],
                womens_factors=data["womens_factors"],
                rsr_score=data["rsr_score"],
                ogrs_score=data["ogrs_score"],
                needs=form.needs(),
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done("Tier factors saved and the tier recalculated")


class EnquiryCreateView(OnceOnlyMixin, RiskFormView):
    form_class = forms.EnquiryRequestForm
    title = "Record an enquiry request"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def form_valid(self, form):
        try:
            enquiry = services.enquiry_request(actor=self.request.user, case=self.case, **model_values(form))
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done(f"{enquiry.get_kind_display()} recorded as requested")


class EnquiryResponseView(RiskFormView):
    form_class = forms.EnquiryResponseForm
    title = "Record an enquiry response"

    def load_records(self, **kwargs):
        self.enquiry = get_case_record_or_404(Enquiry, self.case, kwargs["enquiry_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enquiry": self.enquiry}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, enquiry=self.enquiry)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            enquiry = services.enquiry_response_record(
                actor=self.request.user,
                enquiry=self.enquiry,
                received_on=data["received_on"],
                result=data["result"],
                summary=data["summary"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done(f"Response recorded: {enquiry.get_result_display().lower()}")


class CheckTriggerView(OnceOnlyMixin, RiskFormView):
    form_class = forms.CheckTriggerForm
    title = "Record a change that calls for new checks"

    def get_initial(self):
        return {"noticed_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            services.check_trigger_record(actor=self.request.user, case=self.case, **form.cleaned_data)
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done("Change recorded: the police and children's services checks are due again")


class EnquiryChaseView(RiskFormView):
    """Chase an unanswered enquiry; once chased it can be closed as "no response"."""

    form_class = forms.EnquiryChaseForm
    title = "Chase an enquiry response"

    def load_records(self, **kwargs):
        self.enquiry = get_case_record_or_404(Enquiry, self.case, kwargs["enquiry_id"])

    def get_initial(self):
        return {"chased_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            enquiry = services.enquiry_chase(actor=self.request.user, enquiry=self.enquiry, **form.cleaned_data)
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return self.done(f"{enquiry.get_kind_display()} chased")


class ScheduleView(RiskFormView):
    form_class = forms.EnquiryScheduleForm
    title = "Set an enquiry schedule"

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", EnquiryKind.DOMESTIC_ABUSE), "interval_weeks": 8, "active": True}

    def form_valid(self, form):
        data = form.cleaned_data
        schedule = services.enquiry_schedule_set(
            actor=self.request.user,
            case=self.case,
            kind=data["kind"],
            interval_days=data["interval_weeks"] * 7,
            source=ScheduleSource.MANUAL,
            active=data["active"],
        )
        return self.done(f"Schedule saved: {schedule}")


class ReviewView(RiskFormView):
    form_class = forms.RiskReviewForm
    title = "Record a risk review"
    template_name = "risk/review.html"

    def load_records(self, **kwargs):
        self.review = get_case_record_or_404(RiskReview, self.case, kwargs["review_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, review=self.review)

    def form_valid(self, form):
        try:
            services.risk_review_record(actor=self.request.user, review=self.review, notes=form.cleaned_data["notes"])
        except CaseworkError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return self.done("Risk review recorded")


TEAM_SORTS = {"name": None, **{key: key for key in rules.CRITERIA}}
RATING_ORDER = {Rating.NOT_MET: 0, Rating.PARTLY_MET: 1, Rating.MET: 2, Rating.NOT_APPLICABLE: 3}


def _team_for(request) -> tuple[Team, list[Team]]:
    user = request.user
    permissions.require(user, "see_team_view")
    teams = managed_team_list(user) if permissions.is_line_manager(user) else list(visible_teams(user))
    if not teams:
        raise PermissionDenied("You do not manage a team")
    wanted = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), teams[0])
    return team, teams


def _team_rows(user, team: Team, sort: str, read=selectors.team_ratings):
    rows = read(cases_of_team(user, team))
    keys = list(rules.CRITERIA)
    if sort in keys:
        index = keys.index(sort)
        rows.sort(key=lambda row: (RATING_ORDER[row[1][index].rating], row[0].last_name))
    return rows


TEAM_PAGE_SIZE = 50


def team_view(request):
    team, teams = _team_for(request)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in TEAM_SORTS else "name"
    rows = _team_rows(request.user, team, sort)
    counts = rules.team_counts([results for _, results in rows])
    page = Paginator(rows, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "risk/team.html",
        {
            "team": team,
            "teams": teams,
            "rows": page.object_list,
            "page": page,
            "querystring": urlencode({"team": team.pk, "sort": sort}),
            "counts": counts,
            "criteria": rules.CRITERIA,
            "sort": sort,
            "nav": "kps",
            "today": timezone.localdate(),
        },
    )


def team_csv(request):
    team, _ = _team_for(request)
    rows = _team_rows(request.user, team, request.GET.get("sort", "name"), read=selectors.team_criteria)
    return csv_response(
        request,
        filename=f"keeping-people-safe-{team.code}-{timezone.localdate()}.csv",
        header=["CRN", "Name", "Responsible officer", *rules.CRITERIA.values(), "Recommendations"],
        rows=(
            (
                case.crn,
                case.full_name,
                str(case.responsible_officer or "Unallocated"),
                *(r.label for r in results),
                " | ".join(r.recommendation for r in results if r.recommendation),
            )
            for case, results in rows
        ),
    )


def rule_set(request):
    versions = CriteriaRuleSet.objects.all()
    version, thresholds = selectors.active_rule_set()
    defaults = rules.Thresholds().as_dict()
    rows = [
        (rules.THRESHOLD_LABELS[name], value, defaults[name], rules.THRESHOLD_SOURCES[name], rules.is_local(name))
        for name, value in thresholds.as_dict().items()
    ]
    return render(request, "risk/rule_set.html", {"versions": versions, "version": version, "rows": rows})


DUE_PREVIEW = 10  # items per section on the summary; "Show all" pages through the rest
DUE_PAGE_SIZE = 50


def whats_due_view(request):
    sections = whats_due.whats_due(request.user)
    shown = [
        (key, title, sections[key])
        for key, title in whats_due.SECTIONS.items()
        if key != "approvals" or permissions.allowed(request.user, "decide_requests")
    ]
    total = sum(len(items) for _, _, items in shown)
    chosen = next(((key, title, items) for key, title, items in shown if key == request.GET.get("section")), None)
    if chosen is not None:
        key, title, items = chosen
        page = Paginator(items, DUE_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "risk/whats_due.html",
            {"section": (key, title), "page": page, "querystring": f"section={key}", "nav": "due", "total": total},
        )
    return render(
        request,
        "risk/whats_due.html",
        {
            "sections": [(key, title, items[:DUE_PREVIEW], len(items)) for key, title, items in shown],
            "nav": "due",
            "total": total,
        },
    )
