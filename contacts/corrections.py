"""Correcting the enforcement record: withdrawing a warning, and amending an outcome with a reason.

The forms check the input's shape; contacts.services.warning_withdraw and outcome_amend check it against the
record. The original is always kept (the warning marked withdrawn, the outcome in a ContactAmendment)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casework.selectors import get_case_record_or_404
from core.errors import CaseworkError
from core.forms import EARLIEST_RECORD_DATE, GovDateField, GovForm, not_in_future

from . import selectors, services
from .constants import PENDING, EnforcementAction, Outcome, WarningKind
from .forms import action_choices
from .models import EnforcementWarning
from .views import CaseFormView, ContactMixin


class WarningWithdrawForm(GovForm, forms.Form):
    submit_label = "Withdraw the warning"
    withdrawn_on = GovDateField(
        label="Date the warning was withdrawn",
        noun="date the warning was withdrawn",
        help_text="For example, 27 3 2026",
        # contacts.services.warning_withdraw checks it against the day the warning was given.
        earliest=EARLIEST_RECORD_DATE,
    )
    reason = forms.CharField(
        label="Why is the warning withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: evidence of a hospital admission on the day was received later",
        error_messages={"required": "Enter why the warning is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        not_in_future(value, timezone.localdate(), "date the warning was withdrawn")
        return value


class WarningWithdrawView(CaseFormView):
    """Withdraw a warning (EA06 for a letter, EA07 for one given in person). It stops counting towards breach."""

    form_class = WarningWithdrawForm
    template_name = "contacts/warning_withdraw.html"
    title = "Withdraw a warning"
    tab = "contacts"

    def load_records(self, **kwargs):
        self.warning = get_case_record_or_404(EnforcementWarning, self.case, kwargs["warning_id"])

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.warning.failure_id})

    def get_context_data(self, **kwargs):
        letter = self.warning.kind == WarningKind.LETTER
        code = EnforcementAction.EA06 if letter else EnforcementAction.EA07
        return super().get_context_data(**kwargs, warning=self.warning, code=code, code_label=code.label)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.warning_withdraw(
                actor=self.request.user,
                warning_id=self.warning.pk,
                withdrawn_on=data["withdrawn_on"],
                reason=data["reason"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Warning withdrawn. It no longer counts towards breach; the record is kept")
        return redirect(self.get_back_url())


class OutcomeAmendForm(GovForm, forms.Form):
    submit_label = "Amend the outcome"
    outcome = forms.ChoiceField(
        label="What should the outcome be?",
        error_messages={"required": "Select the correct outcome", "invalid_choice": "Select the correct outcome"},
    )
    enforcement_action = forms.ChoiceField(
        label="Enforcement action", required=False, help_text="Only for a failure to comply"
    )
    reason = forms.CharField(
        label="Reason for the amendment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The outcome recorded before is kept with your amendment",
        error_messages={"required": "Enter the reason for the amendment"},
    )

    def __init__(self, *args, current: str, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "Select the outcome")] + [
            (code, label) for code, label in Outcome.choices if code not in PENDING and code != current
        ]
        self.fields["enforcement_action"].choices = [
            choice for choice in action_choices(orders) if choice[0] != EnforcementAction.EA12
        ]
        self.setup_gov()


class OutcomeAmendView(ContactMixin, CaseFormView):
    """Change a recorded outcome with a reason; the original stays on record."""

    form_class = OutcomeAmendForm
    template_name = "contacts/outcome_amend.html"
    title = "Amend the outcome"
    tab = "contacts"

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    def get_form_kwargs(self):
        order = selectors.contact_order(self.contact, selectors.order_periods(self.case))
        return {**super().get_form_kwargs(), "current": self.contact.outcome, "orders": [order] if order else []}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.outcome_amend(
                actor=self.request.user,
                contact_id=self.contact.pk,
                outcome=data["outcome"],
                enforcement_action=data.get("enforcement_action", ""),
                reason=data["reason"],
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Outcome amended. The outcome recorded before is kept with the amendment")
        return redirect(self.get_back_url())
