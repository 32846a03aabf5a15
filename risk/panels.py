"""The "Keeping people safe" panel on every case overview (see settings.CASE_OVERVIEW_PANELS)."""

from django.urls import reverse

from .selectors import case_criteria, open_reviews


def overview_panel(case, user) -> dict:
    attention = [
        (
            f"Risk review needed: {review.reason}",
            reverse("risk:review", kwargs={"crn": case.crn, "review_id": review.pk}),
        )
        for review in open_reviews(case)
    ]
    return {
        "template": "risk/panel.html",
        "criteria": case_criteria(case),
        "attention": attention,
    }
