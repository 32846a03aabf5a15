"""Forms for casework records. Messages are written for the person reading them."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import dates
from core.forms import GovDateField, GovForm, add_date_problems, clean_phone, clean_postcode, not_in_future

from .constants import ENDED_STATUSES, OrderType, RequirementType, RestrictionKind, Role
from .models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    Requirement,
    RestrainingOrder,
    ServiceUser,
    Team,
    User,
    validate_crn,
)

UPW_MIN_HOURS, UPW_MAX_HOURS = 40, 300  # Sentencing Act 2020, Schedule 9, paragraph 2
# Older than anyone on probation has been: a date of birth before this is a typing mistake (1900 for 1990).
OLDEST_AGE = 100


class CaseRecordForm(GovForm, forms.ModelForm):
    edit_only_fields = ()  # for example status: a new order or requirement always starts active

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in self.edit_only_fields:
                del self.fields[name]
        self.setup_gov()

    @property
    def today(self):
        return timezone.localdate()


class ServiceUserForm(CaseRecordForm):
    date_of_birth = GovDateField(label="Date of birth", noun="date of birth", help_text="For example, 27 3 1994")

    class Meta:
        model = ServiceUser
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "phone",
        ]
        widgets = {"gender": forms.RadioSelect}
        error_messages = {
            "first_name": {"required": "Enter the first name"},
            "last_name": {"required": "Enter the last name"},
            "gender": {"required": "Select the gender"},
        }

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        not_in_future(born, self.today, "date of birth")
        if born and (self.today.year - born.year) < 10:
            raise ValidationError(
                "The date of birth must be at least 10 years ago (the age of criminal responsibility)"
            )
        if born and (self.today.year - born.year) > OLDEST_AGE:
            raise ValidationError(f"Check the date of birth: the service user would be over {OLDEST_AGE}")
        return born

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode"))

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


class NewCaseForm(ServiceUserForm):
    """Opening a case: CRN, team and (optionally) the responsible officer as well."""

    submit_label = "Create case"
    crn = forms.CharField(
        label="CRN",
        max_length=20,
        help_text="Case reference number: one letter followed by six numbers, like X123456",
        error_messages={"required": "Enter the CRN"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the team", "invalid_choice": "Select one of your teams"},
    )
    responsible_officer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated yet",
        help_text="Leave as not allocated if a line manager will allocate the case",
    )

    class Meta(ServiceUserForm.Meta):
        fields = ["crn", "team", *ServiceUserForm.Meta.fields]

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["responsible_officer"].queryset = User.objects.filter(
            teams__in=teams, role=Role.RESPONSIBLE_OFFICER, is_active=True
        ).distinct()
        self.order_fields(["crn", "team", "responsible_officer"])

    def clean_crn(self):
        crn = self.cleaned_data["crn"].strip().upper()
        validate_crn(crn)
        existing = ServiceUser.objects.filter(crn=crn).values_list("team", flat=True).first()
        if existing is not None:
            if existing in {team.pk for team in self.fields["team"].queryset}:
                raise ValidationError(f"A service user with CRN {crn} already exists. Search for them in Cases")
            # Another team's case: say nothing that confirms it exists.
            raise ValidationError("This CRN cannot be used. Check it is right, or ask your line manager")
        return crn

    def clean(self):
        cleaned = super().clean()
        officer, team = cleaned.get("responsible_officer"), cleaned.get("team")
        if officer and team and not officer.teams.filter(pk=team.pk).exists():
            self.add_error("responsible_officer", f"{officer} is not in {team}. Select an officer from that team")
        return cleaned


class OrderForm(CaseRecordForm):
    """Add an order or correct its details. How it ends is recorded on its own page (OrderEndForm)."""

    sentence_date = GovDateField(label="Sentence date", noun="sentence date")
    start_date = GovDateField(label="Start date", noun="start date")
    expected_end_date = GovDateField(label="Expected end date", noun="expected end date")

    class Meta:
        model = Order
        fields = ["order_type", "court", "sentence_date", "start_date", "expected_end_date"]
        widgets = {"order_type": forms.RadioSelect}
        labels = {"order_type": "Type of order", "court": "Sentencing court"}
        error_messages = {
            "order_type": {"required": "Select the type of order"},
            "court": {"required": "Enter the sentencing court"},
        }

    def clean(self):
        cleaned = super().clean()
        problems = dates.order_date_problems(
            # Until the type is chosen, hold the dates to the licence's looser limits: no message about 2000 for
            # someone who is about to choose licence.
            licence=cleaned.get("order_type") in (OrderType.LICENCE, None, ""),
            sentence_date=cleaned.get("sentence_date"),
            start_date=cleaned.get("start_date"),
            expected_end_date=cleaned.get("expected_end_date"),
            today=self.today,
        )
        add_date_problems(self, problems)
        return cleaned


class OrderEndForm(GovForm, forms.Form):
    """How and when an order ended, and why (casework.services.order_end checks it against the order)."""

    submit_label = "End the order"
    status = forms.ChoiceField(
        label="How did the order end?",
        choices=[(status.value, status.label) for status in ENDED_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the order ended", "invalid_choice": "Select how the order ended"},
        help_text="A breach is normally recorded through the breach journey. Record it here only with the court's "
        "decision as the reason",
    )
    # The service (casework.rules.order_end_error) checks it against the order's own start date.
    ended_on = GovDateField(
        label="Date the order ended",
        noun="date the order ended",
        help_text="For example, 27 3 2026",
        earliest=dates.EARLIEST_LICENCE_DATE,
    )
    reason = forms.CharField(
        label="Why did the order end?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example: all requirements completed, revoked by Leeds Magistrates' Court on application, "
        "transferred to the Southbank team",
        error_messages={"required": "Enter why the order ended"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        not_in_future(value, timezone.localdate(), "date the order ended")
        return value


class UnpaidWorkExtensionForm(GovForm, forms.Form):
    submit_label = "Record the extension"
    # Unpaid work is part of a community or suspended sentence order, never older than the earliest record; the
    # service (casework.rules.upw_extension_error) checks both dates against the order and the date replaced.
    extended_to = GovDateField(
        label="New date to complete the hours by",
        noun="new date to complete the hours by",
        help_text="For example, 27 3 2027",
        earliest=dates.EARLIEST_RECORD_DATE,
    )
    court = forms.CharField(
        label="Court that granted it",
        max_length=200,
        error_messages={"required": "Enter the court that granted the extension"},
    )
    granted_on = GovDateField(
        label="Date granted",
        noun="date granted",
        help_text="For example, 27 3 2026",
        earliest=dates.EARLIEST_RECORD_DATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()

    def clean_granted_on(self):
        value = self.cleaned_data["granted_on"]
        not_in_future(value, timezone.localdate(), "date granted")
        return value


class RequirementForm(CaseRecordForm):
    edit_only_fields = ("status",)

    class Meta:
        model = Requirement
        fields = ["requirement_type", "unpaid_work_hours", "rar_days", "details", "status"]
        widgets = {"status": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "requirement_type": "Type of requirement",
            "unpaid_work_hours": "Unpaid work hours ordered",
            "rar_days": "Rehabilitation activity days",
        }
        help_texts = {
            "unpaid_work_hours": f"Unpaid work only: between {UPW_MIN_HOURS} and {UPW_MAX_HOURS} hours",
            "rar_days": "Rehabilitation activity requirements only",
        }
        error_messages = {
            "requirement_type": {"required": "Select the type of requirement"},
            "unpaid_work_hours": {"invalid": "Enter the hours as a whole number, like 80"},
            "rar_days": {"invalid": "Enter the days as a whole number, like 20"},
            "status": {"required": "Select the status of the requirement"},
        }

    def clean(self):
        cleaned = super().clean()
        kind, hours, days = cleaned.get("requirement_type"), cleaned.get("unpaid_work_hours"), cleaned.get("rar_days")
        if kind == RequirementType.UNPAID_WORK:
            if hours is None and "unpaid_work_hours" not in self.errors:
                self.add_error("unpaid_work_hours", "Enter the number of unpaid work hours ordered")
            elif hours is not None and not UPW_MIN_HOURS <= hours <= UPW_MAX_HOURS:
                self.add_error(
                    "unpaid_work_hours",
                    f"Unpaid work hours must be between {UPW_MIN_HOURS} and {UPW_MAX_HOURS}",
                )
        elif hours is not None:
            self.add_error("unpaid_work_hours", "Only unpaid work requirements have hours. Leave this blank")
        if kind == RequirementType.RAR:
            if not days and "rar_days" not in self.errors:
                self.add_error("rar_days", "Enter the number of rehabilitation activity days (at least 1)")
        elif days is not None:
            self.add_error("rar_days", "Only rehabilitation activity requirements have days. Leave this blank")
        return cleaned


class OffenceForm(CaseRecordForm):
    offence_date = GovDateField(label="Date of offence", noun="date of offence", required=False)

    class Meta:
        model = Offence
        fields = ["description", "offence_date", "is_main", "domestic_abuse"]
        labels = {
            "description": "Offence",
            "is_main": "This is the main offence",
            "domestic_abuse": "The offence is domestic abuse related",
        }
        help_texts = {"description": "For example, common assault (Criminal Justice Act 1988, s.39)"}
        error_messages = {"description": {"required": "Enter the offence"}}

    def clean_offence_date(self):
        value = self.cleaned_data.get("offence_date")
        if self.instance.order_id is None:  # not from a case's order page: only the future can be checked
            not_in_future(value, self.today, "date of offence")
            return value
        order = self.instance.order
        problem = dates.offence_date_problem(
            value, sentence_date=order.sentence_date, date_of_birth=order.service_user.date_of_birth, today=self.today
        )
        if problem:
            raise ValidationError(problem)
        return value


class ProtectedPersonForm(CaseRecordForm):
    class Meta:
        model = ProtectedPerson
        fields = ["full_name", "relationship", "is_victim", "contact_restrictions", "notes"]
        labels = {
            "relationship": "Relationship to the service user",
            "is_victim": "They were a victim of the offence",
        }
        help_texts = {"contact_restrictions": "For example, no contact directly or indirectly; not to enter Elm Street"}
        widgets = {
            "contact_restrictions": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "full_name": {"required": "Enter the protected person's full name"},
            "relationship": {"required": "Select their relationship to the service user"},
        }


class RestrainingOrderForm(CaseRecordForm):
    made_on = GovDateField(label="Date made", noun="date the order was made")
    expires_on = GovDateField(
        label="Expiry date",
        noun="expiry date",
        required=False,
        help_text="Leave blank if the order lasts until further order",
    )

    class Meta:
        model = RestrainingOrder
        fields = ["court", "made_on", "expires_on", "until_further_order", "conditions", "protected_people"]
        labels = {
            "court": "Court that made the order",
            "until_further_order": "The order lasts until further order",
            "protected_people": "People the order protects",
        }
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 4}),
            "protected_people": forms.CheckboxSelectMultiple,
        }
        help_texts = {"protected_people": "Add a protected person first if they are not listed"}
        error_messages = {
            "protected_people": {"invalid_choice": "Select people recorded as protected on this case"},
            "court": {"required": "Enter the court that made the order"},
            "conditions": {"required": "Enter the conditions of the order"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_people"].queryset = case.protected_people.all()

    def clean(self):
        cleaned = super().clean()
        made, expires, indefinite = (
            cleaned.get("made_on"),
            cleaned.get("expires_on"),
            cleaned.get("until_further_order"),
        )
        if indefinite and expires:
            self.add_error("expires_on", "Leave the expiry date blank when the order lasts until further order")
        elif not indefinite and not expires and "expires_on" not in self.errors:
            self.add_error("expires_on", "Enter the expiry date, or select that the order lasts until further order")
        add_date_problems(
            self, dates.restraining_order_date_problems(made_on=made, expires_on=expires, today=self.today)
        )
        return cleaned


class KeyIndividualForm(CaseRecordForm):
    class Meta:
        model = KeyIndividual
        fields = ["full_name", "relationship", "phone", "involve", "notes"]
        labels = {
            "relationship": "Relationship to the service user",
            "involve": "Involve them in supervision",
            "notes": "How they support (or affect) managing risk",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "full_name": {"required": "Enter the key individual's full name"},
            "relationship": {"required": "Select their relationship to the service user"},
        }

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


class AgencyInvolvementForm(CaseRecordForm):
    started_on = GovDateField(label="Involved since", noun="date the agency became involved")
    ended_on = GovDateField(
        label="Involvement ended",
        noun="date involvement ended",
        required=False,
        help_text="Leave blank while the agency is still involved",
    )

    class Meta:
        model = AgencyInvolvement
        fields = ["agency_type", "organisation", "contact_name", "contact_details", "role", "started_on", "ended_on"]
        labels = {"agency_type": "Type of agency", "organisation": "Organisation name"}
        help_texts = {"role": "For example, domestic abuse call-out checks every 8 weeks"}
        error_messages = {
            "agency_type": {"required": "Select the type of agency"},
            "organisation": {"required": "Enter the organisation's name"},
            "role": {"required": "Enter the agency's role in the case"},
        }

    def clean(self):
        cleaned = super().clean()
        problems = dates.agency_date_problems(
            started_on=cleaned.get("started_on"), ended_on=cleaned.get("ended_on"), today=self.today
        )
        add_date_problems(self, problems)
        return cleaned


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Passwords are case-sensitive",
        "inactive": "This account has been deactivated. Ask an admin if you need access",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AccessRestrictionForm(GovForm, forms.Form):
    submit_label = "Save access"
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Member of staff",
        error_messages={
            "required": "Select the member of staff",
            "invalid_choice": "Select a member of staff from the list",
        },
    )
    kind = forms.ChoiceField(
        label="What should happen?",
        widget=forms.RadioSelect,
        choices=[
            (RestrictionKind.EXCLUDED, "Exclude them: they must not see this case"),
            (RestrictionKind.ALLOWED, "Allow them: only people allowed can see this case"),
        ],
        error_messages={"required": "Select whether to exclude or allow them"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, knows the service user personally",
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        self.setup_gov()


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="Username", required=False, max_length=150)
    crn = forms.CharField(label="CRN", required=False, max_length=7)
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the date as year-month-day, like 2026-11-26"},
    )
    date_to = forms.DateField(
        label="To (YYYY-MM-DD)",
        required=False,
        error_messages={"invalid": "Enter the date as year-month-day, like 2026-11-26"},
    )
