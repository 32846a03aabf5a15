import functools
from html import escape

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from casework.templatetags.casework_tags import govuk_date, status_tag
from core.urls import case_url

register = template.Library()

# Where each criterion's evidence lives, by the page names rules.py uses.
PAGES = {
    "contacts": ("contacts:log", "Contacts"),
    "appointments": ("contacts:appointments", "Appointments"),
    "contact_plan": ("contacts:plan", "Contact plan"),
    "people": ("casework:people", "Victims, people and agencies"),
    "risk": ("risk:case_risk", "Risk"),
}


@register.simple_tag
def evidence_links(result, crn):
    links = [(case_url(PAGES[key][0], crn=crn), PAGES[key][1]) for key in result.links if key in PAGES]
    return format_html_join(", ", '<a class="govuk-link" href="{}">{}</a>', links)


@register.simple_tag
def rating_tag(result):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', result.colour, result.label)


RATING_CELL = '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}</strong></td>'


@functools.cache
def _rating_cell(colour: str, label: str) -> str:
    return format_html(RATING_CELL, colour, label)  # a handful of (colour, label) pairs: made once each


@register.simple_tag
def rating_cells(results):
    """One table cell per criterion with its rating as a tag."""
    return mark_safe("".join(_rating_cell(result.colour, result.label) for result in results))


TEAM_ROW = (
    '\n        <tr class="govuk-table__row">\n'
    '          <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}, {}</a><br>'
    '<span class="govuk-hint govuk-!-margin-bottom-0">{} · {}</span></td>\n'
    "          {}\n"
    "        </tr>\n"
    "      "
)


@register.simple_tag
def team_rows(rows):
    """A team table's rows in one call, escaped as the template language would (html.escape, without the lazy
    string checks of format_html on each of a page's hundreds of values)."""
    return mark_safe(
        "".join(
            TEAM_ROW.format(
                escape(case_url("risk:case_risk", crn=case.crn)),
                escape(case.last_name),
                escape(case.first_name),
                escape(case.crn),
                escape(case.responsible_officer or "Unallocated"),
                rating_cells(results),
            )
            for case, results in rows
        )
    )


DUE_ROW = (
    '\n      <tr class="govuk-table__row">\n'
    '        <td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a><br>'
    '<span class="govuk-hint govuk-!-margin-bottom-0">{}{}</span></td>\n'
    '        <td class="govuk-table__cell" data-label="What">{}</td>\n'
    '        <td class="govuk-table__cell" data-label="When">{}</td>\n'
    '        <td class="govuk-table__cell" data-label="Status">{}</td>\n'
    '        <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{}">{}'
    '<span class="govuk-visually-hidden"> for {}</span></a></td>\n'
    "      </tr>"
)


@register.simple_tag
def due_rows(items, show_officers):
    """The rows of a "What's due" table, built in one call: a manager's page shows sixty of them, and each row
    through the template language cost as much as the rest of the page. Dates and tags repeat down a list, so
    each is drawn once."""
    rows, dates, tags = [], {}, {}
    for item in items:
        case = item.case
        name = escape(case.full_name)
        officer = f" · {escape(case.responsible_officer or 'Unallocated')}" if show_officers else ""
        if item.when not in dates:
            dates[item.when] = escape(govuk_date(item.when, "short"))
        if (item.tag, item.colour) not in tags:
            tags[item.tag, item.colour] = status_tag(item.tag, item.colour) if item.tag else ""
        rows.append(
            DUE_ROW.format(
                escape(case_url("casework:case_overview", crn=case.crn)),
                name,
                escape(case.crn),
                officer,
                escape(item.what),
                dates[item.when],
                tags[item.tag, item.colour],
                escape(item.url),
                escape(item.action),
                name,
            )
        )
    return mark_safe("".join(rows))
