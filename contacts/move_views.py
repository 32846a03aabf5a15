"""Pages for appointments that move, reminder preferences and consent, the reminders outbox, and the GOV.UK
Notify delivery-receipt callback."""

import hmac
import json
import logging

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.errors import CaseworkError
from core.forms import GovForm
from core.views import CaseMixin, ServiceFormMixin

from . import appointments, move_forms, reminders
from .constants import RECEIPT_STATUSES, Channel, ReminderStatus
from .models import Reminder
from .views import CaseFormView, ContactMixin

logger = logging.getLogger(__name__)


class _MoveView(ServiceFormMixin, ContactMixin, CaseFormView):
    tab = "appointments"
    template_name = "contacts/move_form.html"

    def get_back_url(self):
        return reverse("contacts:detail", kwargs={"crn": self.case.crn, "contact_id": self.contact.pk})

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contact": self.contact}

    def problem(self) -> str:
        try:
            appointments.check_movable(self.contact)
        except CaseworkError as error:
            return str(error)
        return ""

    def save(self, data):
        moved = self.move(data)
        messages.success(self.request, self.done_message(moved))
        return reverse("contacts:appointments", kwargs={"crn": self.case.crn})


class RescheduleView(_MoveView):
    form_class = move_forms.RescheduleForm
    title = "Reschedule an appointment"

    def get_initial(self):
        return {"location": self.contact.location}

    def move(self, data):
        return appointments.appointment_reschedule(
            actor=self.request.user,
            contact=self.contact,
            starts_at=data["starts_at"],
            reason=data["reason"],
            moved_by=data["moved_by"],
            scope=data.get("scope") or "one",
            location=data["location"],
        )

    def done_message(self, moved):
        noun = "Appointment" if len(moved) == 1 else f"{len(moved)} appointments"
        return f"{noun} rescheduled. The original is kept on the record"


class CancelView(_MoveView):
    form_class = move_forms.CancelForm
    title = "Cancel an appointment"

    def move(self, data):
        return appointments.appointment_cancel(
            actor=self.request.user, contact=self.contact, reason=data["reason"], scope=data.get("scope") or "one"
        )

    def done_message(self, moved):
        noun = "Appointment" if len(moved) == 1 else f"{len(moved)} appointments"
        return f"{noun} cancelled. The record is kept, marked cancelled"


class RemindersView(CaseMixin, TemplateView):
    """The case's reminders outbox: contact details, consent, and every reminder with its delivery status."""

    template_name = "contacts/reminders.html"
    tab = "appointments"
    section = "Reminders"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            prefs=reminders.preferences_for(self.case),
            reminders=Reminder.objects.filter(service_user=self.case).select_related("contact")[:100],
            console=not settings.NOTIFY_API_KEY,
        )


class PreferencesView(CaseFormView):
    form_class = move_forms.PreferencesForm
    title = "Contact details for reminders"
    tab = "appointments"

    def get_back_url(self):
        return reverse("contacts:reminders", kwargs={"crn": self.case.crn})

    def get_initial(self):
        prefs = reminders.preferences_for(self.case)
        if prefs is None:
            return {}
        mobile = Reminder(channel=Channel.SMS, recipient=prefs.mobile).recipient_text if prefs.mobile else ""
        return {"mobile": mobile, "email": prefs.email, "probation_in_subject": prefs.probation_in_subject}

    def form_valid(self, form):
        before = reminders.preferences_for(self.case)
        try:
            prefs = reminders.preferences_set(actor=self.request.user, case=self.case, **form.cleaned_data)
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        lost = before and (
            (before.sms_consent_at and not prefs.sms_consent_at)
            or (before.email_consent_at and not prefs.email_consent_at)
        )
        messages.success(
            self.request,
            "Contact details saved. Consent was given for the old details: record it again for the new ones"
            if lost
            else "Contact details saved",
        )
        return redirect(self.get_back_url())


class ConsentForm(GovForm, django_forms.Form):
    submit_label = "Save"
    channel = django_forms.ChoiceField(
        label="Reminders by",
        choices=Channel.choices,
        widget=django_forms.RadioSelect,
        error_messages={"required": "Select text or email"},
    )
    consented = django_forms.TypedChoiceField(
        label="What did the service user say?",
        choices=[("yes", "They agree to appointment reminders"), ("no", "They withdraw their consent")],
        coerce=lambda value: value == "yes",
        widget=django_forms.RadioSelect,
        error_messages={"required": "Select whether they agree or withdraw"},
        help_text="Reminders give only their first name, the date, time and place, and how to get in touch",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_gov()


class ConsentView(CaseFormView):
    form_class = ConsentForm
    title = "Consent to reminders"
    tab = "appointments"

    def get_back_url(self):
        return reverse("contacts:reminders", kwargs={"crn": self.case.crn})

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            reminders.consent_set(
                actor=self.request.user, case=self.case, channel=data["channel"], consented=data["consented"]
            )
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, "Consent recorded" if data["consented"] else "Consent withdrawn")
        return redirect(self.get_back_url())


def _bearer_ok(request) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


@login_not_required
@csrf_exempt
@require_POST
def notify_callback(request):
    """GOV.UK Notify's delivery receipts (a public URL: Notify signs in with the bearer token we gave it)."""
    if not _bearer_ok(request):
        return HttpResponse("Unauthorised", status=401, content_type="text/plain")
    try:
        receipt = json.loads(request.body)
        status = str(receipt["status"])
        notify_id, reference = str(receipt["id"]), str(receipt.get("reference") or "")
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Expected a Notify delivery receipt"}, status=400)
    if status not in RECEIPT_STATUSES and status != ReminderStatus.SENDING:
        return JsonResponse({"error": f"Unknown status {status[:40]}"}, status=400)
    try:
        reminders.receipt_record(notify_id=notify_id, reference=reference, status=status)
    except reminders.UnknownReminder:
        # Not ours (or an old test message): tell Notify it arrived, so it does not retry for nothing.
        logger.warning("Delivery receipt for an unknown reminder: %s %s", notify_id, reference[:60])
        return JsonResponse({"result": "unknown reference"}, status=200)
    return JsonResponse({"result": "recorded"})
