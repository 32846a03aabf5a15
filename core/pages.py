"""The pages every GOV.UK service has: accessibility statement, privacy notice, cookies, feedback, signed out.
Public: someone deciding whether to trust the service reads them before signing in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


def _page(template: str):
    @login_not_required
    def view(request):
        return render(request, f"pages/{template}.html", {"feedback_email": settings.FEEDBACK_EMAIL})

    view.__name__ = f"{template}_page"
    return view


accessibility = _page("accessibility")
privacy = _page("privacy")
cookies = _page("cookies")
feedback = _page("feedback")
signed_out = _page("signed_out")
