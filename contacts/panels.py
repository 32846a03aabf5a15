"""What the contacts app adds to a case's overview page (see settings.CASE_OVERVIEW_PANELS)."""

from django.urls import reverse

from . import selectors


def overview_panel(case, user) -> dict:
    summary = selectors.contact_summary(
        case, outcomes=selectors.outcomes_to_record(case), next_appointment=selectors.next_appointment_listing(case)
    )
    attention = []
    outcomes = summary.facts["outcomes"]
    if outcomes:
        attention.append(
            (
                f"{outcomes} appointment outcome{'s' if outcomes > 1 else ''} to record",
                reverse("contacts:appointments", kwargs={"crn": case.crn}),
            )
        )
    if summary.due and summary.due.is_overdue:
        attention.append(
            (f"Contact is {summary.due.days_overdue} days overdue", reverse("contacts:log", kwargs={"crn": case.crn}))
        )
    for request in summary.pending_requests:
        attention.append(
            (
                f"Request for contact {request.get_frequency_days_display().lower()} is waiting for a "
                "line manager's decision",
                reverse("contacts:decide", kwargs={"crn": case.crn, "request_id": request.pk}),
            )
        )
    if summary.plan is None:
        attention.append(("No contact plan is set", reverse("contacts:plan_set", kwargs={"crn": case.crn})))
    return {
        "template": "contacts/overview_panel.html",
        "summary": summary,
        "attention": attention,
        "next_appointment": next(iter(summary.facts["next_appointment"]), None),
    }
