from django.urls import path

from . import corrections, enforcement_views, move_views, search_views, views

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

# Enforcement: breach and recall journeys, and letters (contacts/enforcement_views.py).
BREACH = f"{CASE}enforcement/breaches/<int:breach_id>/"
RECALL = f"{CASE}enforcement/recalls/<int:recall_id>/"
LETTER = f"{CASE}letters/<int:letter_id>/"
CONTACT = f"{CASE}contacts/<int:contact_id>/"
urlpatterns += [
    path(f"{CASE}enforcement/", enforcement_views.EnforcementView.as_view(), name="enforcement"),
    path(f"{CONTACT}breach/", enforcement_views.BreachReferView.as_view(), name="breach_refer"),
    path(f"{CONTACT}recall/", enforcement_views.RecallRecommendView.as_view(), name="recall_recommend"),
    path(BREACH, enforcement_views.BreachDetailView.as_view(), name="breach"),
    path(f"{BREACH}report/", enforcement_views.BreachReportView.as_view(), name="breach_report"),
    path(f"{BREACH}hearing/", enforcement_views.BreachHearingView.as_view(), name="breach_hearing"),
    path(f"{BREACH}result/", enforcement_views.BreachResultView.as_view(), name="breach_result"),
    path(f"{BREACH}summary/", enforcement_views.BreachSummaryProduceView.as_view(), name="breach_summary"),
    path(RECALL, enforcement_views.RecallDetailView.as_view(), name="recall"),
    path(f"{RECALL}countersign/", enforcement_views.RecallCountersignView.as_view(), name="recall_countersign"),
    path(f"{RECALL}decision/", enforcement_views.RecallDecisionView.as_view(), name="recall_decide"),
    path(
        f"{CASE}warnings/<int:warning_id>/letter/",
        enforcement_views.WarningLetterProduceView.as_view(),
        name="warning_letter",
    ),
    path(LETTER, enforcement_views.LetterView.as_view(), name="letter"),
    path(f"{LETTER}pdf/", enforcement_views.LetterPdfView.as_view(), name="letter_pdf"),
]
