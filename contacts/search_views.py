"""Search contact notes: within a case (its contacts tab) and across the cases a person may see."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.generic import TemplateView

from core.views import CaseMixin

from . import search

RESULTS_PAGE_SIZE = 25


def _results(request, contacts, query):
    page = None
    if query.usable:
        page = Paginator(contacts, RESULTS_PAGE_SIZE).get_page(request.GET.get("page"))
        for contact in page:
            contact.snippet = "" if contact.sensitive else search.snippet(contact.notes, query.words)
    return {"query": query, "page": page, "max_length": search.MAX_QUERY_LENGTH}


class CaseNoteSearchView(CaseMixin, TemplateView):
    template_name = "contacts/note_search_case.html"
    tab = "contacts"
    section = "Search contact notes"
    title = "Search contact notes"

    def get_context_data(self, **kwargs):
        query = search.read_query(self.request.GET.get("q"))
        return super().get_context_data(**kwargs, **_results(self.request, search.in_case(self.case, query), query))


def note_search(request):
    """Across the caseload: every case the person may see (cases_visible_to), never a sensitive contact."""
    query = search.read_query(request.GET.get("q"))
    context = _results(request, search.across_caseload(request.user, query), query)
    request.audit_title = "Search contact notes"
    return render(request, "contacts/note_search.html", {**context, "nav": "cases"})
