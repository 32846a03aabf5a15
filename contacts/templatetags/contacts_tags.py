"""Tags for contact lists, built in Python: the contact log shows them on every row."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from casework.templatetags.casework_tags import govuk_time
from core.urls import case_url

register = template.Library()


def _tag(text, colour):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


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
        html = format_html("{} {}", html, _tag(contact.enforcement_text, "orange"))
    if contact.sensitive:
        html = format_html("{} {}", html, _tag("Sensitive", "yellow"))
    return mark_safe(f"{html}\n")


HINT_LINE = '<br><span class="govuk-hint govuk-!-margin-bottom-0">{}</span>'
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
def contact_rows(contacts, crn, now):
    """A day's rows of the contact log, built in one call: through the template language each row cost a
    dozen tags and filters, on every page of every log."""
    rows = []
    for contact in contacts:
        name = str(contact)
        people = f"{contact.with_whom_text} · {contact.officer}{' · Amended' if contact.amended else ''}"
        rows.append(
            format_html(
                CONTACT_ROW,
                govuk_time(contact.starts_at),
                contact.get_contact_type_display(),
                contact.contact_type,
                compliance_tags(contact, now),
                format_html(HINT_LINE, "National standard contact") if contact.national_standard else "",
                format_html(HINT_LINE, people),
                format_html(NOTES, linebreaksbr(contact.notes, autoescape=True))
                if contact.notes and not contact.sensitive
                else "",
                case_url("contacts:detail", crn=crn, contact_id=contact.pk),
                name,
                format_html(LOG_OUTCOME, case_url("contacts:outcome", crn=crn, contact_id=contact.pk), name)
                if contact.takes_attendance and not contact.outcome
                else "",
            )
        )
    return mark_safe("".join(rows))
