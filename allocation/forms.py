"""Forms for allocating a case, writing protocol rules, and officer profiles."""

from django import forms

from casework.constants import Gender, Grade, OrderType, RequirementType, Role
from casework.models import Team, User
from core.forms import EARLIEST_RECORD_DATE, GovDateField, GovForm
from risk.constants import MappaLevel, ProtectLevel, RoshLevel

from . import rules
from .constants import FLAG_CHOICES, NOT_MAPPA, UNSCREENED, Specialism
from .models import OfficerProfile, WorkloadReduction


class AllocateForm(GovForm, forms.Form):
    submit_label = "Allocate case"
    officer = forms.TypedChoiceField(
        label="Choose the responsible officer",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the officer to allocate the case to",
            "invalid_choice": "Select an officer from the eligible list",
        },
    )
    override_reason = forms.CharField(
        label="Why are you not allocating to the suggested officer?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed if you choose someone else",
    )
    notes = forms.CharField(
        label="Allocation notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the officer: anything they need to know to start",
    )
    expected_officer = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, view, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        self.fields["officer"].choices = [
            (
                r.candidate.id,
                f"{r.candidate.name} – {r.candidate.grade}, workload {r.candidate.capacity}% "
                f"(→ {r.capacity_after}%)" + (" (suggested)" if i == 0 else ""),
            )
            for i, r in enumerate(view.ranked)
        ]
        if view.suggested:
            self.fields["officer"].initial = view.suggested.id
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        suggested = self.view.suggested
        if suggested and cleaned.get("officer") not in (None, suggested.id) and not cleaned.get("override_reason"):
            self.add_error(
                "override_reason", f"Enter why you are not allocating to the suggested officer, {suggested.name}"
            )
        return cleaned


def _multi(label, choices, help_text="Leave all unticked if it does not matter"):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple
    )


CONDITION_FIELDS = [
    "order_types",
    "requirement_types_only",
    "requirement_types_any",
    "flags_any",
    "flags_none",
    "rosh_levels",
    "mappa_levels",
    "tiers",
    "genders",
]


