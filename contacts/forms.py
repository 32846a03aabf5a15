"""Forms for contacts, appointments, outcomes, amendments and contact-plan requests."""

import functools
from datetime import datetime, timedelta

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import dates
from core.forms import (
    EARLIEST_RECORD_DATE,
    CaseRecordChoiceField,
    GovDateField,
    GovForm,
    GovTimeField,
    in_words,
    reveal_radios,
    shown_when,
    yes_no_field,
)

from . import rules
from .constants import (
    ACCEPTABLE_ABSENCES,
    ATTENDANCE_TYPES,
    ATTENDED,
    ENQUIRY_TYPES,
    FAILURE_ACTIONS,
    FAILURES,
    FREQUENCY_CHOICES,
    LICENCE_ACTIONS,
    NOTES_MAX_LENGTH,
    NOTES_TOO_LONG,
    ORDER_ACTIONS,
    OUTCOME_GROUPS,
    RECORD_AS_ENQUIRY,
    RECORDED_BY_THE_APP,
    WARNINGS,
    ContactType,
    EnforcementAction,
    Outcome,
    Repeat,
    WithWhom,
    enforcement_choices,
)
from .models import Contact
from .selectors import LOCAL_TZ

MAX_SERIES = 52
NOTES_HINT = "Up to 20,000 characters: enough for a long interview record"


def _at(day, at):
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


WARNING_GIVEN_HINT = (
    "Only for a warning. Leave blank if it was given today. The 12-month breach period runs from this date"
)


class EnforcementMixin:
    """Failures need an enforcement action that fits the order; a failure within the 12-month period beginning
    with the date a warning was given on the same order must go to breach (a licence goes towards recall)."""

    def add_warning_date_field(self):
        self.fields["warning_given_on"] = GovDateField(
            label="Date the warning was given",
            noun="date the warning was given",
            required=False,
            earliest=EARLIEST_RECORD_DATE,
            help_text=WARNING_GIVEN_HINT,
        )

    def check_enforcement(self, *, outcome: str, action: str, failure_on, order, warnings: list, failure_id=None):
        if outcome not in FAILURES:
            # Shown only for a failure; without JavaScript it shows anyway, so a choice left there is ignored.
            self.cleaned_data["enforcement_action"] = ""
            return
        if not action:
            self.add_error("enforcement_action", "Select the enforcement action for this failure to comply")
            return
        problem = enforcement_problem(
            action, failure_on=failure_on, order=order, warnings=warnings, failure_id=failure_id
        )
        if problem:
            self.add_error("enforcement_action", problem)

    def check_warning_date(self, cleaned, failure_on):
        given_on = cleaned.get("warning_given_on")
        if given_on and cleaned.get("enforcement_action") not in WARNINGS:
            cleaned["warning_given_on"] = None  # shown only for a warning: ignored otherwise
        elif given_on and failure_on and given_on < failure_on:
            self.add_error("warning_given_on", "The warning cannot be given before the failure it is for")
        elif given_on and given_on > timezone.localdate():
            self.add_error("warning_given_on", "The date the warning was given must be today or in the past")


def enforcement_problem(action: str, *, failure_on, order, warnings, failure_id=None) -> str:
    """What is wrong with this action for a failure on this order, or ""."""
    if order is not None and order.is_licence and (action in WARNINGS or action == EnforcementAction.BRE):
        return (
            "A licence is not enforced by warnings or a court breach. A failure on licence goes towards recall: "
            "select recall requested, breach or recall initiated, or a licence compliance letter"
        )
    if (order is None or not order.is_licence) and action in (EnforcementAction.EA11, EnforcementAction.LCL):
        return "Recall and licence compliance letters are for licences only"
    if action in WARNINGS:
        advice = rules.enforcement_advice(failure_on=failure_on, order=order, warnings=warnings, failure_id=failure_id)
        if advice.requires_breach:
            given = advice.last_warning_on
            return (
                f"A warning was given on {given.day} {given:%B %Y}. A further failure within 12 months must be "
                f"referred for breach, not warned again ({advice.statute}). Select breach requested"
            )
    return ""


