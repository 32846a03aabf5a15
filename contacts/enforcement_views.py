"""Enforcement pages: the case's breaches, recalls and letters; each step of the breach and recall journeys; and
letters, viewed, printed and downloaded as PDF. Thin: the services in contacts.enforcement and contacts.letters
check the rules."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.selectors import get_case_record_or_404
from core import permissions
from core.errors import CaseworkError
from core.views import CaseMixin, OnceOnlyMixin, ServiceFormMixin, nothing_saved

from . import breach_rules, enforcement, enforcement_forms, letters, selectors
from .constants import FAILURES
from .models import BreachAction, Contact, EnforcementWarning, Letter, Recall


def enforcement_url(case) -> str:
    return reverse("contacts:enforcement", kwargs={"crn": case.crn})


def failure_context(case, contact) -> dict:
    """For a contact's page: its warnings and letters, and the enforcement route its failure can take (court
    breach for an order, recall for a licence; never both)."""
    route = ""
    if contact.outcome in FAILURES and (order := selectors.contact_order(contact, selectors.order_periods(case))):
        route = "recall" if order.is_licence else "breach"
    return {
        "enforcement_route": route,
        "contact_warnings": contact.warnings.prefetch_related("letters"),
        "produce_form": enforcement_forms.ProduceLetterForm(),
    }


class OrderCountsMixin:
    """Per-order failure counts (failures, warnings in force, referrals), shown wherever a decision is made."""

    @cached_property
    def orders(self):
        return selectors.order_periods(self.case)

    def counts_for(self, order_id):
        period = next((o for o in self.orders if o.pk == order_id), None)
        return period, selectors.failures_on_order(self.case, period, self.orders) if period else None


class EnforcementView(OrderCountsMixin, CaseMixin, TemplateView):
    template_name = "contacts/enforcement/overview.html"
    tab = "contacts"
    section = "Enforcement"

    def get_context_data(self, **kwargs):
        breaches = list(self.case.breaches.select_related("order", "failure"))
        recalls = list(self.case.recalls.select_related("order", "failure", "recommended_by", "countersigned_by"))
        panels = []
        for order in self.case.orders.all():
            period, counts = self.counts_for(order.pk)
            panels.append(
                {
                    "order": order,
                    "licence": period.is_licence,
                    "counts": counts,
                    "breaches": [b for b in breaches if b.order_id == order.pk],
                    "recalls": [r for r in recalls if r.order_id == order.pk],
                    "failures": self._failures(order.pk),
                }
            )
        return super().get_context_data(
            **kwargs,
            panels=panels,
            letters=self.case.letters.select_related("produced_by"),
        )

    def _failures(self, order_id):
        return [
            c
            for c in self.case.contacts.filter(outcome__in=FAILURES)
            if (found := selectors.contact_order(c, self.orders)) is not None and found.pk == order_id
        ]


class _StepView(ServiceFormMixin, OrderCountsMixin, CaseMixin, FormView):
    """One step of a journey: a form about one record of the case, with the order's counts beside it."""

    template_name = "contacts/enforcement/step.html"
    tab = "contacts"
    title = ""

    def get_back_url(self):
        return enforcement_url(self.case)

    def order_id(self):
        return None

    def get_context_data(self, **kwargs):
        order, counts = self.counts_for(self.order_id())
        return super().get_context_data(
            **kwargs, title=self.title, back_url=self.get_back_url(), order=order, counts=counts
        )


class _FailureStep(_StepView):
    """A step started from a failure to comply (a contact of the case)."""

    recall = False

    def load_records(self, **kwargs):
        self.contact = get_case_record_or_404(Contact, self.case, kwargs["contact_id"])

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    @cached_property
    def period(self):
        return selectors.contact_order(self.contact, self.orders)

    def order_id(self):
        return self.period.pk if self.period else None

    def problem(self):
        if self.contact.outcome not in FAILURES:
            return "Only a failure to comply judged unacceptable can be referred. Decide the absence first"
        if self.period is None:
            return "This contact is not under any order of the case"
        return breach_rules.route_problem(self.period.order_type, recall=self.recall)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, contact=self.contact)


