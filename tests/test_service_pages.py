"""The pages every GOV.UK service has, reachable before signing in and linked from every page."""

import pytest

PAGES = {
    "/accessibility/": "Accessibility statement for Probation Casework",
    "/privacy/": "Privacy notice",
    "/cookies/": "Essential cookies",
    "/feedback/": "Give feedback on Probation Casework",
    "/signed-out/": "You have signed out",
}


@pytest.mark.parametrize("url", PAGES)
def test_readable_without_signing_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert PAGES[url] in response.content.decode()


def test_every_page_links_to_them(client_for, north):
    page = client_for(north.officer).get("/cases/").content.decode()
    for url in ("/accessibility/", "/privacy/", "/cookies/", "/feedback/"):
        assert f'href="{url}"' in page
    assert 'Your <a class="govuk-link" href="/feedback/">feedback</a>' in page


def test_signing_out_lands_on_the_signed_out_page(client_for, north):
    client = client_for(north.officer)
    response = client.post("/sign-out/", follow=True)
    assert response.redirect_chain[-1][0] == "/signed-out/"
    assert "You have signed out" in response.content.decode()
    assert client.get("/cases/").status_code == 302  # and is signed out


def test_unknown_page_is_the_services_own_404(client_for, north):
    response = client_for(north.officer).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "Go to your cases" in response.content.decode()
