"""Dates, times and tags the way HMPPS staff services write them."""

from datetime import date, datetime, timedelta

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from casework.rules import age_on
from core.urls import case_url

register = template.Library()


@register.filter
def govuk_date(value, style="long"):
    """'Thursday 26 November 2026' (long), '26 November 2026' (medium) or 'Thu 26 Nov 2026' (short)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if style == "short":
        return f"{value:%a} {value.day} {value:%b %Y}"
    if style == "medium":
        return f"{value.day} {value:%B %Y}"
    return f"{value:%A} {value.day} {value:%B %Y}"


@register.filter
def govuk_time(value):
    """'10am', '2:30pm' in Europe/London."""
    if not value:
        return ""
    return clock(timezone.localtime(value) if isinstance(value, datetime) else value)


def clock(value) -> str:
    """govuk_time of a time (or datetime) already in Europe/London."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def relative_day(value):
    """'Today', 'Yesterday' or 'Thu 26 Nov 2026' for grouping a timeline."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return day_label(value, timezone.localdate())


def day_label(day: date, today: date) -> str:
    """relative_day of a date, given today's (a list works today out once)."""
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return govuk_date(day, "short")


@register.filter
def age(born: date):
    return age_on(born, timezone.localdate()) if born else ""


@register.simple_tag
def status_tag(text, colour=""):
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.simple_tag(takes_context=True)
def sort_link(context, label, key):
    """A sortable column header: sorts on the server, announces its state with aria-sort."""
    current = context.get("query").sort if context.get("query") else ""
    base = context.get("sort_querystring", "")
    if current == key:
        aria, next_key = "ascending", f"-{key}"
    elif current == f"-{key}":
        aria, next_key = "descending", key
    else:
        aria, next_key = "none", key
    href = f"?{base + '&' if base else ''}sort={next_key}"
    return format_html(
        '<th scope="col" class="govuk-table__header" aria-sort="{}"><a class="govuk-link" href="{}">{}</a></th>',
        aria,
        href,
        label,
    )


@register.filter
def tier_of(case):
    """The case's stored tier (risk.models.CaseTier), or None. Not `case.tier` in the template: on a case
    without one, Django lists every attribute of the case (dir) before hiding the error, on every row."""
    try:
        return case.tier
    except ObjectDoesNotExist:
        return None


NOT_SCREENED = mark_safe('<strong class="govuk-tag govuk-tag--grey">ROSH NOT SCREENED</strong>')


@register.simple_tag
def risk_tags(tier):
    """Risk at a glance from the case's stored tier: RoSH, MAPPA and flags as tags. One call rather than an
    included template, because the caseload shows it on every row."""
    if not tier:
        return format_html("\n{}\n", NOT_SCREENED)
    rosh = NOT_SCREENED
    if tier.rosh_level:
        rosh = format_html(
            '<strong class="govuk-tag govuk-tag--{}">{} ROSH</strong>',
            tier.rosh_colour,
            str(tier.get_rosh_level_display()).upper(),
        )
    mappa = ""
    if tier.mappa_level:
        mappa = format_html(
            ' <strong class="govuk-tag govuk-tag--orange">MAPPA {}{}</strong>',
            tier.mappa_level,
            format_html(" CAT {}", tier.mappa_category) if tier.mappa_category else "",
        )
    flags = format_html_join("", ' <strong class="govuk-tag govuk-tag--purple">{}</strong>', ((f,) for f in tier.flags))
    return format_html("\n{}\n{}\n{}\n", rosh, mappa, flags)


PAGE_GAP = mark_safe('\n      <li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>')


@register.simple_tag
def page_items(page, querystring=""):
    """The numbered links of GOV.UK pagination: the first and last pages, the current one and its neighbours,
    and ellipses for the gaps ("1 … 6 7 8 … 42"), not every page of a long contact history."""
    prefix = f"?{querystring}&page=" if querystring else "?page="
    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append(PAGE_GAP)
            continue
        current = number == page.number
        items.append(
            format_html(
                '\n      <li class="govuk-pagination__item{}"><a class="govuk-link govuk-pagination__link" '
                'href="{}{}" aria-label="Page {}"{}>{}</a></li>',
                " govuk-pagination__item--current" if current else "",
                prefix,
                number,
                number,
                mark_safe(' aria-current="page"') if current else "",
                number,
            )
        )
    return mark_safe("".join(items))


HINT = '<span class="govuk-hint govuk-!-margin-bottom-0">{}</span>'
CASELOAD_ROW = (
    '\n          <tr class="govuk-table__row">\n'
    '            <td class="govuk-table__cell">\n'
    '              <a class="govuk-link" href="{}">{}, {}</a><br>\n'
    f"              {HINT}\n"
    "            </td>\n"
    '            <td class="govuk-table__cell" data-label="Date of birth">{}<br>'
    '<span class="govuk-hint govuk-!-margin-bottom-0">Age {}</span></td>\n'
    '            <td class="govuk-table__cell" data-label="Tier">{}</td>\n'
    '            <td class="govuk-table__cell" data-label="Risk">{}</td>\n'
    '            <td class="govuk-table__cell" data-label="Sentence">{}</td>\n'
    '            <td class="govuk-table__cell" data-label="Next appointment">{}</td>\n'
    '            <td class="govuk-table__cell" data-label="Contact due">{}</td>\n'
    '            <td class="govuk-table__cell" data-label="Responsible officer">{}</td>{}\n'
    "          </tr>"
)


def _sentence(case) -> str:
    orders = [
        format_html("{}{}", sentence.order, format_html_join("", "<br>" + HINT, ((r,) for r in sentence.requirements)))
        for sentence in case.sentences  # casework.selectors.with_row_facts
    ]
    if orders:
        return mark_safe("<br>".join(orders))
    return status_tag("Case closed", "grey") if case.is_closed else format_html(HINT, "No active order")


def _contact_due(due) -> str:
    if not due:
        return format_html(HINT, "No contact plan")
    tag = format_html(" {}", status_tag(due.label, due.colour)) if due.status != "not_due" else ""
    return format_html("{}{}", govuk_date(due.due_on, "short"), tag)


@register.simple_tag
def caseload_rows(cases, teams=()):
    """The caseload's rows, built in one call: through the template language each of its nine cells cost a
    dozen variable lookups, on every row of every caseload page. A team column when the user sees more than
    one team."""
    show_team, rows = len(teams) > 1, []
    for case in cases:
        tier = tier_of(case)
        rows.append(
            format_html(
                CASELOAD_ROW,
                case_url("casework:case_overview", crn=case.crn),
                case.last_name,
                case.first_name,
                case.crn,
                govuk_date(case.date_of_birth, "medium"),
                age(case.date_of_birth),
                tier.code if tier else "Not calculated",
                risk_tags(tier),
                _sentence(case),
                govuk_date(case.next_appointment, "short")
                if getattr(case, "next_appointment", None)
                else format_html(HINT, "None arranged"),
                _contact_due(getattr(case, "contact_due", None)),
                case.responsible_officer if case.responsible_officer else status_tag("Unallocated", "orange"),
                format_html('\n            <td class="govuk-table__cell" data-label="Team">{}</td>', case.team.name)
                if show_team
                else "",
            )
        )
    return mark_safe("".join(rows))
