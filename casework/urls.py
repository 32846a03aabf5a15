from django.urls import path

from . import views

app_name = "casework"


def record_urls(prefix: str, view, name: str, lookup: str, parent: str = ""):
    """The add and change pages for one kind of case record."""
    new_route = f"cases/<str:crn>/{parent}{prefix}/new/"
    return [
        path(new_route, view.as_view(), name=f"{name}_create"),
        path(f"cases/<str:crn>/{prefix}/<int:{lookup}>/edit/", view.as_view(), name=f"{name}_edit"),
    ]


urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("cases/", views.caseload, name="caseload"),
    path("audit/", views.audit, name="audit"),
    path("audit.csv", views.audit_csv, name="audit_csv"),
    path("cases/<str:crn>/access/", views.CaseAccessView.as_view(), name="access"),
    path("cases/<str:crn>/access/<int:restriction_id>/remove/", views.access_remove, name="access_remove"),
    path("cases/<str:crn>/audit/", views.CaseAuditView.as_view(), name="case_audit"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case_create"),
    path("cases/<str:crn>/", views.CaseOverviewView.as_view(), name="case_overview"),
    path("cases/<str:crn>/personal-details/", views.PersonalDetailsView.as_view(), name="personal_details"),
    path(
        "cases/<str:crn>/personal-details/edit/",
        views.PersonalDetailsEditView.as_view(),
        name="personal_details_edit",
    ),
    path("cases/<str:crn>/sentence/", views.SentenceView.as_view(), name="sentence"),
    path("cases/<str:crn>/people/", views.PeopleView.as_view(), name="people"),
    path("cases/<str:crn>/timeline/", views.TimelineView.as_view(), name="timeline"),
    *record_urls("orders", views.OrderFormView, "order", "order_id"),
    path("cases/<str:crn>/orders/<int:order_id>/end/", views.OrderEndView.as_view(), name="order_end"),
    path(
        "cases/<str:crn>/requirements/<int:requirement_id>/extensions/new/",
        views.UnpaidWorkExtensionView.as_view(),
        name="upw_extension_create",
    ),
    *record_urls("requirements", views.RequirementFormView, "requirement", "requirement_id", "orders/<int:order_id>/"),
    *record_urls("offences", views.OffenceFormView, "offence", "offence_id", "orders/<int:order_id>/"),
    *record_urls("protected-people", views.ProtectedPersonFormView, "protected_person", "protected_person_id"),
    *record_urls("restraining-orders", views.RestrainingOrderFormView, "restraining_order", "restraining_order_id"),
    *record_urls("key-individuals", views.KeyIndividualFormView, "key_individual", "key_individual_id"),
    *record_urls("agencies", views.AgencyFormView, "agency", "agency_id"),
]
