"""GOV.UK pagination: first and last pages, the current page and its neighbours, ellipses for the gaps."""

import re

from django.core.paginator import Paginator

from casework.templatetags.casework_tags import page_items


def shown(page, querystring=""):
    html = page_items(page, querystring)
    return [("…" if "ellipses" in item else re.search(r">(\d+)</a>", item).group(1)) for item in html.split("<li")[1:]]


def test_a_long_history_shows_the_ends_and_the_pages_around_the_current_one():
    pages = Paginator(range(1000), 25)  # 40 pages
    assert shown(pages.page(7)) == ["1", "…", "6", "7", "8", "…", "40"]
    assert shown(pages.page(1)) == ["1", "2", "…", "40"]
    assert shown(pages.page(40)) == ["1", "…", "39", "40"]


def test_the_current_page_is_marked_and_links_keep_the_filters():
    html = page_items(Paginator(range(100), 25).page(2), "type=COAP&compliance=complied")
    assert 'aria-current="page">2</a>' in html
    assert 'href="?type=COAP&amp;compliance=complied&amp;page=3"' in html
    assert "…" not in html and "ellipses" not in html  # four pages: every one is shown
