"""Forms for the breach and recall journeys and for producing letters: input shape, plausible dates, and the one
date rule the services cannot see (a referral before its order started). The services check each step's dates
against the step before it and today (contacts.enforcement, contacts.breach_rules), beside the field at fault.

Breach and recall are for orders and licences the service supervises now, so no date of theirs predates the
earliest record date."""

from django import forms

from core import dates
from core.forms import EARLIEST_RECORD_DATE, GovDateField, GovForm

from .constants import BreachResult, RecallDecision


def _text(label: str, error: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": error},
    )


class _Form(GovForm, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()


class BreachReferForm(_Form):
    submit_label = "Refer for breach"
    referred_on = GovDateField(
        label="Date referred for breach", noun="date referred for breach", earliest=EARLIEST_RECORD_DATE
    )
    reason = _text(
        "Why is this failure referred for breach?",
        "Enter why the failure is referred for breach",
        help_text="For example: a further failure within 12 months of a warning, or the failure is serious enough "
        "to go straight to court",
    )

    def __init__(self, *args, order_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_start = order_start

    def clean_referred_on(self):
        value = self.cleaned_data["referred_on"]
        if problem := dates.breach_referral_problem(value, order_start=self.order_start):
            raise forms.ValidationError(problem)
        return value


class BreachReportForm(_Form):
    submit_label = "Record the report as submitted"
    submitted_on = GovDateField(
        label="Date the breach report was submitted",
        noun="date the breach report was submitted",
        earliest=EARLIEST_RECORD_DATE,
    )


class BreachHearingForm(_Form):
    submit_label = "Save the hearing date"
    hearing_on = GovDateField(
        label="Date of the court hearing", noun="date of the court hearing", earliest=EARLIEST_RECORD_DATE
    )
    court = forms.CharField(
        label="Court", max_length=200, error_messages={"required": "Enter the court the hearing is at"}
    )


class BreachResultForm(_Form):
    submit_label = "Record the result"
    result = forms.ChoiceField(
        label="What did the court decide?",
        choices=BreachResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the court decided"},
    )
    result_on = GovDateField(label="Date of the result", noun="date of the result", earliest=EARLIEST_RECORD_DATE)
    notes = _text(
        "Notes",
        "",
        help_text="For example: the requirements added, the amount of the fine, or the new sentence",
        required=False,
    )


class RecallRecommendForm(_Form):
    submit_label = "Recommend recall"
    reasons = _text(
        "Your reasons for recommending recall",
        "Enter your reasons for recommending recall",
        help_text="What happened, the risk it shows, and why the licence cannot be managed in the community. A line "
        "manager of the team must countersign before the decision",
    )


class RecallCountersignForm(_Form):
    submit_label = "Countersign the recommendation"
    comments = _text("Comments (optional)", "", required=False)


class RecallDecisionForm(_Form):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="What was decided?",
        choices=RecallDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recall decision"},
    )
    decided_on = GovDateField(label="Date of the decision", noun="date of the decision", earliest=EARLIEST_RECORD_DATE)
    notes = _text(
        "Notes",
        "",
        help_text="If not recalled, what happens instead: for example a further warning or a licence compliance letter",
        required=False,
    )


class ProduceLetterForm(_Form):
    """A button: produce the letter once (the one-time token stops a double click producing two)."""

    submit_label = "Produce the letter"
