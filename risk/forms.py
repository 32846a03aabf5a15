"""Forms for the risk record, enquiries, schedules and risk reviews."""

from django import forms
from django.utils import timezone

from core.forms import EARLIEST_RECORD_DATE, GovDateField, GovForm

from .constants import CheckTrigger, ComplexityFactor, EnquiryKind, EnquiryResult, Need, NeedSeverity, WomensFactor
from .models import Enquiry, RiskAssessment

AT_RISK = [
    ("risk_to_known_adult", "A known adult"),
    ("risk_to_children", "Children"),
    ("risk_to_public", "The public"),
    ("risk_to_staff", "Staff"),
]
FLAGS = [
    ("domestic_abuse_perpetrator", "Domestic abuse perpetrator"),
    ("domestic_abuse_victim", "Domestic abuse victim"),
    ("child_protection_concerns", "Child protection concerns"),
]


class RiskAssessmentForm(GovForm, forms.ModelForm):
    submit_label = "Save risk record"
    # Assessments, enquiries and checks are about cases supervised now (even a licence's risk is assessed afresh),
    # so none is dated before the earliest record date. Later dates are checked against each other in clean().
    assessed_on = GovDateField(label="Date assessed", noun="date the risk was assessed", earliest=EARLIEST_RECORD_DATE)
    review_on = GovDateField(label="Review date", noun="review date")
    at_risk = forms.MultipleChoiceField(
        label="Who is at risk of serious harm?",
        choices=AT_RISK,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    flags = forms.MultipleChoiceField(
        label="Risk flags",
        choices=FLAGS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    class Meta:
        model = RiskAssessment
        fields = ["rosh_level", "assessed_on", "review_on", "mappa_level", "mappa_category"]
        widgets = {"rosh_level": forms.RadioSelect}
        labels = {
            "rosh_level": "Risk of serious harm (RoSH)",
            "mappa_level": "MAPPA level",
            "mappa_category": "MAPPA category",
        }
        error_messages = {"rosh_level": {"required": "Select the RoSH level"}}

    def __init__(self, *args, previous: RiskAssessment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if previous is not None and not self.is_bound:
            self.initial.update(
                rosh_level=previous.rosh_level,
                mappa_level=previous.mappa_level,
                mappa_category=previous.mappa_category,
                review_on=previous.review_on,
                at_risk=[name for name, _ in AT_RISK if getattr(previous, name)],
                flags=[name for name, _ in FLAGS if getattr(previous, name)],
            )
        self.order_fields(
            ["rosh_level", "assessed_on", "review_on", "at_risk", "flags", "mappa_level", "mappa_category"]
        )
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        assessed, review = cleaned.get("assessed_on"), cleaned.get("review_on")
        if assessed and assessed > timezone.localdate():
            self.add_error("assessed_on", "The date the risk was assessed must be today or in the past")
        if assessed and review and review <= assessed:
            self.add_error("review_on", "The review date must be after the date the risk was assessed")
        if cleaned.get("mappa_category") and not cleaned.get("mappa_level"):
            self.add_error("mappa_level", "Select the MAPPA level, or no MAPPA category")
        return cleaned


def _score(label, *, decimal=False, **kwargs):
    field = forms.DecimalField if decimal else forms.IntegerField
    extra = {"max_digits": 5, "decimal_places": 2} if decimal else {}
    return field(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": f"Enter the {label.split(' (')[0]} as a number, like 12",
            "min_value": f"Enter the {label.split(' (')[0]} from 0 to 100",
            "max_value": f"Enter the {label.split(' (')[0]} from 0 to 100",
            "max_decimal_places": f"Enter the {label.split(' (')[0]} to 2 decimal places at most",
        },
        **extra,
        **kwargs,
    )


class TierFactorsForm(GovForm, forms.Form):
    """What the officer records for the tier beyond the risk record (hmpps-tier's inputs)."""

    submit_label = "Save tier factors"
    complexity_factors = forms.MultipleChoiceField(
        label="Complexity factors",
        choices=ComplexityFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Child protection and risk to children come from the risk record",
    )
    womens_factors = forms.MultipleChoiceField(
        label="Additional factors for women",
        choices=WomensFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Counted for women only, as the national tier calculator does",
    )
    rsr_score = _score("RSR score (%)", decimal=True, help_text="Risk of serious recidivism, from the assessment")
    ogrs_score = _score("OGRS score (%)", help_text="Leave blank if there is no current assessment")

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        for need in Need:
            self.fields[f"need_{need.value}"] = forms.ChoiceField(
                label=f"{need.label} need", choices=NeedSeverity.choices, required=False
            )
        if previous is not None and not self.is_bound:
            self.initial.update(
                complexity_factors=previous.complexity_factors,
                womens_factors=previous.womens_factors,
                rsr_score=previous.rsr_score,
                ogrs_score=previous.ogrs_score,
                **{f"need_{need}": severity for need, severity in previous.needs.items()},
            )
        self.setup_gov()

    def needs(self) -> dict:
        return {need.value: self.cleaned_data.get(f"need_{need.value}", "") for need in Need}


class EnquiryRequestForm(GovForm, forms.ModelForm):
    submit_label = "Record request"
    requested_on = GovDateField(
        label="Date requested", noun="date the enquiry was requested", earliest=EARLIEST_RECORD_DATE
    )
    response_due_on = GovDateField(label="Response due by", noun="date the response is due")

    class Meta:
        model = Enquiry
        fields = ["kind", "requested_on", "response_due_on", "agency"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Type of enquiry", "agency": "Agency asked"}
        error_messages = {
            "kind": {"required": "Select the type of enquiry"},
            "agency": {"invalid_choice": "Select an agency recorded on this case"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = case.agencies.all()
        self.fields["agency"].empty_label = "Not recorded as an agency on this case"
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        requested, due = cleaned.get("requested_on"), cleaned.get("response_due_on")
        if requested and requested > timezone.localdate():
            self.add_error("requested_on", "The date the enquiry was requested must be today or in the past")
        if requested and due and due < requested:
            self.add_error("response_due_on", "The response due date must be on or after the date requested")
        return cleaned


class CheckTriggerForm(GovForm, forms.Form):
    submit_label = "Record the change"
    trigger = forms.ChoiceField(
        label="What has changed?",
        choices=CheckTrigger.choices,
        widget=forms.RadioSelect,
        help_text="Each calls for the police and children's services checks again",
        error_messages={"required": "Select what has changed"},
    )
    noticed_on = GovDateField(
        label="Date you learned of it", noun="date you learned of it", earliest=EARLIEST_RECORD_DATE
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()


class EnquiryChaseForm(GovForm, forms.Form):
    submit_label = "Record the chase"
    # risk.services.enquiry_chase checks it against the date requested and today.
    chased_on = GovDateField(label="Date chased", noun="date you chased the response", earliest=EARLIEST_RECORD_DATE)
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Who you spoke to or wrote to, and what they said",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()


class EnquiryResponseForm(GovForm, forms.Form):
    submit_label = "Record response"
    result = forms.ChoiceField(
        label="What was the result?",
        widget=forms.RadioSelect,
        choices=[c for c in EnquiryResult.choices if c[0]],
        error_messages={"required": "Select the result of the enquiry"},
    )
    received_on = GovDateField(
        label="Date response received",
        noun="date the response was received",
        required=False,
        help_text="Leave blank if no response was received",
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What the response said. Needed if incidents were found",
    )

    def __init__(self, *args, enquiry: Enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        result, received = cleaned.get("result"), cleaned.get("received_on")
        if (
            result in (EnquiryResult.NO_INCIDENTS, EnquiryResult.INCIDENTS)
            and not received
            and "received_on" not in self.errors
        ):
            self.add_error("received_on", "Enter the date the response was received")
        if result == EnquiryResult.NO_RESPONSE and received:
            self.add_error("received_on", "Leave the date blank when no response was received")
        if received and received > timezone.localdate():
            self.add_error("received_on", "The date the response was received must be today or in the past")
        if received and received < self.enquiry.requested_on:
            self.add_error("received_on", "The response cannot be received before the enquiry was requested")
        if result == EnquiryResult.INCIDENTS and not cleaned.get("summary"):
            self.add_error("summary", "Enter a summary of the incidents found")
        return cleaned


class EnquiryScheduleForm(GovForm, forms.Form):
    submit_label = "Save schedule"
    kind = forms.ChoiceField(
        label="Type of enquiry",
        choices=EnquiryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of enquiry"},
    )
    interval_weeks = forms.IntegerField(
        label="Every how many weeks?",
        min_value=1,
        max_value=52,
        help_text="For example, 8",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many weeks between enquiries",
            "invalid": "Enter the number of weeks as a whole number, like 8",
            "min_value": "Enter a number of weeks from 1 to 52",
            "max_value": "Enter a number of weeks from 1 to 52",
        },
    )
    active = forms.BooleanField(label="The schedule is in force", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()


class RiskReviewForm(GovForm, forms.Form):
    submit_label = "Record risk review"
    notes = forms.CharField(
        label="What did the review find, and what has changed in the risk management plan?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the risk review found"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()
