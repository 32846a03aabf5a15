"""The case-loading view mixin every case page uses, and the once-only mixin for create views."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from casework import selectors

from . import permissions
from .errors import CaseworkError
from .forms import submission_token
from .models import SubmissionToken
from .prepared import prepared

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


class OnceOnlyMixin:
    """For create views: a second submit of the same form (double click, resend) shows the first result
    instead of creating again. The form's one-time token (core.forms.GovForm) is stored in the same
    transaction as what the view creates, so either both are saved or neither is."""

    already_saved_message = "This was already saved. It has not been saved twice."

    def post(self, request, *args, **kwargs):
        # Wraps the whole post, not form_valid: each create view has its own form_valid, but all redirect.
        token = submission_token(request.POST)
        if token is None:
            return super().post(request, *args, **kwargs)
        if earlier := self._earlier_result(token):
            return earlier
        try:
            with transaction.atomic():
                response = super().post(request, *args, **kwargs)
                if response.status_code not in (301, 302, 303):
                    # Not saved (errors to correct): the same form, with the same token, can be sent again.
                    transaction.set_rollback(True)
                    return response
                # Written last, with where the submit led, in one statement. A twin sent at the same moment (both
                # past the check above) waits here on the token's unique index until this one commits, then fails,
                # and everything it did is undone.
                try:
                    SubmissionToken.objects.create(
                        token=token, user=request.user, result_url=response["Location"][:500]
                    )
                except IntegrityError:
                    raise _SentTwice from None  # out of the atomic block: rolled back whole
        except _SentTwice:
            for _ in messages.get_messages(request):  # drop what the undone save said ("Contact created")
                pass
            return self._earlier_result(token) or redirect(request.path)
        return response

    def _earlier_result(self, token: str):
        result_url = _result_of.read(token, self.request.user.pk)
        if not result_url:
            return None
        messages.info(self.request, self.already_saved_message)
        return redirect(result_url)


@prepared
def _result_of(token, user_id):
    # Prepared (core.prepared): every submit of a create form asks first.
    return SubmissionToken.objects.filter(token=token, user=user_id).values_list("result_url")


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
            return redirect(self.get_back_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            url = self.save(form.cleaned_data)
        except CaseworkError as error:
            error.add_to(form)
            return self.form_invalid(form)
        return redirect(url)
