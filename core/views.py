"""The case-loading view mixin every case page uses."""

from django.utils import timezone

from casework import selectors

from . import permissions

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