class BreachReferView(OnceOnlyMixin, _FailureStep):
    form_class = enforcement_forms.BreachReferForm
    title = "Refer for breach"

    def get_initial(self):
        return {"referred_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order_start": self.period.starts_on if self.period else None}

    def save(self, data):
        breach = enforcement.breach_refer(
            actor=self.request.user, contact=self.contact, referred_on=data["referred_on"], reason=data["reason"]
        )
        messages.success(self.request, "Referred for breach. Next, submit the breach report")
        return breach_url(breach)


class RecallRecommendView(OnceOnlyMixin, _FailureStep):
    form_class = enforcement_forms.RecallRecommendForm
    title = "Recommend recall"
    recall = True

    def save(self, data):
        recall = enforcement.recall_recommend(actor=self.request.user, contact=self.contact, reasons=data["reasons"])
        messages.success(self.request, "Recall recommended. A line manager of the team has been asked to countersign")
        return recall_url(recall)


def breach_url(breach) -> str:
    return reverse("contacts:breach", kwargs={"crn": breach.service_user.crn, "breach_id": breach.pk})


def recall_url(recall) -> str:
    return reverse("contacts:recall", kwargs={"crn": recall.service_user.crn, "recall_id": recall.pk})


class BreachMixin:
    def load_records(self, **kwargs):
        self.breach = get_case_record_or_404(BreachAction, self.case, kwargs["breach_id"])

    def order_id(self):
        return self.breach.order_id

    def get_back_url(self):
        return breach_url(self.breach)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, breach=self.breach)


class BreachDetailView(BreachMixin, OrderCountsMixin, CaseMixin, TemplateView):
    template_name = "contacts/enforcement/breach.html"
    tab = "contacts"
    section = "Breach"

    def get_context_data(self, **kwargs):
        order, counts = self.counts_for(self.breach.order_id)
        return super().get_context_data(
            **kwargs,
            order=order,
            counts=counts,
            letters=self.breach.letters.select_related("produced_by"),
            produce_form=enforcement_forms.ProduceLetterForm(),
        )


class BreachReportView(BreachMixin, _StepView):
    form_class = enforcement_forms.BreachReportForm
    title = "Breach report submitted"

    def get_initial(self):
        return {"submitted_on": timezone.localdate()}

    def problem(self):
        return "The breach report has already been recorded as submitted" if self.breach.report_submitted_on else ""

    def save(self, data):
        enforcement.breach_report_submit(actor=self.request.user, breach=self.breach, submitted_on=data["submitted_on"])
        messages.success(self.request, "Breach report recorded as submitted. Next, enter the court hearing date")
        return breach_url(self.breach)


class BreachHearingView(BreachMixin, _StepView):
    form_class = enforcement_forms.BreachHearingForm
    title = "Court hearing date"

    def get_initial(self):
        return {"hearing_on": self.breach.hearing_on, "court": self.breach.court}

    def problem(self):
        if self.breach.result:
            return "The court's result is already recorded for this breach"
        if not self.breach.report_submitted_on:
            return "Record the breach report as submitted before the hearing date"
        return ""

    def save(self, data):
        enforcement.breach_hearing_set(
            actor=self.request.user, breach=self.breach, hearing_on=data["hearing_on"], court=data["court"]
        )
        messages.success(self.request, "Hearing date saved. It is in What's due until the result is recorded")
        return breach_url(self.breach)


class BreachResultView(BreachMixin, _StepView):
    form_class = enforcement_forms.BreachResultForm
    title = "Court result"

    def problem(self):
        if self.breach.result:
            return "The court's result is already recorded for this breach"
        if not self.breach.hearing_on:
            return "Record the hearing date before the result"
        return ""

    def save(self, data):
        enforcement.breach_result_record(
            actor=self.request.user,
            breach=self.breach,
            result=data["result"],
            result_on=data["result_on"],
            notes=data.get("notes", ""),
        )
        messages.success(self.request, "Court result recorded")
        return breach_url(self.breach)