class RuleForm(GovForm, forms.Form):
    submit_label = "Save rule"
    name = forms.CharField(
        label="Rule name",
        max_length=120,
        error_messages={"required": "Enter a name for the rule"},
        help_text="For example, Unpaid-work-only order with domestic abuse",
    )
    order_types = _multi("The order is one of", OrderType.choices)
    requirement_types_only = _multi(
        "The order's requirements are only",
        RequirementType.choices,
        "For example, tick unpaid work for an unpaid-work-only order",
    )
    requirement_types_any = _multi("The order includes any of these requirements", RequirementType.choices)
    flags_any = _multi("The case has any of these flags", FLAG_CHOICES)
    flags_none = _multi("The case has none of these flags", FLAG_CHOICES)
    rosh_levels = _multi("RoSH is one of", [*RoshLevel.choices, (UNSCREENED, "Not screened yet")])
    mappa_levels = _multi(
        "MAPPA is one of", [(NOT_MAPPA, MappaLevel.NONE.label), *[(v, lbl) for v, lbl in MappaLevel.choices if v]]
    )
    tiers = _multi(
        "Tier (protect level) is one of",
        [(level, f"Tier {label}") for level, label in ProtectLevel.choices],
        "From the national tier calculator. Leave all unticked if it does not matter",
    )
    genders = _multi("Gender is one of", Gender.choices)
    min_age = forms.IntegerField(
        label="Minimum age",
        required=False,
        min_value=10,
        max_value=120,
        error_messages={
            "invalid": "Enter the minimum age as a whole number",
            "min_value": "Enter an age from 10 to 120",
            "max_value": "Enter an age from 10 to 120",
        },
    )
    max_age = forms.IntegerField(
        label="Maximum age",
        required=False,
        min_value=10,
        max_value=120,
        error_messages={
            "invalid": "Enter the maximum age as a whole number",
            "min_value": "Enter an age from 10 to 120",
            "max_value": "Enter an age from 10 to 120",
        },
    )
    eligible_grades = forms.ChoiceField(
        label="Lowest grade who can hold the case",
        choices=[
            (Grade.PO, "Probation officer (PO)"),
            (Grade.PSO, "PSO or above"),
            (Grade.UPW, "Unpaid work supervisor or above"),
        ],
        widget=forms.RadioSelect,
        help_text="Grades are a minimum: a higher grade can hold the case too. A PSO cannot hold a case with high or "
        "very high RoSH, MAPPA level 2 or 3, or child protection concerns: rule those out to choose a lower grade",
        error_messages={"required": "Select the lowest grade who can hold the case"},
    )
    min_experience_years = forms.IntegerField(
        label="Minimum years of experience",
        min_value=0,
        max_value=50,
        initial=0,
        error_messages={
            "required": "Enter the minimum years of experience (0 for none)",
            "invalid": "Enter the years as a whole number, like 3",
            "min_value": "Enter a number of years from 0 to 50",
            "max_value": "Enter a number of years from 0 to 50",
        },
    )
    required_specialism = forms.ChoiceField(
        label="Specialism needed", required=False, choices=[("", "None")] + list(Specialism.choices)
    )
    contact_frequency_days = forms.TypedChoiceField(
        label="Contact plan to set",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Leave as the order requires"), (7, "Every week"), (14, "Every 2 weeks"), (28, "Every 4 weeks")],
    )
    contact_needs_approval = forms.BooleanField(label="This contact plan needs line-manager approval", required=False)
    da_enquiry_interval_weeks = forms.IntegerField(
        label="Police domestic abuse enquiry every (weeks)",
        required=False,
        min_value=1,
        max_value=52,
        help_text="Leave blank if no regular enquiries are needed",
        error_messages={
            "invalid": "Enter the weeks as a whole number",
            "min_value": "Enter a number of weeks from 1 to 52",
            "max_value": "Enter a number of weeks from 1 to 52",
        },
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the rationale: managers see it when allocating"},
    )
    enabled = forms.BooleanField(label="The rule is in use", required=False, initial=True)

    def __init__(self, *args, is_default=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_default = is_default
        if is_default:
            for name in [*CONDITION_FIELDS, "min_age", "max_age"]:
                del self.fields[name]
        self.setup_gov()

    @classmethod
    def initial_from(cls, rule) -> dict:
        weeks = rule.da_enquiry_interval_days // 7 if rule.da_enquiry_interval_days else None
        return {
            "name": rule.name,
            **{k: rule.conditions.get(k, []) for k in CONDITION_FIELDS},
            "min_age": rule.conditions.get("min_age"),
            "max_age": rule.conditions.get("max_age"),
            "eligible_grades": rule.min_grade,
            "min_experience_years": rule.min_experience_years,
            "required_specialism": rule.required_specialism,
            "contact_frequency_days": rule.contact_frequency_days,
            "contact_needs_approval": rule.contact_needs_approval,
            "da_enquiry_interval_weeks": weeks,
            "rationale": rule.rationale,
            "enabled": rule.enabled,
        }

    def clean(self):
        cleaned = super().clean()
        if not self.is_default:
            conditions = {k: cleaned.get(k) for k in CONDITION_FIELDS if cleaned.get(k)}
            for k in ("min_age", "max_age"):
                if cleaned.get(k) is not None:
                    conditions[k] = cleaned[k]
            if not conditions and not self.errors:
                self.add_error(None, "Choose at least one condition. Cases that match no rule use the default rule")
            if cleaned.get("min_age") and cleaned.get("max_age") and cleaned["min_age"] > cleaned["max_age"]:
                self.add_error("max_age", "The maximum age must be the same as or more than the minimum age")
            both = set(cleaned.get("flags_any") or []) & set(cleaned.get("flags_none") or [])
            if both:
                self.add_error("flags_none", "A flag cannot be both needed and ruled out")
            cleaned["conditions"] = conditions
        if cleaned.get("contact_needs_approval") and not cleaned.get("contact_frequency_days"):
            self.add_error("contact_frequency_days", "Select the contact plan that needs approval")
        weeks = cleaned.get("da_enquiry_interval_weeks")
        cleaned["da_enquiry_interval_days"] = weeks * 7 if weeks else None
        if cleaned.get("eligible_grades"):
            cleaned["eligible_grades"] = [cleaned["eligible_grades"]]
            gaps = rules.ceiling_gaps(
                cleaned.get("conditions", {}), cleaned["eligible_grades"], is_default=self.is_default
            )
            if gaps and not self.errors:
                self.add_error("eligible_grades", rules.ceiling_message(gaps))
        return cleaned


class OfficerProfileForm(GovForm, forms.ModelForm):
    submit_label = "Save officer profile"
    specialisms = forms.MultipleChoiceField(
        label="Specialisms", choices=Specialism.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = OfficerProfile
        fields = ["user", "contracted_hours", "experience_years", "specialisms", "active"]
        labels = {"user": "Officer", "contracted_hours": "Contracted hours a week"}
        error_messages = {
            "user": {"required": "Select the officer", "invalid_choice": "Select an officer without a profile"},
            "contracted_hours": {
                "required": "Enter the contracted hours a week",
                "invalid": "Enter the hours as a number, like 37 or 22.5",
            },
            "experience_years": {
                "required": "Enter the years of experience (0 if new)",
                "invalid": "Enter the years as a whole number, like 3",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = User.objects.filter(
                role=Role.RESPONSIBLE_OFFICER, officer_profile__isnull=True, is_active=True
            )
            self.fields["user"].label_from_instance = lambda u: f"{u} ({u.get_grade_display() or 'no grade'})"
        self.setup_gov()

    def clean_contracted_hours(self):
        hours = self.cleaned_data["contracted_hours"]
        if not 1 <= hours <= 48:
            raise forms.ValidationError("Enter contracted hours from 1 to 48")
        return hours


class ReductionForm(GovForm, forms.ModelForm):
    submit_label = "Add reduction"
    starts_on = GovDateField(label="From", noun="date the reduction starts", earliest=EARLIEST_RECORD_DATE)
    ends_on = GovDateField(
        label="Until", noun="date the reduction ends", required=False, help_text="Leave blank if it has no end date yet"
    )

    class Meta:
        model = WorkloadReduction
        fields = ["hours", "reason", "starts_on", "ends_on"]
        labels = {"hours": "Hours a week off the workload"}
        error_messages = {
            "hours": {"required": "Enter the hours a week", "invalid": "Enter the hours as a number"},
            "reason": {"required": "Enter the reason for the reduction"},
        }

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.setup_gov()

    def clean(self):
        cleaned = super().clean()
        hours, starts, ends = cleaned.get("hours"), cleaned.get("starts_on"), cleaned.get("ends_on")
        if hours is not None and not 0 < hours <= self.profile.contracted_hours:
            self.add_error("hours", f"Enter hours from 0.5 to {self.profile.contracted_hours} (their contracted hours)")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned


class TransferRequestForm(GovForm, forms.Form):
    submit_label = "Ask the team to take the case"
    to_team = forms.ModelChoiceField(
        label="Which team should take the case?",
        queryset=Team.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the team to transfer the case to"},
    )
    reason = forms.CharField(
        label="Why is the case being transferred?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the service user has moved to the other team's area. The receiving team's line "
        "manager reads this before accepting",
        error_messages={"required": "Enter why the case is being transferred"},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = Team.objects.exclude(pk=case.team_id).order_by("name")
        self.setup_gov()


class TransferDecisionForm(GovForm, forms.Form):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        label="Will your team take the case?",
        choices=[("accept", "Yes, accept the transfer"), ("decline", "No, decline the transfer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your team accepts the transfer"},
    )
    decline_reason = forms.CharField(
        label="If you are declining, why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The sending team's line manager is told",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("decline_reason", "").strip():
            self.add_error("decline_reason", "Enter why you are declining the transfer")
        return data
