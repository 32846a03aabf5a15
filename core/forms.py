"""GOV.UK-style form building blocks shared by every app's forms."""

import copy
import functools
import re
import secrets
from datetime import date, time

from crispy_forms import layout as crispy_layout
from crispy_forms.layout import Hidden
from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.template.loader import render_to_string
from django.utils.functional import cached_property

# EARLIEST_RECORD_DATE is re-exported: forms across the apps import it from here.
from core.dates import EARLIEST_RECORD_DATE as EARLIEST_RECORD_DATE
from core.dates import in_past_problem, in_words


class GovDateField(DateInputField):
    """A day/month/year date input whose errors name the date ("Enter the date of birth")."""

    def __init__(self, *, noun: str, earliest: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.noun = noun
        self.earliest = earliest
        self.error_messages["required"] = f"Enter the {noun}"
        self.error_messages["incomplete"] = f"The {noun} must include a day, month and year"
        self.error_messages["invalid"] = f"The {noun} must be a real date"

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            parts = [str(v).strip() if v is not None else "" for v in value]
            filled = [p for p in parts if p]
            if filled and len(filled) < 3:
                raise ValidationError(self.error_messages["incomplete"], code="incomplete")
            if filled and not all(re.fullmatch(r"[0-9]{1,4}", p) for p in parts):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if filled and not 1900 <= int(parts[2]) <= 2200:
                raise ValidationError(f"The year of the {self.noun} must include 4 numbers, like 2026", code="invalid")
            value = parts if filled else ["", "", ""]
        cleaned = super().clean(value)
        if cleaned and self.earliest and cleaned < self.earliest:
            raise ValidationError(
                f"The {self.noun} must be on or after {in_words(self.earliest)}. Check the year", code="implausible"
            )
        return cleaned

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and (not PHONE_PATTERN.match(value) or sum(c.isdigit() for c in value) < 10):
        raise ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
    return value


UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def clean_postcode(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not UK_POSTCODE.match(value):
        raise ValidationError("Enter a real postcode, like LS1 4AP")
    return value


def not_in_future(value: date | None, today: date, noun: str) -> None:
    if problem := in_past_problem(value, today, noun):
        raise ValidationError(problem)


def add_date_problems(form, problems: dict[str, str]) -> None:
    """Show each of a record's date problems (core.dates) beside its field, unless that field already has an error
    (a date that is not a real date needs no second message)."""
    for field, message in problems.items():
        if message and field not in form.errors:
            form.add_error(field, message)


def model_values(form) -> dict:
    """A valid ModelForm's cleaned values for its model's fields, as plain keyword values for a service."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}


SUBMISSION_TOKEN = "submission_token"
SUBMISSION_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def submission_token(data) -> str | None:
    """The form's one-time token from posted data, if it is one we could have issued."""
    value = data.get(SUBMISSION_TOKEN, "") if data is not None else ""
    return value if isinstance(value, str) and SUBMISSION_TOKEN_PATTERN.match(value) else None


@functools.cache
def _django_defaults(kind: type) -> dict:
    """The error messages Django gives this kind of field when a form sets none of its own, as text."""
    defaults = {}
    for cls in reversed(kind.__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return {key: str(message) for key, message in defaults.items()}


def _noun(label) -> str:
    """A label as it reads inside a sentence: "Contracted hours a week" -> "contracted hours a week"."""
    label = str(label or "answer").strip().rstrip("?:").strip()
    return label[0].lower() + label[1:] if len(label) > 1 and not label[1].isupper() else label


def personal_messages(field) -> dict:
    """Messages written for a person, for the ones this field would otherwise show in Django's words
    ("This field is required.", "Enter a whole number.")."""
    return _personal_messages(type(field), str(field.label or ""))


@functools.lru_cache(maxsize=2048)
def _personal_messages(kind: type, label: str) -> dict:
    # Worked out once per kind of field and label: every form built (each POST too) asks again for each field.
    noun = _noun(label)
    question = label.strip().endswith("?")
    choosing = issubclass(kind, (forms.ChoiceField, forms.ModelChoiceField))
    if choosing:
        required = f"Select an answer to \u201c{label.strip()}\u201d" if question else f"Select the {noun}"
    elif issubclass(kind, forms.BooleanField):
        required = f"Select \u201c{label.strip()}\u201d to continue"
    else:
        required = f"Enter the {noun}"
    return {
        "required": required,
        "invalid": f"Enter the {noun} as a whole number, like 15"
        if issubclass(kind, forms.IntegerField)
        else f"Enter the {noun} as a number, like 2.5"
        if issubclass(kind, (forms.DecimalField, forms.FloatField))
        else "Enter a real email address, like name@example.com"
        if issubclass(kind, forms.EmailField)
        else f"Check the {noun}: it is not in a form we recognise",
        "invalid_choice": "Select one of the options shown",
        "invalid_list": "Select one of the options shown",
        "max_value": f"The {noun} must be %(limit_value)s or less",
        "min_value": f"The {noun} must be %(limit_value)s or more",
        "max_length": f"The {noun} must be %(limit_value)d characters or fewer",
        "min_length": f"The {noun} must be at least %(limit_value)d characters",
        "max_digits": f"The {noun} must have no more than %(max)s digits",
        "max_decimal_places": f"The {noun} must have no more than %(max)s decimal places",
        "step_size": f"The {noun} must be a multiple of %(limit_value)s",
    }


def use_personal_messages(field) -> None:
    """Replace each of Django's own messages on the field (never one a form wrote) with personal_messages."""
    defaults = _django_defaults(type(field))
    messages = personal_messages(field)
    for key, message in messages.items():
        if key in field.error_messages and str(field.error_messages[key]) == defaults.get(key):
            field.error_messages[key] = message
    for index, validator in enumerate(field.validators):
        code = getattr(validator, "code", None)
        if code in ("max_value", "min_value", "max_length", "min_length") and code not in field.error_messages:
            if str(validator.message) == str(type(validator).message):
                # A copy: form instances share their class's validator objects.
                field.validators[index] = copy.copy(validator)
                field.validators[index].message = messages[code]


class GovForm:
    """Mixin: GOV.UK rendering via crispy-forms-gds, no blank radio option, one submit button, and a one-time
    token that lets a create view (core.views.OnceOnlyMixin) recognise a second submit of the same form."""

    submit_label = "Save"

    def setup_gov(self):
        for field in self.fields.values():
            use_personal_messages(field)
            if isinstance(field, forms.ModelChoiceField):
                # Never copy a model field's choices into a list: that would freeze the queryset the field
                # has now (every protected person in the system, say), and a form that narrows it to its
                # case afterwards would still render them all. Drop the blank option lazily instead.
                if type(field.widget) is forms.RadioSelect:
                    field.empty_label = None
            elif isinstance(field.widget, forms.RadioSelect) and hasattr(field, "choices"):
                field.choices = [(k, v) for k, v in field.choices if k not in ("", None)]
        # Not a form field, so it never reaches cleaned_data, a service or a list of changes. Shown again after
        # an error, the form keeps the token it was first given.
        self.submission_token = submission_token(self.data) or secrets.token_urlsafe(24)

    def layout(self):
        """The crispy Layout of the form's fields; None lays out every field in order."""
        return None

    @cached_property
    def helper(self) -> FormHelper:
        """Built when the form is first rendered: a POST that saves and redirects never needs it."""
        helper = FormHelper()
        # Browser validation would pre-empt the GOV.UK error summary.
        helper.attrs = {"novalidate": ""}
        helper.add_input(Hidden(SUBMISSION_TOKEN, self.submission_token))
        # GOV.UK Frontend's button ignores a second click within a second (the token catches the rest).
        helper.add_input(
            Submit("submit", self.submit_label, **{"data-module": "govuk-button", "data-prevent-double-click": "true"})
        )
        layout = self.layout()
        if layout is not None:
            helper.layout = layout
        return helper


class _CaseRecordChoices(ModelChoiceIterator):
    # The field's queryset when iterated, not when made: made with the field, before the form names the case.
    def __init__(self, field):
        self.field = field

    @property
    def queryset(self):
        return self.field.queryset


class CaseRecordChoiceField(forms.ModelChoiceField):
    """A choice among one case's own records (its key individuals, protected people, agencies). The form names them
    with for_case(build), and the queryset is built the first time it is needed (the page rendered, a chosen value
    checked): a form saved with none chosen, as most contacts are, never builds it. Copying a form's fields no longer
    copies a queryset of every such record in the system only for the form to replace it."""

    iterator = _CaseRecordChoices

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._build = None

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)  # not ModelChoiceField's, which copies the queryset
        result._queryset, result._build = None, self._build
        result.widget.choices = result.choices  # an iterator over the copy, not the field it was copied from
        return result

    def for_case(self, build) -> None:
        """`build()` gives the queryset of the case's records, when first needed."""
        self._build, self._queryset = build, None

    @property
    def queryset(self):
        if self._queryset is None and self._build is not None:
            self._queryset = self._build().all()
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._build = None
        self._queryset = None if queryset is None else queryset.all()
        self.widget.choices = self.choices


TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


class GovTimeField(forms.CharField):
    """A 24-hour time like 14:30, with errors that name the time ("Enter the start time")."""

    def __init__(self, *, noun: str, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 09:30 or 14:00")
        super().__init__(**kwargs)
        self.noun = noun
        self.error_messages["required"] = f"Enter the {noun}"
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        match = TIME_PATTERN.match(value.strip()[:10])
        if not match:
            raise ValidationError(f"Enter the {self.noun} in the 24-hour format, like 14:30", code="invalid")
        return time(int(match.group(1)), int(match.group(2)))

    def prepare_value(self, value):
        return value.strftime("%H:%M") if hasattr(value, "strftime") else value


def yes_no_field(label: str, error: str, help_text: str = "") -> forms.TypedChoiceField:
    """A required Yes/No question as radios, cleaned to a bool."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(True, "Yes"), (False, "No")],
        coerce=lambda value: value in (True, "True", "true", "yes"),
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
    )


class RevealQuestion(ConditionalQuestion):
    """A radio choice that reveals fields when chosen (GOV.UK conditional reveal). Positions count from 1, as
    for plain radios, so the first radio's id is the field's id. Without JavaScript every field shows, so
    forms must ignore the fields that do not apply to the choice made."""

    def render(self, bound_field, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        labels = [str(label) for _, label in bound_field.field.choices]
        position = labels.index(str(self.value))
        content = "".join(
            render_field(field, form, context, template_pack=template_pack, **kwargs) for field in self.fields
        )
        context.update(
            {
                "choice": list(bound_field.field.choices)[position],
                "field": bound_field,
                "position": position + 1,
                "conditional_content": content,
            }
        )
        return render_to_string(self.get_template_name(template_pack), context.flatten())


def reveal_radios(field: str, choices, reveals: dict) -> ConditionalRadios:
    """Radios for `field` where choosing a value in `reveals` shows that value's fields underneath it."""
    return ConditionalRadios(
        field, *[RevealQuestion(label, *reveals.get(value, ())) for value, label in choices if value not in ("", None)]
    )


def shown_when(field: str, values, *fields) -> crispy_layout.Div:
    """Fields shown only while `field` has one of `values` (static/js/application.js). Without JavaScript they
    show all the time, so the form ignores them when they do not apply."""
    return crispy_layout.Div(*fields, data_app_reveal=field, data_app_reveal_values=" ".join(str(v) for v in values))
