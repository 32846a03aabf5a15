from django.urls import path

from . import views

app_name = "risk"

CASE = "cases/<str:crn>/risk/"

urlpatterns = [
    path(CASE, views.CaseRiskView.as_view(), name="case_risk"),
    path(f"{CASE}assessment/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path(f"{CASE}tier/", views.TierFactorsView.as_view(), name="tier_factors"),
    path(f"{CASE}enquiries/new/", views.EnquiryCreateView.as_view(), name="enquiry_create"),
    path(f"{CASE}enquiries/<int:enquiry_id>/response/", views.EnquiryResponseView.as_view(), name="enquiry_response"),
    path(f"{CASE}enquiries/<int:enquiry_id>/chase/", views.EnquiryChaseView.as_view(), name="enquiry_chase"),
    path(f"{CASE}changes/new/", views.CheckTriggerView.as_view(), name="check_trigger"),
    path(f"{CASE}schedule/", views.ScheduleView.as_view(), name="schedule"),
    path(f"{CASE}reviews/<int:review_id>/", views.ReviewView.as_view(), name="review"),
    path("due/", views.whats_due_view, name="whats_due"),
    path("keeping-people-safe/", views.team_view, name="team"),
    path("keeping-people-safe.csv", views.team_csv, name="team_csv"),
    path("keeping-people-safe/rule-set/", views.rule_set, name="rule_set"),
]
