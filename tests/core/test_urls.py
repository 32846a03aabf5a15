"""Links from patterns made once (core.urls, and {% url %} through core.templatetags.fast_url) are the URLs
reverse() gives, and refuse what reverse() refuses."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from core.urls import case_url, fast_reverse


@pytest.mark.parametrize(
    ("view_name", "kwargs"),
    [
        ("casework:case_overview", {"crn": "X123456"}),
        ("contacts:detail", {"crn": "X123456", "contact_id": 42}),
        ("risk:whats_due", {}),
    ],
)
def test_the_same_url_as_reverse(view_name, kwargs):
    assert fast_reverse(view_name, kwargs=kwargs) == reverse(view_name, kwargs=kwargs)
    assert fast_reverse(view_name, args=list(kwargs.values())) == reverse(view_name, args=list(kwargs.values()))
    assert fast_reverse(view_name, kwargs=kwargs) == fast_reverse(view_name, kwargs=kwargs)  # and again, cached


def test_values_reverse_would_refuse_or_quote_are_left_to_reverse():
    with pytest.raises(NoReverseMatch):
        fast_reverse("contacts:detail", kwargs={"crn": "X123456", "contact_id": "abc"})
    assert case_url("casework:case_overview", crn="a b") == reverse("casework:case_overview", kwargs={"crn": "a b"})


def test_the_url_tag_gives_the_same_links_and_escapes_them():
    html = Template(
        "{% url 'contacts:detail' crn contact_id %}|{% url 'contacts:detail' crn=crn contact_id=9 %}|"
        "{% url 'casework:case_overview' crn as link %}{{ link }}|{% url 'contacts:detail' 'X1' 'no' as missing %}"
        "[{{ missing }}]|{% url 'admin:index' %}|{% url 'cookies' %}|{% url 'home' %}"
    ).render(Context({"crn": "X123456", "contact_id": 7}))
    assert html == (
        f"{reverse('contacts:detail', args=['X123456', 7])}|{reverse('contacts:detail', args=['X123456', 9])}|"
        f"{reverse('casework:case_overview', args=['X123456'])}|[]|{reverse('admin:index')}|{reverse('cookies')}|"
        f"{reverse('home')}"
    )
