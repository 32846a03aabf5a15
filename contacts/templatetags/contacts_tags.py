"""Tags for contact lists, built in Python: the contact log shows them on every row."""

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import mark_safe

from casework.templatetags.casework_tags import clock, day_label
from core.urls import case_url

register = template.Library()


def _tag(text, colour):
    return f'<strong class="govuk-tag govuk-tag--{colour}">{escape(text)}</strong>'


@register.simple_tag
def compliance_tags(contact, now=None):
    """The contact's state as tags: cancelled, its outcome, or an outcome still to record once it has started;
    then its enforcement action and whether it is sensitive."""
    if contact.cancelled_at:
        html = _tag("Cancelled", "grey")
    elif contact.outcome:
        html = _tag(contact.get_outcome_display(), contact.compliance_colour)
    elif contact.takes_attendance and now is not None and contact.starts_at <= now:
        html = _tag("Outcome not recorded", "blue")
    else:
        html = ""
    if contact.enforcement_action:
        html = f"{html} {_tag(contact.enforcement_text, 'orange')}"
    if contact.sensitive:
        html = f"{html} {_tag('Sensitive', 'yellow')}"
    return mark_safe(f"{html}\n")


HINT_LINE = '<br><span class="govuk-hint govuk-!-margin-bottom-0">{}</span>'
NATIONAL_STANDARD = HINT_LINE.format("National standard contact")
DAY_TABLE = (
    '\n          <table class="govuk-table">\n'
    '            <caption class="govuk-table__caption govuk-table__caption--s">{}</caption>\n'
    '            <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
    '              <th scope="col" class="govuk-table__header app-col-time">Time</th>\n'
    '              <th scope="col" class="govuk-table__header">Contact</th>\n'
    '              <th scope="col" class="govuk-table__header app-col-actions">Actions</th>\n'
    "            </tr></thead>\n"
    '            <tbody class="govuk-table__body">\n'
    "              {}\n"
    "            </tbody>\n"
    "          </table>\n"
    "        "
)
CONTACT_ROW = (
    '\n                <tr class="govuk-table__row">\n'
    '                  <td class="govuk-table__cell">{}</td>\n'
    '                  <td class="govuk-table__cell">\n'
    '                    <strong>{}</strong> <span class="govuk-hint govuk-!-display-inline">({})</span>\n'
    "                    {}\n"
    "                    {}\n"
    "                    {}\n"
    "                    {}\n"
    "                  </td>\n"
    '                  <td class="govuk-table__cell">\n'
    '                    <a class="govuk-link" href="{}">View<span class="govuk-visually-hidden"> {}</span></a>\n'
    "                    {}\n"
    "                  </td>\n"
    "                </tr>\n"
    "              "
)
NOTES = (
    "\n                      "
    '<details class="govuk-details govuk-!-margin-bottom-0 govuk-!-margin-top-2">'
    '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Notes</span></summary>'
    '<div class="govuk-details__text">{}</div></details>'
    "\n                    "
)
LOG_OUTCOME = '<br><a class="govuk-link" href="{}">Log outcome<span class="govuk-visually-hidden"> of {}</span></a>'


@register.simple_tag
def contact_days(contacts, crn, now):
    """A page of the contact log as a table a day ("Today", "Yesterday", "Thu 26 Nov 2026"), in the page's order,
    built in one call and escaped as the template language would (html.escape): through the template language
    each row cost a dozen tags and filters, and each row's day its own time zone lookups."""
    zone = timezone.get_current_timezone()
    today = now.astimezone(zone).date()
    days: list[tuple[str, list[str]]] = []
    for contact in contacts:
        starts = contact.starts_at.astimezone(zone)
        label = day_label(starts.date(), today)
        if not days or days[-1][0] != label:
            days.append((label, []))
        days[-1][1].append(_contact_row(contact, starts, crn, now))
    return mark_safe("".join(DAY_TABLE.format(escape(label), "".join(rows)) for label, rows in days))


def _contact_row(contact, starts, crn, now) -> str:
    name = escape(str(contact))
    people = f"{contact.with_whom_text} · {contact.officer}{' · Amended' if contact.amended else ''}"
    return CONTACT_ROW.format(
        clock(starts),
        escape(contact.get_contact_type_display()),
        escape(contact.contact_type),
        compliance_tags(contact, now),
        NATIONAL_STANDARD if contact.national_standard else "",
        HINT_LINE.format(escape(people)),
        NOTES.format(linebreaksbr(contact.notes, autoescape=True)) if contact.notes and not contact.sensitive else "",
        escape(case_url("contacts:detail", crn=crn, contact_id=contact.pk)),
        name,
        LOG_OUTCOME.format(escape(case_url("contacts:outcome", crn=crn, contact_id=contact.pk)), name)
        if contact.takes_attendance and not contact.outcome
        else "",
    )
