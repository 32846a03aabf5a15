"""Forms for moving appointments and for reminder preferences (kept apart from contacts/forms.py)."""

from datetime import datetime

from django import forms

from core.forms import GovDateField, GovForm, GovTimeField

from .constants import MovedBy, MoveScope
from .selectors import LOCAL_TZ

REASON = {"required": "Enter the reason"}


def _scope_field(verb: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=f"Which appointments do you want to {verb}?",
        choices=MoveScope.choices,
        widget=forms.RadioSelect,
        initial=MoveScope.ONE,
        error_messages={"required": f"Select which appointments to {verb}"},
    )


class _MoveForm(GovForm, forms.Form):
    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        if not contact.series:
            del self.fields["scope"]
        self.setup_gov()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason")
        return reason


class RescheduleForm(_MoveForm):
    submit_label = "Reschedule appointment"
    day = GovDateField(label="New date", noun="new date of the appointment")
    start_time = GovTimeField(label="New start time", noun="new start time")
    location = forms.CharField(label="Location", max_length=200, required=False)
    moved_by = forms.ChoiceField(
        label="Who asked for the appointment to move?",
        choices=MovedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who asked for the appointment to move"},
    )
    scope = _scope_field("reschedule")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REASON
    )

    def clean(self):
        cleaned = super().clean()
        day, start = cleaned.get("day"), cleaned.get("start_time")
        if day and start:
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=LOCAL_TZ)
        return cleaned


class CancelForm(_MoveForm):
    submit_label = "Cancel appointment"
    scope = _scope_field("cancel")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REASON
    )


class PreferencesForm(GovForm, forms.Form):
    submit_label = "Save contact details"
    mobile = forms.CharField(
        label="Mobile number", max_length=30, required=False, help_text="A UK mobile, like 07700 900 982"
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    probation_in_subject = forms.BooleanField(
        label="They agree that an email subject line may say probation", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()
