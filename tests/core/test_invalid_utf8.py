"""Form data that is not UTF-8 is refused with a clear page, never saved garbled (Django would replace it)."""

from casework.models import KeyIndividual

MESSAGE = "Part of what was sent is not valid text, so nothing has been saved."


def post_raw(client, url: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"):
    return client.generic("POST", url, body, content_type=content_type)


def test_a_form_with_invalid_utf8_is_refused_and_nothing_is_saved(client_for, north, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    for body in (b"full_name=Caf%E9+Noir&relationship=parent", b"full_name=Caf\xe9&relationship=parent"):
        response = post_raw(client, url, body)
        assert response.status_code == 400
        assert MESSAGE in response.content.decode()
    assert not KeyIndividual.objects.filter(full_name__startswith="Caf").exists()


def test_valid_utf8_is_saved_as_typed(client_for, north, north_case):
    client = client_for(north.officer)
    url = f"/cases/{north_case.case.crn}/key-individuals/new/"
    response = post_raw(client, url, "full_name=Zoë+Ó+Brían&relationship=parent".encode())
    assert response.status_code == 302
    assert KeyIndividual.objects.filter(full_name="Zoë Ó Brían").exists()


def test_multipart_form_with_invalid_utf8_is_refused(client_for, north, north_case):
    client = client_for(north.officer)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="full_name"\r\n\r\nCaf\xe9\r\n'
        b'--B\r\nContent-Disposition: form-data; name="relationship"\r\n\r\nparent\r\n--B--\r\n'
    )
    response = post_raw(
        client, f"/cases/{north_case.case.crn}/key-individuals/new/", body, "multipart/form-data; boundary=B"
    )
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_a_search_with_invalid_utf8_is_refused(client_for, north):
    response = client_for(north.officer).get("/cases/", QUERY_STRING="q=Caf%E9")
    assert response.status_code == 400 and MESSAGE in response.content.decode()
