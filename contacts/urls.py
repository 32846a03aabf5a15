from django.urls import path

from . import search_views, views

app_name = "contacts"

CASE = "cases/<str:crn>/"

urlpatterns = [
    path(f"{CASE}contacts/", views.ContactLogView.as_view(), name="log"),
    path(f"{CASE}contacts/new/", views.ContactCreateView.as_view(), name="create"),
    path(f"{CASE}contacts/<int:contact_id>/", views.ContactDetailView.as_view(), name="detail"),
    path(f"{CASE}contacts/<int:contact_id>/amend/", views.ContactAmendView.as_view(), name="amend"),
    path(f"{CASE}contacts/<int:contact_id>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path(f"{CASE}contacts/<int:contact_id>/absence/", views.AbsenceDecisionView.as_view(), name="absence_decide"),
    path(f"{CASE}appointments/", views.AppointmentsView.as_view(), name="appointments"),
    path(f"{CASE}appointments/new/", views.ArrangeAppointmentView.as_view(), name="arrange"),
    path(f"{CASE}contact-plan/", views.ContactPlanView.as_view(), name="plan"),
    path(f"{CASE}contact-plan/set/", views.ContactPlanSetView.as_view(), name="plan_set"),
    path(f"{CASE}contact-plan/request/", views.ChangeRequestView.as_view(), name="request"),
    path(f"{CASE}contact-plan/requests/<int:request_id>/", views.DecideRequestView.as_view(), name="decide"),
    path(f"{CASE}contacts/search/", search_views.CaseNoteSearchView.as_view(), name="search_case"),
    path("contacts/search/", search_views.note_search, name="search"),
    path("approvals/", views.approvals, name="approvals"),
    path("outcomes-to-log/", views.outcomes_to_log, name="outcomes_to_log"),
]
