"""The case-loading view mixin every case page uses, and the once-only mixin for create views."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from casework import selectors
from casework.middleware import record_response

from . import permissions
from .errors import CaseworkError
from .forms import submission_token
from .models import SubmissionToken

CASE_SECTIONS = {
    "overview": "Overview",
    "personal": "Personal details",
    "sentence": "Sentence",
    "people": "Victims, people and agencies",
    "contacts": "Contacts",
    "appointments": "Appointments",
    "risk": "Risk",
    "timeline": "Timeline",
}


def load_case(request, crn: str):
    """The case for this request (see casework.selectors.get_case_for_user), noted for the access audit.

    Another team's case is a 404; a restricted case in the user's own teams is refused and the refusal
    is recorded against that case."""
    try:
        case = selectors.get_case_for_user(request.user, crn)
    except selectors.CaseRestricted as refused:
        request.audit_denied = True
        request.audit_case = refused.case
        raise
    request.audit_case = case
    return case


class CaseMixin:
    """Loads the case named in the URL before anything else, so another team's case is a 404 for every
    method. Subclasses load the case's records and check permissions in `load_records`."""

    tab = "overview"
    section = None

    def dispatch(self, request, *args, **kwargs):
        request.audit_title = getattr(self, "title", "") or self.section or CASE_SECTIONS.get(self.tab, "")
        self.case = load_case(request, kwargs["crn"])
        self.load_records(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_records(self, **kwargs) -> None:
        """Look up the records the URL names within self.case, and check the user may act on them."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case=self.case,
            tab=self.tab,
            section=self.section or CASE_SECTIONS[self.tab],
            today=timezone.localdate(),
            now=timezone.now(),
            can_manage=permissions.manages_case(self.request.user, self.case),
        )
        return context


def nothing_saved(request) -> None:
    """Mark a POST that redirects without having saved anything (a step refused, a resend sent to the first
    result): neither the once-only token (OnceOnlyMixin) nor the access audit (casework.middleware) then takes
    the redirect for a change saved."""
    request.nothing_saved = True


class OnceOnlyMixin:
    """For create views: a second submit of the same form (double click, resend) shows the first result
    instead of creating again. The form's one-time token (core.forms.GovForm) is stored in the same
    transaction as what the view creates, so either both are saved or neither is."""

    already_saved_message = "This was already saved. It has not been saved twice."
    not_saved_message = "Nothing was saved. Enter the details again."

    def post(self, request, *args, **kwargs):
        # Wraps the whole post, not form_valid: each create view has its own form_valid, but all redirect.
        token = submission_token(request.POST)
        if token is None:
            return super().post(request, *args, **kwargs)
        # No look for an earlier result first: the token's unique index is the check. A resend is rare, and
        # undoing its work costs less than a read before every save.
        try:
            with transaction.atomic():
                response = super().post(request, *args, **kwargs)
                saved = response.status_code in (301, 302, 303) and not getattr(request, "nothing_saved", False)
                if saved:
                    # Written last, with where the submit led, in one statement. A form saved before (a resend), or by
                    # a twin sent at the same moment (which this waits for on the token's unique index), makes it
                    # fail, and everything this submit did is undone.
                    try:
                        SubmissionToken.objects.create(
                            token=token, user=request.user, result_url=response["Location"][:500]
                        )
                    except IntegrityError:
                        raise _SentTwice from None  # out of the atomic block: rolled back whole
                    # The access audit's row for the change, committed with it: no change saved without its row,
                    # and one wait for the disk instead of two.
                    record_response(request, response)
                else:
                    transaction.set_rollback(True)
        except _SentTwice:
            self._drop_messages()  # what the undone save said ("Contact created")
            nothing_saved(request)
            if earlier := self._earlier_result(token):
                return earlier
            # The token was saved by someone else (a copied form): their data is not shown, and this is undone.
            messages.info(request, self.not_saved_message)
            return redirect(request.path)
        if saved:
            request.audit_recorded = True
            return response
        # Not saved: errors to correct, and the same form, with the same token, can be sent again. Unless it was
        # saved before, and what the first save changed is what refused this one.
        return self._earlier_result(token) or response

    def _earlier_result(self, token: str):
        """Where the first submit of this form led, if it was saved (what this one said, such as why it was
        refused, is dropped)."""
        earlier = SubmissionToken.objects.filter(token=token, user=self.request.user).first()
        if earlier is None:
            return None
        nothing_saved(self.request)
        self._drop_messages()
        messages.info(self.request, self.already_saved_message)
        return redirect(earlier.result_url)

    def _drop_messages(self) -> None:
        for _ in messages.get_messages(self.request):
            pass


class _SentTwice(Exception):
    """The submission token was saved by a twin of this submit while it ran."""


class ServiceFormMixin:
    """A form saved through a service. problem() says why the step cannot be taken now: the page shows it instead
    of the form, and a POST (a stale page, a second tab) is refused with it; a CaseworkError the service raises
    goes back to the form against its field. Subclasses implement save(data) -> the URL to go to next."""

    def problem(self) -> str:
        return ""

    def get_back_url(self) -> str:
        raise NotImplementedError

    def save(self, data: dict) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, problem=self.problem())

    def post(self, request, *args, **kwargs):
        if problem := self.problem():
            messages.info(request, problem)
            nothing_saved(request)
            return redirect(self.get_back_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            url = self.save(form.cleaned_data)
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return redirect(url)
