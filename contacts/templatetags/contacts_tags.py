"""Tags for contact lists, built in Python: the contact log shows them on every row."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
