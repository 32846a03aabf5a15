"""Plausible dates for the records of a case, as pure rules over plain values: no ORM, no request, tested without a
database (tests/core/test_dates.py). Each returns the message to show, or "" (or {} for a whole record's dates).

Forms call these from clean() so a person sees the problem beside the date at fault. Where a service already
refuses a date against the record (casework.rules.order_end_error and upw_extension_error, contacts.breach_rules,
contacts.services.warning_withdraw, the risk services), its message is shown beside the same field, so the form
adds only a plausible earliest date and the rules the service cannot see."""

from datetime import date, timedelta

# The earliest date any record in the service can be about: nothing the service keeps (contacts, community and
# suspended sentence orders, assessments, enquiries) predates it, so an earlier date is a typing mistake like 1900
# for 2026. Local policy: no national source gives a date.
EARLIEST_RECORD_DATE = date(2000, 1, 1)
# Licences can follow very long or life sentences passed decades ago, and a life licence never ends: someone
# sentenced in the 1970s can be on licence today. Earlier than this is still a typing mistake.
EARLIEST_LICENCE_DATE = date(1960, 1, 1)
# Restraining orders came with the Protection from Harassment Act 1997 (section 5); one made then "until further
# order" can still be in force.
EARLIEST_RESTRAINING_ORDER_DATE = date(1997, 1, 1)
# The age of criminal responsibility in England and Wales (Children and Young Persons Act 1933, section 50).
CRIMINAL_RESPONSIBILITY_AGE = 10


def in_words(day: date) -> str:
    """A date as people write it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def in_past_problem(value: date | None, today: date, noun: str) -> str:
    """Something that has already happened cannot be dated in the future."""
    if value and value > today:
        return f"The {noun} must be today or in the past"
    return ""


def in_future_problem(value: date | None, today: date, noun: str) -> str:
    """Something still to come (a moved appointment, a hearing just listed) cannot be dated in the past."""
    if value and value < today:
        return f"The {noun} must be today or in the future"
    return ""


def earliest_problem(value: date | None, earliest: date, noun: str) -> str:
    """A date before the earliest plausible one for its kind of record: usually a year typed wrong."""
    if value and value < earliest:
        return f"The {noun} must be on or after {in_words(earliest)}. Check the year"
    return ""


def not_before_problem(value: date | None, limit: date | None, *, noun: str, what: str) -> str:
    """A date that cannot come before another on the record, named in words: "the order started"."""
    if value and limit and value < limit:
        return f"The {noun} must be on or after the day {what}, {in_words(limit)}"
    return ""


def first(*problems: str) -> str:
    return next((p for p in problems if p), "")


def earliest_sentence_date(*, licence: bool) -> date:
    return EARLIEST_LICENCE_DATE if licence else EARLIEST_RECORD_DATE


def order_date_problems(
    *, licence: bool, sentence_date: date | None, start_date: date | None, expected_end_date: date | None, today: date
) -> dict[str, str]:
    """An order's dates: sentenced in the past, no earlier than its kind allows (a licence can follow a sentence
    passed decades ago); started on or after the sentence; expected to end after it starts. A licence may start in
    the future (the release date, for work before release); a community or suspended sentence order starts when the
    court makes it, so its start cannot be in the future."""
    earliest = earliest_sentence_date(licence=licence)
    problems = {
        "sentence_date": first(
            in_past_problem(sentence_date, today, "sentence date"),
            earliest_problem(sentence_date, earliest, "sentence date"),
        ),
        "start_date": first(
            "The start date must be the same as or after the sentence date"
            if sentence_date and start_date and start_date < sentence_date
            else "",
            earliest_problem(start_date, earliest, "start date"),
            "" if licence else in_past_problem(start_date, today, "start date"),
        ),
        "expected_end_date": "The expected end date must be after the start date"
        if start_date and expected_end_date and expected_end_date <= start_date
        else "",
    }
    return {field: message for field, message in problems.items() if message}


def offence_date_problem(
    offence_date: date | None, *, sentence_date: date, date_of_birth: date | None, today: date
) -> str:
    """An offence comes before the sentence for it, and after the service user's 10th birthday (historic offences
    can be decades old, so there is no fixed earliest)."""
    if not offence_date:
        return ""
    if problem := in_past_problem(offence_date, today, "date of offence"):
        return problem
    if offence_date > sentence_date:
        return f"The date of offence must be on or before the sentence date, {in_words(sentence_date)}"
    if date_of_birth:
        tenth = _birthday(date_of_birth, CRIMINAL_RESPONSIBILITY_AGE)
        if offence_date < tenth:
            return (
                f"The date of offence must be on or after the service user's 10th birthday, {in_words(tenth)} "
                "(the age of criminal responsibility)"
            )
    return ""


def _birthday(born: date, age: int) -> date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + age, day=28) + timedelta(days=1)


def restraining_order_date_problems(*, made_on: date | None, expires_on: date | None, today: date) -> dict[str, str]:
    """Made in the past, not before restraining orders existed; any expiry after the day it was made (an expiry may
    be in the past: the order is then recorded as spent)."""
    problems = {
        "made_on": first(
            in_past_problem(made_on, today, "date the order was made"),
            earliest_problem(made_on, EARLIEST_RESTRAINING_ORDER_DATE, "date the order was made"),
        ),
        "expires_on": "The expiry date must be after the date the order was made"
        if made_on and expires_on and expires_on <= made_on
        else "",
    }
    return {field: message for field, message in problems.items() if message}


def agency_date_problems(*, started_on: date | None, ended_on: date | None, today: date) -> dict[str, str]:
    """An agency became involved in the past (police and children's services checks can predate the order, so the
    order is no limit); involvement ends on or after it started, and not in the future (leave it blank until then)."""
    problems = {
        "started_on": first(
            in_past_problem(started_on, today, "date the agency became involved"),
            earliest_problem(started_on, EARLIEST_RECORD_DATE, "date the agency became involved"),
        ),
        "ended_on": first(
            "The date involvement ended must be after the date it started"
            if started_on and ended_on and ended_on < started_on
            else "",
            in_past_problem(ended_on, today, "date involvement ended"),
        ),
    }
    return {field: message for field, message in problems.items() if message}


def plan_start_problem(starts_on: date | None, *, first_order_start: date | None) -> str:
    """A contact plan sets how often the service user reports under an order, so it cannot start before the case's
    first order started. Not the allocation date: a case allocated (or transferred in) later still had contact
    required from the start of the order, and the plan history should say so."""
    if first_order_start is None:
        return earliest_problem(starts_on, EARLIEST_RECORD_DATE, "date the plan starts")
    return not_before_problem(starts_on, first_order_start, noun="date the plan starts", what="the first order started")


def breach_referral_problem(referred_on: date | None, *, order_start: date | None) -> str:
    """A referral is for a failure on the order: it cannot be dated before the order started, even where the
    failure is linked to the order by hand (contacts.breach_rules checks it against the failure and today)."""
    return not_before_problem(referred_on, order_start, noun="date referred for breach", what="the order started")