class RecallMixin:
    def load_records(self, **kwargs):
        self.recall = get_case_record_or_404(Recall, self.case, kwargs["recall_id"])

    def order_id(self):
        return self.recall.order_id

    def get_back_url(self):
        return recall_url(self.recall)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            recall=self.recall,
            can_countersign=permissions.allowed(self.request.user, "countersign_recall", self.recall),
        )


class RecallDetailView(RecallMixin, OrderCountsMixin, CaseMixin, TemplateView):
    template_name = "contacts/enforcement/recall.html"
    tab = "contacts"
    section = "Recall"

    def get_context_data(self, **kwargs):
        order, counts = self.counts_for(self.recall.order_id)
        return super().get_context_data(**kwargs, order=order, counts=counts)


class RecallCountersignView(RecallMixin, _StepView):
    form_class = enforcement_forms.RecallCountersignForm
    title = "Countersign the recall recommendation"

    def load_records(self, **kwargs):
        super().load_records(**kwargs)
        if self.recall.countersigned_at is None:
            permissions.require(self.request.user, "countersign_recall", self.recall)

    def problem(self):
        return "This recall recommendation has already been countersigned" if self.recall.countersigned_at else ""

    def save(self, data):
        enforcement.recall_countersign(actor=self.request.user, recall=self.recall, comments=data.get("comments", ""))
        messages.success(self.request, "Recall recommendation countersigned")
        return recall_url(self.recall)


class RecallDecisionView(RecallMixin, _StepView):
    form_class = enforcement_forms.RecallDecisionForm
    title = "Recall decision"

    def problem(self):
        if self.recall.decision:
            return "The recall decision is already recorded"
        if self.recall.countersigned_at is None:
            return "The recommendation must be countersigned by a line manager before the decision"
        return ""

    def save(self, data):
        enforcement.recall_decide(
            actor=self.request.user,
            recall=self.recall,
            decision=data["decision"],
            decided_on=data["decided_on"],
            notes=data.get("notes", ""),
        )
        messages.success(self.request, "Recall decision recorded")
        return recall_url(self.recall)


class _ProduceLetterView(CaseMixin, View):
    """POST only: produce a letter from the record and show it. The subclasses put OnceOnlyMixin first, so the
    form's one-time token stops a double click producing two letters."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            letter = self.produce()
        except CaseworkError as error:
            messages.error(request, str(error))
            nothing_saved(request)
            return redirect(self.back_url())
        messages.success(request, f"{letter.get_kind_display()} produced. It is kept on the case as it is now")
        return redirect(letters.letter_url(letter))


class WarningLetterProduceView(OnceOnlyMixin, _ProduceLetterView):
    def load_records(self, **kwargs):
        self.warning = get_case_record_or_404(EnforcementWarning, self.case, kwargs["warning_id"])

    def back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.warning.failure_id})

    def produce(self):
        return letters.warning_letter_produce(actor=self.request.user, warning=self.warning)


class BreachSummaryProduceView(OnceOnlyMixin, _ProduceLetterView):
    def load_records(self, **kwargs):
        self.breach = get_case_record_or_404(BreachAction, self.case, kwargs["breach_id"])

    def back_url(self):
        return breach_url(self.breach)

    def produce(self):
        return letters.breach_summary_produce(actor=self.request.user, breach=self.breach)


class LetterMixin(CaseMixin):
    def load_records(self, **kwargs):
        self.letter = get_case_record_or_404(Letter, self.case, kwargs["letter_id"])


class LetterView(LetterMixin, TemplateView):
    template_name = "contacts/enforcement/letter.html"
    tab = "contacts"
    section = "Letter"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, letter=self.letter, back_url=enforcement_url(self.case))


class LetterPdfView(LetterMixin, View):
    section = "Letter (PDF)"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(letters.letter_pdf(self.letter), content_type="application/pdf")
        filename = f"{self.letter.get_kind_display().lower().replace(' ', '-')}-{self.case.crn}-{self.letter.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