def action_choices(orders, blank: str = "None needed") -> list[tuple[str, str]]:
    """Enforcement actions that fit the orders: warnings and breach for orders, the recall route for licences."""
    codes = set()
    for order in orders:
        codes |= LICENCE_ACTIONS if order.is_licence else ORDER_ACTIONS
    return [("", blank)] + enforcement_choices(codes or FAILURE_ACTIONS)


def grouped_outcomes() -> list[tuple[str, list[tuple[str, str]]]]:
    """Outcomes under their headings (attended, acceptable absence, unacceptable absence, rescheduled)."""
    return [(heading, [(c, label) for c, label in Outcome.choices if c in codes]) for heading, codes in OUTCOME_GROUPS]


ENFORCEMENT_HINT = "Needed for a failure to comply"


def _radio_id(field_id: str, value, field) -> str:
    """The id of a radio: the field's own id for the first choice (as GOV.UK Frontend does), then numbered."""
    position = [str(v) for v, _ in field.choices].index(str(value)) + 1
    return field_id if position == 1 else f"{field_id}_{position}"


class ContactForm(EnforcementMixin, GovForm, forms.ModelForm):
    submit_label = "Create contact"
    contact_date = GovDateField(label="Date of the contact", noun="date of the contact")
    start_time = GovTimeField(label="Start time", noun="start time")
    end_time = GovTimeField(label="End time", noun="end time", required=False)
    national_standard = yes_no_field(
        "Does this count as a national standard contact?",
        "Select yes if this contact counts towards the contact plan",
        help_text="A planned contact with the service user that meets the order's reporting requirement",
    )

    class Meta:
        model = Contact
        fields = [
            "contact_type",
            "with_whom",
            "key_individual",
            "protected_person",
            "agency",
            "location",
            "notes",
            "sensitive",
            "national_standard",
            "outcome",
            "enforcement_action",
            "penalty_minutes",
        ]
        labels = {
            "contact_type": "Type of contact",
            "with_whom": "Who was the contact with?",
            "key_individual": "Key individual",
            "protected_person": "Protected person or victim",
            "agency": "Agency",
            "notes": "Notes",
            "sensitive": "This contact includes sensitive information",
            "outcome": "Outcome",
            "enforcement_action": "Enforcement action",
            "penalty_minutes": "Minutes deducted (unpaid work only)",
        }
        help_texts = {
            "protected_person": "Checks on a victim's safety go through the police, children's services, an IDVA, "
            "MARAC or victim liaison, not the victim directly",
            "notes": NOTES_HINT,
            "outcome": "Needed for appointments the service user attends or misses",
            "penalty_minutes": "For example, for arriving late. Leave as 0 if none",
        }
        widgets = {"with_whom": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 6})}
        field_classes = {
            "key_individual": CaseRecordChoiceField,
            "protected_person": CaseRecordChoiceField,
            "agency": CaseRecordChoiceField,
        }
        error_messages = {
            "contact_type": {"required": "Select the type of contact"},
            "with_whom": {"required": "Select who the contact was with"},
            "penalty_minutes": {"invalid": "Enter the minutes deducted as a whole number, like 15"},
            "notes": {"max_length": NOTES_TOO_LONG},
        }

    def __init__(self, *args, case, orders: list, warnings: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.orders, self.warnings = case, orders, warnings
        people = (
            ("key_individual", "key_individuals", "Select a key individual"),
            ("protected_person", "protected_people", "Select a protected person or victim"),
            ("agency", "agencies", "Select an agency"),
        )
        for name, records, prompt in people:
            self.fields[name].for_case(functools.partial(getattr, case, records))
            self.fields[name].empty_label = prompt
            self.fields[name].error_messages["invalid_choice"] = "Select someone recorded on this case"
        self.fields["outcome"].choices = [("", "Select the outcome")] + grouped_outcomes()
        self.fields["enforcement_action"].choices = action_choices(orders, blank="Select the enforcement action")
        self.fields["enforcement_action"].help_text = ENFORCEMENT_HINT
        self.add_warning_date_field()
        self.fields["contact_date"].initial = timezone.localdate()
        self.fields["contact_date"].earliest = EARLIEST_RECORD_DATE
        self.fields["contact_type"].choices = [("", "Select the type of contact")] + [
            (code, label)
            for code, label in ContactType.choices
            if code not in ENQUIRY_TYPES and code not in RECORDED_BY_THE_APP
        ]
        self.fields["contact_type"].help_text = RECORD_AS_ENQUIRY
        self.fields["penalty_minutes"].widget.attrs.update({"class": "govuk-input govuk-input--width-4"})
        self.initial["national_standard"] = None
        self.setup_gov()

    def layout(self):
        reveals = {
            WithWhom.KEY_INDIVIDUAL: ["key_individual"],
            WithWhom.PROTECTED_PERSON: ["protected_person"],
            WithWhom.AGENCY: ["agency"],
        }
        return Layout(
            "contact_type",
            "contact_date",
            "start_time",
            "end_time",
            reveal_radios("with_whom", WithWhom.choices, reveals),
            "location",
            "notes",
            "sensitive",
            "national_standard",
            shown_when(
                "contact_type",
                ATTENDANCE_TYPES,
                "outcome",
                shown_when(
                    "outcome",
                    FAILURES,
                    "enforcement_action",
                    shown_when("enforcement_action", WARNINGS, "warning_given_on"),
                ),
            ),
            shown_when("contact_type", [ContactType.CUPA], "penalty_minutes"),
        )

    def clean(self):
        cleaned = super().clean()
        self._clean_outcome(cleaned)
        self._clean_times(cleaned)
        self._clean_with_whom(cleaned)
        day = cleaned.get("contact_date")
        self._clean_order_dates(day)
        if day:
            self.check_enforcement(
                outcome=cleaned.get("outcome"),
                action=cleaned.get("enforcement_action"),
                failure_on=day,
                order=rules.order_in_force(self.orders, day),
                warnings=self.warnings,
            )
        self.check_warning_date(cleaned, day)
        return cleaned

    def _clean_times(self, cleaned):
        day, start, end = cleaned.get("contact_date"), cleaned.get("start_time"), cleaned.get("end_time")
        if not (day and start):
            return
        starts_at = _at(day, start)
        if starts_at > timezone.now():
            self.add_error(
                "contact_date",
                "The date and time of the contact must be in the past. "
                "To plan a future contact, arrange an appointment",
            )
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, None
        if end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        elif end:
            cleaned["ends_at"] = _at(day, end)
            problem = rules.penalty_error(
                starts_at=starts_at, ends_at=cleaned["ends_at"], penalty_minutes=cleaned.get("penalty_minutes")
            )
            if problem:
                self.add_error("penalty_minutes", problem)

    def _clean_order_dates(self, day):
        """A contact cannot come before the case's first sentence (a year typed wrong, usually). Sentence, not
        start: work before a licence starts (pre-release planning) is on the case too."""
        first = rules.first_sentence(self.orders)
        if day and first and day < first and "contact_date" not in self.errors:
            self.add_error(
                "contact_date",
                f"The date of the contact must be on or after {in_words(first)}, the date of the first sentence "
                "on this case",
            )

    def _clean_outcome(self, cleaned):
        """Outcome, enforcement and minutes deducted show only where they apply (without JavaScript they show
        anyway): what was left in one that does not apply is ignored, not an error."""
        kind, outcome = cleaned.get("contact_type"), cleaned.get("outcome")
        if kind in ATTENDANCE_TYPES and not outcome:
            self.add_error("outcome", "Select the outcome of the contact")
        if kind and kind not in ATTENDANCE_TYPES:
            cleaned["outcome"] = outcome = ""
        if kind and kind != ContactType.CUPA:
            cleaned["penalty_minutes"] = 0
            self.errors.pop("penalty_minutes", None)
        if kind == ContactType.CUPA and outcome in ATTENDED and not cleaned.get("end_time"):
            self.add_error("end_time", "Enter the end time of the unpaid work session, so the hours can be credited")

    def _clean_with_whom(self, cleaned):
        """Only the person the contact was with is kept; the other selects are cleared."""
        who = cleaned.get("with_whom")
        for field, wanted in (
            ("key_individual", WithWhom.KEY_INDIVIDUAL),
            ("protected_person", WithWhom.PROTECTED_PERSON),
            ("agency", WithWhom.AGENCY),
        ):
            if who == wanted and not cleaned.get(field):
                self.add_error(field, f"Select the {self.fields[field].label.lower()} the contact was with")
            elif who != wanted:
                cleaned[field] = None


class AppointmentForm(GovForm, forms.Form):
    submit_label = "Arrange appointment"
    contact_type = forms.ChoiceField(
        label="Type of appointment",
        choices=[(k, v) for k, v in ContactType.choices if k in ATTENDANCE_TYPES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of appointment"},
    )
    day = GovDateField(label="Date", noun="date of the appointment")
    start_time = GovTimeField(label="Start time", noun="start time")
    end_time = GovTimeField(label="End time", noun="end time")
    location = forms.CharField(
        label="Location",
        max_length=200,
        required=False,
        help_text="For example, Westshire probation office, interview room 2",
    )
    repeat = forms.ChoiceField(
        label="Does the appointment repeat?",
        choices=Repeat.choices,
        widget=forms.RadioSelect,
        initial=Repeat.NONE,
        error_messages={"required": "Select whether it repeats"},
    )
    repeat_until = GovDateField(
        label="Repeat until", noun="date the appointments repeat until", required=False, help_text="Only if it repeats"
    )
    notes = forms.CharField(
        label="Supporting information",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        error_messages={"max_length": NOTES_TOO_LONG},
    )
    sensitive = forms.BooleanField(label="This includes sensitive information", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start:
            if _at(day, start) <= timezone.now():
                self.add_error("day", "The appointment must be in the future. To record a past contact, add a contact")
            if end and end <= start:
                self.add_error("end_time", "The end time must be after the start time")
        repeat, until = cleaned.get("repeat"), cleaned.get("repeat_until")
        every = None if repeat in (None, Repeat.NONE) else int(repeat)
        if every and not until and "repeat_until" not in self.errors:
            self.add_error("repeat_until", "Enter the date the appointments repeat until")
        elif every and day and until:
            if until <= day:
                self.add_error("repeat_until", "The date the appointments repeat until must be after the first one")
            elif (until - day).days // every + 1 > MAX_SERIES:
                self.add_error(
                    "repeat_until", f"A series can have at most {MAX_SERIES} appointments. Choose an earlier date"
                )
        elif not every and until:
            self.add_error("repeat_until", "Leave this blank when the appointment does not repeat")
        if not self.errors and day and start and end:
            cleaned["starts"] = rules.repeat_starts(first_day=day, at=start, every_days=every, until=until, tz=LOCAL_TZ)
            cleaned["duration"] = _at(day, end) - _at(day, start)
        return cleaned


class OutcomeForm(EnforcementMixin, GovForm, forms.Form):
    submit_label = "Record outcome"
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the appointment"},
    )
    enforcement_action = forms.ChoiceField(
        label="Enforcement action",
        required=False,
        choices=enforcement_choices(FAILURE_ACTIONS),
        widget=forms.RadioSelect,
        help_text=ENFORCEMENT_HINT,
    )
    end_time = GovTimeField(
        label="Time the session actually ended",
        noun="time the session ended",
        required=False,
        help_text="Unpaid work only: use the 24-hour clock, for example 16:30",
    )
    penalty_minutes = forms.IntegerField(
        label="Minutes deducted (unpaid work only)",
        min_value=0,
        required=False,
        error_messages={
            "invalid": "Enter the minutes as a whole number, like 15",
            "min_value": "The minutes deducted cannot be negative",
        },
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=NOTES_HINT,
        max_length=NOTES_MAX_LENGTH,
        error_messages={"max_length": NOTES_TOO_LONG},
    )

    def __init__(self, *args, contact: Contact, order, warnings: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact, self.order, self.warnings = contact, order, warnings
        self.fields["enforcement_action"].choices = action_choices([order] if order else [])[1:]
        self.add_warning_date_field()
        self.order_fields(["outcome", "enforcement_action", "warning_given_on"])
        if not contact.is_unpaid_work:
            del self.fields["end_time"], self.fields["penalty_minutes"]
        self.setup_gov()
        outcome = self["outcome"]
        self.fields["outcome"].groups = [
            (heading, [(value, label, _radio_id(outcome.auto_id, value, self.fields["outcome"])) for value, label in c])
            for heading, c in grouped_outcomes()
        ]

    def layout(self):
        return Layout(
            Field("outcome", template="contacts/includes/grouped_radios.html"),
            shown_when(
                "outcome",
                FAILURES,
                "enforcement_action",
                shown_when("enforcement_action", WARNINGS, "warning_given_on"),
            ),
            *[name for name in ("end_time", "penalty_minutes") if name in self.fields],
            "notes",
        )

    def clean(self):
        cleaned = super().clean()
        failure_on = rules.local_date(self.contact.starts_at, LOCAL_TZ)
        self.check_enforcement(
            outcome=cleaned.get("outcome"),
            action=cleaned.get("enforcement_action"),
            failure_on=failure_on,
            order=self.order,
            warnings=self.warnings,
            failure_id=self.contact.pk,
        )
        self.check_warning_date(cleaned, failure_on)
        end = cleaned.get("end_time")
        cleaned["ends_at"] = None
        if end is not None:
            ends_at = _at(rules.local_date(self.contact.starts_at, LOCAL_TZ), end)
            if ends_at <= self.contact.starts_at:
                self.add_error("end_time", "The session must end after it started")
                return cleaned
            cleaned["ends_at"] = ends_at
        problem = rules.penalty_error(
            starts_at=self.contact.starts_at,
            ends_at=cleaned["ends_at"] or self.contact.ends_at,
            penalty_minutes=cleaned.get("penalty_minutes"),
        )
        if problem:
            self.add_error("penalty_minutes", problem)
        return cleaned


class AmendContactForm(GovForm, forms.ModelForm):
    submit_label = "Save amendment"
    national_standard = yes_no_field(
        "Does this count as a national standard contact?", "Select yes if this contact counts towards the contact plan"
    )
    reason = forms.CharField(
        label="Why are you amending this contact?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The original record is kept alongside your amendment",
        error_messages={"required": "Enter the reason for the amendment"},
    )

    class Meta:
        model = Contact
        fields = ["location", "notes", "sensitive", "national_standard"]
        labels = {"sensitive": "This contact includes sensitive information"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"notes": NOTES_HINT}
        error_messages = {"notes": {"max_length": NOTES_TOO_LONG}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not [n for n in self.changed_data if n != "reason"]:
            raise ValidationError("You have not changed anything. Change the contact, or cancel")
        return cleaned

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != "reason"]


class ContactPlanForm(GovForm, forms.Form):
    submit_label = "Set contact plan"
    frequency_days = forms.TypedChoiceField(
        label="How often must the service user be seen?",
        coerce=int,
        choices=FREQUENCY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often contact is needed"},
    )
    starts_on = GovDateField(label="From", noun="date the plan starts")

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        starts_on = cleaned.get("starts_on")
        if starts_on and "starts_on" not in self.errors:
            first_start = (
                min(self.case.orders.values_list("start_date", flat=True), default=None) if self.case else None
            )
            if problem := dates.plan_start_problem(starts_on, first_order_start=first_start):
                self.add_error("starts_on", problem)
        return cleaned


class ChangeRequestForm(ContactPlanForm):
    submit_label = "Send request to line manager"
    reason = forms.CharField(
        label="Why does the case need this contact?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your line manager reads this before deciding. For example, weekly contact after unpaid work "
        "sessions to monitor risk from domestic abuse",
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args, current_frequency: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_frequency = current_frequency

    def clean_frequency_days(self):
        value = self.cleaned_data["frequency_days"]
        if value == self.current_frequency:
            raise ValidationError("The case already has this contact plan. Select a different frequency")
        return value

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value and value < timezone.localdate():
            raise ValidationError("The change must start today or in the future")
        if value and value > timezone.localdate() + timedelta(days=365):
            raise ValidationError("The change must start within the next 12 months")
        return value


class DecisionForm(GovForm, forms.Form):
    submit_label = "Confirm decision"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or refuse"},
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed if you refuse: the officer sees it on the case",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("comment"):
            self.add_error("comment", "Enter the reason for refusing the request")
        return cleaned


class AbsenceDecisionForm(EnforcementMixin, GovForm, forms.Form):
    """Judge a failure to attend: acceptable (why, and the evidence) or unacceptable (and the enforcement)."""

    submit_label = "Confirm decision"
    acceptable = forms.TypedChoiceField(
        label="Was the absence acceptable?",
        choices=[("yes", "Yes, acceptable"), ("no", "No, unacceptable")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the absence was acceptable"},
    )
    outcome = forms.ChoiceField(
        label="Why was it acceptable?",
        required=False,
        choices=[("", "Not acceptable")] + [(c, label) for c, label in Outcome.choices if c in ACCEPTABLE_ABSENCES],
        help_text="Only if the absence was acceptable",
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for an acceptable absence: for example a sick note, a letter from the employer or a court "
        "listing, and whether you have seen it",
    )
    enforcement_action = forms.ChoiceField(label="Enforcement action", required=False, help_text="Only if unacceptable")
    reason = forms.CharField(
        label="Reason for your decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The original record of the failure to attend is kept with your decision",
        error_messages={"required": "Enter the reason for your decision"},
    )

    def __init__(self, *args, contact: Contact, order, warnings: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact, self.order, self.warnings = contact, order, warnings
        self.fields["enforcement_action"].choices = [
            c for c in action_choices([order] if order else []) if c[0] != EnforcementAction.EA12
        ]
        self.add_warning_date_field()
        self.order_fields(["acceptable", "outcome", "evidence", "enforcement_action", "warning_given_on", "reason"])
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        acceptable = cleaned.get("acceptable")
        if acceptable is True:
            self._clean_acceptable(cleaned)
        elif acceptable is False:
            failure_on = rules.local_date(self.contact.starts_at, LOCAL_TZ)
            if cleaned.get("outcome"):
                self.add_error("outcome", "An unacceptable absence has no acceptable reason. Leave this blank")
            self.check_enforcement(
                outcome=Outcome.UAAB,
                action=cleaned.get("enforcement_action"),
                failure_on=failure_on,
                order=self.order,
                warnings=self.warnings,
                failure_id=self.contact.pk,
            )
            self.check_warning_date(cleaned, failure_on)
        return cleaned

    def _clean_acceptable(self, cleaned):
        if not cleaned.get("outcome"):
            self.add_error("outcome", "Select why the absence was acceptable")
        if not (cleaned.get("evidence") or "").strip():
            self.add_error("evidence", "Enter the evidence for the absence, for example a sick note")
        if cleaned.get("enforcement_action"):
            self.add_error("enforcement_action", "An acceptable absence needs no enforcement action. Leave this blank")
