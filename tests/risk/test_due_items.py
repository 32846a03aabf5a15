"""A What's due section lists its items most urgent first (then by name), whether a page shows its first ten or
pages through the rest: the first few are picked without sorting the section, and must be the same."""

import orjson

from casework.selectors import CaseRef
from risk.case_status import DETAIL_FIELDS
from risk.whats_due import DueItems


def entry(crn, last, first, when):
    details = {name: "" for name in DETAIL_FIELDS} | {"what": f"Contact for {crn}", "view": "contacts:log"}
    details["kwargs"] = {}
    return (CaseRef(1, crn, first, last, None), when, orjson.dumps([details[n] for n in DETAIL_FIELDS]).decode())


def test_the_first_items_are_the_most_urgent_and_the_rest_follow_in_the_same_order():
    entries = [
        entry("C3", "Cole", "Amy", "2026-11-03"),
        entry("A1", "Ahmed", "Zara", "2026-11-01"),
        entry("B2", "Brown", "Ben", "2026-11-01"),
        entry("D4", "Ahmed", "Ali", "2026-11-01"),
        entry("E5", "Evans", "Eve", "2026-10-30"),
    ]
    expected = ["E5", "D4", "A1", "B2", "C3"]  # by date, then last name, then first name
    assert [item.case.crn for item in DueItems(list(entries))[:3]] == expected[:3]
    items = DueItems(list(entries))
    assert [item.case.crn for item in items[:2]] == expected[:2]
    assert [item.case.crn for item in items[2:5]] == expected[2:]  # a later page
    assert [item.case.crn for item in items] == expected and len(items) == 5
    assert items[0].what == "Contact for E5" and str(items[0].when) == "2026-10-30"
