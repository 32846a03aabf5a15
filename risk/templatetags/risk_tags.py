from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

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
    links = [(reverse(PAGES[key][0], kwargs={"crn": crn}), PAGES[key][1]) for key in result.links if key in PAGES]
    return format_html_join(", ", '<a class="govuk-link" href="{}">{}</a>', links)


@register.simple_tag
def rating_tag(result):
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', result.colour, result.label)


@register.simple_tag
def rating_cells(results):
    """One table cell per criterion with its rating as a tag, built in one call: the team view has a row of
    them for every case."""
    return format_html_join(
        "",
        '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}</strong></td>',
        ((result.colour, result.label) for result in results),
    )
