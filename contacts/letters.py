"""Letters produced from the record: a warning letter for a warning given, and a breach referral summary for a
breach. Each is filled from the record when produced and stored as produced (contacts.models.Letter), viewable
and printable in the app and downloadable as a PDF made with WeasyPrint."""

from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from casework.constants import EventKind
from casework.models import User
from casework.services import record_case_event
from core.errors import CaseworkError

from . import rules, selectors
from .constants import FAILURES, LetterKind, WarningKind
from .models import BreachAction, EnforcementWarning, Letter

# The letter's styles, for the page, for printing and for the PDF.
LETTER_CSS = "css/letter.css"

# What a warning must say (Sentencing Act 2020, Schedule 10 paragraph 6(4) for community orders, Schedule 16
# paragraph 6(4) for suspended sentence orders): the circumstances of the failure, that it is unacceptable, and
# that a further failure within 12 months beginning with the date the warning was given can take the person back
# to court.
CONSEQUENCES = (
    "If you fail again to comply with any requirement of this order within the period of 12 months beginning with "
    "{given_on}, the date this warning was given, you will be liable to be brought back before the court. The court "
    "can then make the requirements of your order more demanding, fine you, or revoke the order and sentence you "
    "again for the original offence."
)


def _words(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _store(*, actor: User, case, kind: str, title: str, body: str, **links) -> Letter:
    letter = Letter.objects.create(service_user=case, kind=kind, title=title, body=body, produced_by=actor, **links)
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CREATED,
        record=letter,
        summary=f"{letter.get_kind_display()} produced: {title}",
    )
    return letter


def _order_context(order) -> dict:
    return {
        "order": order,
        "requirements": list(order.requirements.all()),
        "statute": rules.STATUTE.get(order.order_type, ""),
    }


@transaction.atomic
def warning_letter_produce(*, actor: User, warning: EnforcementWarning) -> Letter:
    """The warning letter for a warning given by letter, filled from the record as it stands now."""
    if warning.kind != WarningKind.LETTER:
        raise CaseworkError("This warning was given in person. A warning letter is only for a warning by letter")
    if warning.is_withdrawn:
        raise CaseworkError("This warning has been withdrawn. No letter can be produced for it")
    case, failure = warning.service_user, warning.failure
    failure_on = rules.local_date(failure.starts_at, selectors.LOCAL_TZ)
    given_on = _words(warning.given_on)
    context = {
        "case": case,
        "warning": warning,
        "failure": failure,
        "failure_on": failure_on,
        "produced_on": timezone.localdate(),
        "officer": actor,
        "consequences": CONSEQUENCES.format(given_on=given_on),
        "period_ends_on": rules.period_end(warning.given_on),
        **_order_context(warning.order),
    }
    body = render_to_string("contacts/letters/warning.html", context)
    title = f"Warning letter to {case.full_name} ({case.crn}), given {given_on}"
    return _store(actor=actor, case=case, kind=LetterKind.WARNING, title=title, body=body, warning=warning)


@transaction.atomic
def breach_summary_produce(*, actor: User, breach: BreachAction) -> Letter:
    """The breach referral summary for the court: order, requirements, failures, warnings, compliance, officer."""
    case, order = breach.service_user, breach.order
    orders = selectors.order_periods(case)
    period = next(o for o in orders if o.pk == order.pk)
    failures = [
        c
        for c in case.contacts.filter(outcome__in=FAILURES).order_by("starts_at")
        if (found := selectors.contact_order(c, orders)) is not None and found.pk == order.pk
    ]
    context = {
        "case": case,
        "breach": breach,
        "failures": failures,
        "warnings": list(order.warnings.filter(withdrawn_on__isnull=True).select_related("failure")),
        "counts": selectors.failures_on_order(case, period, orders),
        "compliance": selectors.compliance(case),
        "officer": case.responsible_officer,
        "produced_by": actor,
        "produced_on": timezone.localdate(),
        **_order_context(order),
    }
    body = render_to_string("contacts/letters/breach_summary.html", context)
    title = f"Breach referral summary for {case.full_name} ({case.crn}), referred {_words(breach.referred_on)}"
    return _store(actor=actor, case=case, kind=LetterKind.BREACH_SUMMARY, title=title, body=body, breach=breach)


def letter_pdf(letter: Letter) -> bytes:
    """The stored letter as a PDF. Nothing outside the letter is fetched: it carries its own styles."""
    html = render_to_string("contacts/letters/pdf.html", {"letter": letter})
    with open(finders.find(LETTER_CSS), encoding="utf-8") as styles:
        css = CSS(string=styles.read())
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf(stylesheets=[css])


def letter_url(letter: Letter) -> str:
    return reverse("contacts:letter", kwargs={"crn": letter.service_user.crn, "letter_id": letter.pk})
