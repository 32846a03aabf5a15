from django.urls import path

from . import corrections, move_views, search_views, views

app_name = "contacts"

CASE = "cases/<str:crn>/"

urlpatterns = [
    path(f"{CASE}contacts/", views.ContactLogView.as_view(), name="log"),
    path(f"{CASE}contacts/new/", views.ContactCreateView.as_view(), name="create"),
    path(f"{CASE}contacts/<int:contact_id>/", views.ContactDetailView.as_view(), name="detail"),
    path(f"{CASE}contacts/<int:contact_id>/amend/", views.ContactAmendView.as_view(), name="amend"),
    path(f"{CASE}contacts/<int:contact_id>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path(f"{CASE}contacts/<int:contact_id>/absence/", views.AbsenceDecisionView.as_view(), name="absence_decide"),
    path(
        f"{CASE}contacts/<int:contact_id>/outcome/amend/", corrections.OutcomeAmendView.as_view(), name="outcome_amend"
    ),
    path(
        f"{CASE}warnings/<int:warning_id>/withdraw/", corrections.WarningWithdrawView.as_view(), name="warning_withdraw"
    ),
    path(f"{CASE}appointments/", views.AppointmentsView.as_view(), name="appointments"),
    path(f"{CASE}appointments/<int:contact_id>/reschedule/", move_views.RescheduleView.as_view(), name="reschedule"),
    path(f"{CASE}appointments/<int:contact_id>/cancel/", move_views.CancelView.as_view(), name="cancel"),
    path(f"{CASE}reminders/", move_views.RemindersView.as_view(), name="reminders"),
    path(f"{CASE}reminders/contact-details/", move_views.PreferencesView.as_view(), name="preferences"),
    path(f"{CASE}reminders/consent/", move_views.ConsentView.as_view(), name="consent"),
    path("notify/delivery-receipts/", move_views.notify_callback, name="notify_callback"),
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
