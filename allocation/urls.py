from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("cases/<str:crn>/allocate/", views.AllocateView.as_view(), name="allocate"),
    path("cases/<str:crn>/transfer/", views.TransferRequestView.as_view(), name="transfer_request"),
    path("allocations/", views.allocations, name="allocations"),
    path("allocations/transfers/<int:transfer_id>/", views.TransferView.as_view(), name="transfer"),
    path("allocation/protocol/", views.protocol, name="protocol"),
    path("allocation/protocol/history/", views.protocol_history, name="protocol_history"),
    path("allocation/protocol/rules/<int:rule_id>/", views.rule_version, name="rule_version"),
    path("allocation/protocol/rules/new/", views.RuleFormView.as_view(), name="rule_create"),
    path("allocation/protocol/rules/<int:rule_id>/edit/", views.RuleFormView.as_view(), name="rule_edit"),
    path("allocation/protocol/rules/<int:rule_id>/move/", views.rule_move, name="rule_move"),
    path("allocation/protocol/rules/<int:rule_id>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("allocation/workload/", views.workload, name="workload"),
    path("allocation/officers/", views.officers, name="officers"),
    path("allocation/officers/new/", views.ProfileFormView.as_view(), name="officer_create"),
    path("allocation/officers/<int:profile_id>/edit/", views.ProfileFormView.as_view(), name="officer_edit"),
    path(
        "allocation/officers/<int:profile_id>/reductions/new/",
        views.ReductionFormView.as_view(),
        name="reduction_create",
    ),
]
