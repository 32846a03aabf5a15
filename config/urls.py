from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from casework.forms import SignInForm
from casework.views import health
from core import health as health_checks
from core import pages

admin.site.site_header = "Probation Casework administration"
admin.site.site_title = "Probation Casework admin"
# The sidebar lists every model on every admin page (each checked against permissions): the index has the list.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="casework:caseload", permanent=False), name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health, name="health"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("cookies/", pages.cookies, name="cookies"),
    path("feedback/", pages.feedback, name="feedback"),
    path("signed-out/", pages.signed_out, name="signed_out"),
    path("health/live", health_checks.live, name="health_live"),
    path("health/ready", health_checks.ready, name="health_ready"),
    path("admin/", admin.site.urls),
    path("", include("casework.urls")),
    path("", include("contacts.urls")),
    path("", include("risk.urls")),
    path("", include("allocation.urls")),
]
