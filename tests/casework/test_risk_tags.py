"""The risk tags and contact tags are built in Python for speed; they must read exactly as the templates did."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from contacts.constants import ContactType, EnforcementAction, Outcome
from contacts.models import Contact
from risk.constants import MappaCategory, MappaLevel, ProtectLevel, RoshLevel
from risk.models import CaseTier

# The include these tags replace (templates/includes/risk_tags.html and contacts/includes/compliance_tag.html),
# kept here as the reference markup.
RISK_TAGS_TEMPLATE = """{% comment %}Risk at a glance{% endcomment %}
{% if tier %}{% if tier.rosh_level %}<strong class="govuk-tag govuk-tag--{{ tier.rosh_colour }}">{{ tier.get_rosh_level_display|upper }} ROSH</strong>{% else %}<strong class="govuk-tag govuk-tag--grey">ROSH NOT SCREENED</strong>{% endif %}
{% if tier.mappa_level %} <strong class="govuk-tag govuk-tag--orange">MAPPA {{ tier.mappa_level }}{% if tier.mappa_category %} CAT {{ tier.mappa_category }}{% endif %}</strong>{% endif %}
{% for flag in tier.flags %} <strong class="govuk-tag govuk-tag--purple">{{ flag }}</strong>{% endfor %}{% else %}<strong class="govuk-tag govuk-tag--grey">ROSH NOT SCREENED</strong>{% endif %}
"""  # noqa: E501
COMPLIANCE_TEMPLATE = """{% load casework_tags %}{% if contact.cancelled_at %}{% status_tag "Cancelled" "grey" %}{% elif contact.outcome %}{% status_tag contact.get_outcome_display contact.compliance_colour %}{% elif contact.takes_attendance and contact.starts_at <= now %}{% status_tag "Outcome not recorded" "blue" %}{% endif %}{% if contact.enforcement_action %} {% status_tag contact.enforcement_text "orange" %}{% endif %}{% if contact.sensitive %} {% status_tag "Sensitive" "yellow" %}{% endif %}
"""  # noqa: E501


def render(source, **context):
    return Template(source).render(Context(context))


def tier(**fields):
    return CaseTier(protect_level=ProtectLevel.B, change_level=2, **fields)


@pytest.mark.parametrize(
    "case_tier",
    [
        None,
        tier(),
        tier(rosh_level=RoshLevel.VERY_HIGH),
        tier(rosh_level=RoshLevel.LOW, mappa_level=MappaLevel.LEVEL_2),
        tier(rosh_level=RoshLevel.HIGH, mappa_level=MappaLevel.LEVEL_1, mappa_category=MappaCategory.CATEGORY_2),
        tier(rosh_level=RoshLevel.MEDIUM, flags=["Domestic abuse", "Risk to <children>"]),
    ],
)
def test_risk_tags_read_as_the_include_did(case_tier):
    expected = render(RISK_TAGS_TEMPLATE, tier=case_tier)
    assert render("{% load casework_tags %}{% risk_tags tier %}", tier=case_tier) == expected
    if case_tier is not None and case_tier.flags:
        assert "Risk to &lt;children&gt;" in expected  # a flag is text, escaped


def test_a_case_without_a_tier_shows_not_calculated_and_not_screened(db):
    from tests import factories

    case = factories.ServiceUserFactory()
    html = render(
        "{% load casework_tags %}{% with tier=case|tier_of %}{% if tier %}{{ tier.code }}{% else %}Not calculated"
        "{% endif %} {% risk_tags tier %}{% endwith %}",
        case=case,
    )
    assert html.startswith("Not calculated")
    assert "ROSH NOT SCREENED" in html


NOW = timezone.now()


def contact(**fields):
    values = {"contact_type": ContactType.COAP, "starts_at": NOW - timedelta(hours=1)} | fields
    return Contact(**values)


@pytest.mark.parametrize(
    "item",
    [
        contact(),
        contact(starts_at=NOW + timedelta(days=1)),
        contact(contact_type=ContactType.CT3A),
        contact(outcome=Outcome.ATTC),
        contact(outcome=Outcome.UAAB, enforcement_action=EnforcementAction.EA02),
        contact(cancelled_at=NOW, sensitive=True),
        contact(outcome=Outcome.ATTC, sensitive=True),
    ],
)
def test_compliance_tags_read_as_the_include_did(item):
    expected = render(COMPLIANCE_TEMPLATE, contact=item, now=NOW)
    assert render("{% load contacts_tags %}{% compliance_tags contact now %}", contact=item, now=NOW) == expected


def test_team_view_rating_cells_read_as_the_loop_did():
    from risk.constants import Rating
    from risk.rules import CRITERIA, CriterionResult

    results = [CriterionResult(key=key, rating=rating) for key, rating in zip(CRITERIA, Rating.values, strict=False)]
    loop = (
        '{% for result in results %}<td class="govuk-table__cell">'
        '<strong class="govuk-tag govuk-tag--{{ result.colour }}">{{ result.label }}</strong></td>{% endfor %}'
    )
    expected = render(loop, results=results)
    assert "Partly met" in expected and "govuk-tag--red" in expected
    assert render("{% load risk_tags %}{% rating_cells results %}", results=results) == expected
