"""The worked example (shared/reference) end to end in Chromium, for each kind of user.

People only use what they see: labels, buttons and links. Every page visited is checked with axe-core
(WCAG 2.2 A and AA); any violation fails the scenario."""

from datetime import timedelta

from django.utils import timezone

from casework.demo import NEW_CASE_CRN, WORKED_EXAMPLE_CRN


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_case(person, search, link_name):
    person.click_link("Cases", exact=True)
    person.page.get_by_role("link", name="Team cases").click()
    person.check_accessibility()
    person.page.get_by_label("Name or CRN").fill(search)
    person.click_button("Apply filters")
    person.click_link(link_name)


def test_admin_writes_the_local_protocol_and_adds_a_pso(visitor):
    admin = visitor("admin")
    page = admin.page
    admin.click_link("Allocation protocol")
    admin.screenshot("admin-allocation-protocol")
    admin.click_link("Add a rule")
    page.get_by_label("Rule name").fill("Stand-alone unpaid work with domestic abuse (team protocol)")
    page.get_by_role("group", name="The order's requirements are only").get_by_label("Unpaid work").check()
    flags = page.get_by_role("group", name="The case has any of these flags")
    flags.get_by_label("Domestic abuse").check()
    flags.get_by_label("Restraining order in force").check()
    page.get_by_role("group", name="Lowest grade who can hold the case").get_by_label("PSO or above").check()
    page.get_by_label("Minimum years of experience").fill("3")
    page.get_by_label("Contact plan to set").select_option(label="Every week")
    page.get_by_label("This contact plan needs line-manager approval").check()
    page.get_by_label("Police domestic abuse enquiry every (weeks)").fill("8")
    page.get_by_label("Rationale").fill("DA with a restraining order needs closer monitoring by an experienced PSO.")
    admin.click_button("Save rule")
    # A PSO may not hold a case above the grade's ceiling: the rule must rule those cases out.
    assert "A probation officer must hold any case with high or very high RoSH" in admin.text()
    admin.check_accessibility()
    rosh = page.get_by_role("group", name="RoSH is one of")
    for level in ("Low", "Medium", "Not screened yet"):
        rosh.get_by_label(level, exact=True).check()
    mappa = page.get_by_role("group", name="MAPPA is one of")
    mappa.get_by_label("Not MAPPA", exact=True).check()
    mappa.get_by_label("MAPPA level 1", exact=True).check()
    page.get_by_role("group", name="The case has none of these flags").get_by_label("Child protection concerns").check()
    admin.click_button("Save rule")
    assert "Rule saved" in admin.text()
    assert "Stand-alone unpaid work with domestic abuse (team protocol)" in admin.text()
    admin.click_link("Protocol history")
    assert "Version 1" in admin.text()
    admin.click_link("Back to the allocation protocol")

    admin.click_link("Officer profiles")
    admin.click_link("Add an officer profile")
    page.get_by_label("Officer").select_option(label="Tom Hughes (Probation services officer (PSO))")
    page.get_by_label("Contracted hours a week").fill("30")
    page.get_by_label("Years of experience").fill("4")
    page.get_by_label("Domestic abuse").check()
    admin.click_button("Save officer profile")
    assert "Officer profile saved: Tom Hughes (PSO)" in admin.text()
    admin.close()


def test_line_manager_allocates_approves_and_reviews_the_team(visitor):
    manager = visitor("manager.north")
    page = manager.page
    manager.click_link("Allocations")
    manager.screenshot("manager-allocations")
    manager.click_link("Allocate Kerry Marsh")
    text = manager.text()
    assert "Matched rule: Unpaid-work-only order with domestic abuse or a restraining order" in text
    assert "Jo Bennett – PSO" in text and "(suggested)" in text
    manager.screenshot("manager-allocate-case")
    manager.click_button("Allocate case")
    assert "Case allocated to Jo Bennett" in manager.text()

    # The protocol asked for weekly contact; it waits in the approvals queue.
    manager.click_link("Approvals")
    manager.click_link("Decide request for Kerry Marsh")
    page.get_by_label("Approve").check()
    page.get_by_label("Comment").fill("Agreed: proportionate to the domestic abuse risk.")
    manager.click_button("Confirm decision")
    assert "Request approved" in manager.text()

    manager.click_link("Keeping people safe")
    text = manager.text()
    assert "Contact sufficient to manage and minimise the risk of harm" in text
    assert "Dawson, Michelle" in text
    manager.screenshot("manager-keeping-people-safe")


def test_responsible_officer_works_the_case_and_a_new_incident_needs_review(visitor):
    officer = visitor("pso.north")
    page = officer.page
    today = timezone.localdate()
    open_case(officer, "Michelle Dawson", "Dawson, Michelle")
    officer.screenshot("officer-case-overview")

    # Log this week's contact after unpaid work.
    officer.click_link("Contacts", exact=True)
    officer.click_link("Add a contact")
    page.get_by_label("Type of contact").select_option(label="Office appointment")
    fill_date(page, "Date of the contact", today - timedelta(days=1))
    page.get_by_label("Start time").fill("14:30")
    page.get_by_label("End time").fill("14:50")
    page.get_by_role("group", name="Who was the contact with?").get_by_label("The service user").check()
    page.get_by_role("group", name="Does this count as a national standard contact?").get_by_label("Yes").check()
    page.get_by_label("Outcome", exact=True).select_option(label="Attended – complied")
    page.get_by_label("Notes").fill("Seen after unpaid work. No contact with Alex. Attending counselling.")
    officer.click_button("Create contact")
    assert "Contact created" in officer.text()
    officer.screenshot("officer-contacts")

    # A police domestic abuse check with no incidents.
    officer.click_link("Risk", exact=True)
    officer.click_link("Record an enquiry request")
    page.get_by_label("Police domestic abuse call-out enquiry").check()
    fill_date(page, "Date requested", today - timedelta(days=3))
    fill_date(page, "Response due by", today + timedelta(days=11))
    officer.click_button("Record request")
    officer.click_link("Record response")
    page.get_by_label("No incidents").check()
    fill_date(page, "Date response received", today)
    page.get_by_label("Summary").fill("No call-outs. Restraining order being kept.")
    officer.click_button("Record response")

    officer.click_link("Overview")
    ratings = [tag.strip() for tag in page.locator(".app-kps table .govuk-tag").all_inner_texts()]
    assert ratings == ["Met"] * 5
    officer.screenshot("officer-keeping-people-safe-met")

    # Then a check comes back with a new incident: the case needs a risk review.
    officer.click_link("Risk", exact=True)
    officer.click_link("Record an enquiry request")
    page.get_by_label("Police domestic abuse call-out enquiry").check()
    fill_date(page, "Date requested", today)
    fill_date(page, "Response due by", today + timedelta(days=14))
    officer.click_button("Record request")
    officer.click_link("Record response")
    page.get_by_label("Incidents found").check()
    fill_date(page, "Date response received", today)
    page.get_by_label("Summary").fill("Police called to Alex's address after Michelle attended.")
    officer.click_button("Record response")
    officer.click_link("Overview")
    assert "Risk review needed" in officer.text()
    assert "Record the risk review" in page.locator(".app-kps").inner_text()
    officer.screenshot("officer-risk-review-needed")


def test_an_officer_of_another_team_cannot_find_or_open_the_case(visitor, live_server):
    stranger = visitor("pso.south")
    page = stranger.page
    stranger.click_link("Cases", exact=True)
    page.get_by_role("link", name="Team cases").click()
    page.get_by_label("Name or CRN").fill(WORKED_EXAMPLE_CRN)
    stranger.click_button("Apply filters")
    assert "No cases found" in stranger.text()
    response = page.goto(f"{live_server.url}/cases/{WORKED_EXAMPLE_CRN}/")
    assert response.status == 404
    assert "Page not found" in stranger.text() and "Michelle" not in stranger.text()
    assert page.goto(f"{live_server.url}/cases/{NEW_CASE_CRN}/allocate/").status == 404


def test_main_flow_works_with_the_keyboard_only(visitor):
    officer = visitor("pso.north")
    page = officer.page
    # Tab from the top of the page to the skip link, then into the navigation, using no mouse.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Dawson, Michelle":
            break
    else:
        raise AssertionError("Could not reach the case by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    officer.check_accessibility()
    assert "Michelle Dawson" in page.locator("h1").inner_text()


def test_officer_starts_a_new_case_and_the_manager_approves_weekly_contact(visitor):
    """Kerry's case from the start: induction, signposting, a request for weekly contact and its approval."""
    from casework.models import ServiceUser, User
    from casework.services import responsible_officer_assign

    kerry = ServiceUser.objects.get(crn=NEW_CASE_CRN)
    manager_user = User.objects.get(username="manager.north")
    responsible_officer_assign(
        actor=manager_user, case=kerry, officer=User.objects.get(username="pso.north"), reason="Allocated"
    )
    officer = visitor("pso.north")
    page = officer.page
    today = timezone.localdate()
    open_case(officer, "Kerry Marsh", "Marsh, Kerry")

    officer.click_link("Contacts", exact=True)
    officer.click_link("Set the contact plan")
    page.get_by_label("Every 4 weeks").check()
    fill_date(page, "From", today)
    officer.click_button("Set contact plan")

    officer.click_link("Contacts", exact=True)
    officer.click_link("Add a contact")
    page.get_by_label("Type of contact").select_option(label="Initial appointment (induction)")
    fill_date(page, "Date of the contact", today - timedelta(days=1))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_role("group", name="Who was the contact with?").get_by_label("The service user").check()
    page.get_by_role("group", name="Does this count as a national standard contact?").get_by_label("Yes").check()
    page.get_by_label("Outcome", exact=True).select_option(label="Attended – complied")
    page.get_by_label("Notes").fill("Induction. Upset about the restraining order. Signposted to counselling.")
    officer.click_button("Create contact")

    officer.click_link("People", exact=True)
    officer.click_link("Add an agency")
    page.get_by_label("Type of agency").select_option(label="Counselling")
    page.get_by_label("Organisation name").fill("Westshire Talking Therapies")
    page.get_by_label("Their role in the case").fill("Counselling after the end of the relationship")
    fill_date(page, "Involved since", today)
    officer.click_button("Save")
    assert "Westshire Talking Therapies" in officer.text()

    officer.click_link("Contacts", exact=True)
    officer.click_link("View contact plan")
    officer.click_link("Request a change")
    page.get_by_label("Every week").check()
    fill_date(page, "From", today)
    page.get_by_label("Why does the case need this contact?").fill(
        "Unpaid work only, but domestic abuse with a restraining order: see her weekly after unpaid work."
    )
    officer.click_button("Send request to line manager")
    assert "Request sent to your line manager" in officer.text()

    manager = visitor("manager.north")
    manager.click_link("Approvals")
    manager.click_link("Decide request for Kerry Marsh")
    manager.page.get_by_label("Approve").check()
    manager.click_button("Confirm decision")
    assert "Request approved" in manager.text()

    officer.page.reload()
    officer.check_accessibility()
    assert "Every week" in officer.text() and "Approved change" in officer.text()


def test_officer_records_consent_arranges_an_appointment_and_sees_the_reminder(visitor):
    """Issue 20 and issue 18 point 3: consent to text reminders, an appointment, its reminder in the outbox
    (the console backend, as `make run` has it), then the appointment is cancelled and so is its reminder."""
    from casework.models import ServiceUser, User
    from casework.services import responsible_officer_assign

    responsible_officer_assign(
        actor=User.objects.get(username="manager.north"),
        case=ServiceUser.objects.get(crn=NEW_CASE_CRN),
        officer=User.objects.get(username="pso.north"),
        reason="Allocated",
    )
    officer = visitor("pso.north")
    page = officer.page
    tomorrow = timezone.localdate() + timedelta(days=1)
    open_case(officer, "Kerry Marsh", "Marsh, Kerry")
    officer.click_link("Appointments", exact=True)
    officer.click_link("Reminders to the service user")
    officer.click_link("Change contact details")
    page.get_by_label("Mobile number").fill("07700 900654")
    officer.click_button("Save contact details")
    officer.click_link("Record or withdraw consent")
    page.get_by_role("group", name="Reminders by").get_by_label("Text").check()
    page.get_by_label("They agree to appointment reminders").check()
    officer.click_button("Save")
    assert "Consent recorded" in officer.text()

    officer.click_link("Appointments", exact=True)
    officer.click_link("Arrange an appointment")
    page.get_by_label("Office appointment").check()
    fill_date(page, "Date", tomorrow)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("10:00")
    page.get_by_label("Location").fill("Westshire probation office")
    officer.click_button("Arrange appointment")
    officer.click_link("Reminders to the service user")
    outbox = page.get_by_test_id("reminder-outbox").inner_text()
    assert "07700 900654" in outbox and "the day before" in outbox and "on the day" in outbox
    statuses = page.get_by_test_id("reminder-outbox").locator(".govuk-tag").all_inner_texts()
    assert statuses and all(s.strip() in ("Scheduled", "Delivered") for s in statuses)
    officer.screenshot("officer-reminders-outbox")

    # Kerry asks to move it to the day after: the original stays on the record and the reminders follow it.
    officer.click_link("Appointments", exact=True)
    page.get_by_role("link", name="Reschedule").first.click()
    officer.check_accessibility()
    day_after = tomorrow + timedelta(days=1)
    fill_date(page, "New date", day_after)
    page.get_by_label("New start time").fill("11:00")
    page.get_by_label("The service user").check()
    page.get_by_label("Reason").fill("Kerry has a job interview that morning")
    officer.click_button("Reschedule appointment")
    assert "Appointment rescheduled. The original is kept on the record" in officer.text()
    officer.click_link("Reminders to the service user")
    outbox = page.get_by_test_id("reminder-outbox").inner_text()
    assert "Cancelled" in outbox and f"{day_after.day} {day_after:%B %Y}" in outbox

    # The appointment is cancelled: it stays on the record, and reminders not yet sent are cancelled.
    officer.click_link("Appointments", exact=True)
    page.get_by_role("link", name="Cancel").first.click()
    officer.check_accessibility()
    page.get_by_label("Reason").fill("Kerry starts work that morning")
    officer.click_button("Cancel appointment")
    assert "Appointment cancelled" in officer.text()
    officer.click_link("Reminders to the service user")
    assert "Cancelled" in page.get_by_test_id("reminder-outbox").inner_text()


def test_add_a_contact_shows_only_what_applies_and_errors_lead_to_the_question(visitor):
    officer = visitor("pso.north")
    page = officer.page
    open_case(officer, "Michelle Dawson", "Dawson, Michelle")
    officer.click_link("Add a contact")  # on the case overview
    who = page.get_by_role("group", name="Who was the contact with?")
    key_individual = page.get_by_label("Key individual", exact=True)
    outcome = page.get_by_label("Outcome", exact=True)
    enforcement = page.get_by_label("Enforcement action", exact=True)
    assert not key_individual.is_visible() and not outcome.is_visible()

    # Only the person chosen is asked for; a phone call has no outcome; only a failure asks for enforcement.
    who.get_by_label("A key individual").check()
    assert key_individual.is_visible()
    assert not page.get_by_label("Agency", exact=True).is_visible()
    page.get_by_label("Type of contact").select_option(label="Phone call to service user")
    assert not outcome.is_visible()
    page.get_by_label("Type of contact").select_option(label="Office appointment")
    assert outcome.is_visible() and not enforcement.is_visible()
    outcome.select_option(label="Unacceptable absence")
    assert enforcement.is_visible()
    officer.check_accessibility()
    officer.screenshot("officer-add-contact-reveals")

    # Errors: each link in the summary moves focus to the first input of its question.
    officer.click_button("Create contact")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the start time" in summary.inner_text()
    summary.get_by_role("link", name="Select yes if this contact counts towards the contact plan").click()
    assert page.evaluate("[document.activeElement.type, document.activeElement.name]") == [
        "radio",
        "national_standard",
    ]
    summary.get_by_role("link", name="Select the key individual the contact was with").click()
    assert page.evaluate("document.activeElement.name") == "key_individual"
    summary.get_by_role("link", name="Select the enforcement action for this failure to comply").click()
    assert page.evaluate("document.activeElement.name") == "enforcement_action"
    assert page.get_by_label("Enforcement action", exact=True).is_visible()  # still shown after the error

    # Search this case's contact notes, then the whole caseload.
    officer.click_link("Cancel and go back")
    officer.click_link("Search contact notes")
    page.get_by_label("Search contact notes").fill("Talking Therapies")
    officer.click_button("Search")
    assert "Signposting referral sent to Westshire Talking Therapies" in officer.text()
    officer.click_link("Cases", exact=True)
    officer.click_link("Search contact notes")
    page.get_by_label("Search contact notes").fill("")
    officer.click_button("Search")
    assert "Enter a word or phrase from the notes to search for" in officer.text()
    page.get_by_label("Search contact notes").fill("Talking Therapies")
    officer.click_button("Search")
    assert "Dawson" in officer.text()


def test_officer_decides_an_absence_and_produces_the_warning_letter(visitor):
    """An unacceptable absence gets a first warning letter: produced from the record, opened, downloaded as PDF."""
    officer = visitor("pso.north")
    page = officer.page
    today = timezone.localdate()
    missed_on = today - timedelta(days=1)
    open_case(officer, "Michelle Dawson", "Dawson, Michelle")

    # She did not come yesterday: recorded as a failure to attend, decision pending.
    officer.click_link("Contacts", exact=True)
    officer.click_link("Add a contact")
    page.get_by_label("Type of contact").select_option(label="Planned phone contact")
    fill_date(page, "Date of the contact", missed_on)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("group", name="Who was the contact with?").get_by_label("The service user").check()
    page.get_by_role("group", name="Does this count as a national standard contact?").get_by_label("Yes").check()
    page.get_by_label("Outcome", exact=True).select_option(label="Failed to attend (decision pending)")
    officer.click_button("Create contact")
    assert "Contact created" in officer.text()
    officer.click_link(f"View Planned phone contact on {missed_on:%d %b %Y}")

    # The absence decision: unacceptable, a first warning letter given today. The order's counts are on the page.
    officer.click_link("Decide the absence")
    assert "Failures on this order" in officer.text()
    page.get_by_label("No, unacceptable").check()
    page.get_by_label("Enforcement action").select_option(label="First warning letter sent")
    fill_date(page, "Date the warning was given", today)
    page.get_by_label("Reason for your decision").fill("No reply to two calls; no reason given")
    officer.click_button("Confirm decision")
    assert "Absence decided" in officer.text()

    # The warning letter, filled from the record, kept on the case, and downloaded as a PDF.
    officer.click_button("Produce the warning letter")
    text = officer.text()
    assert "Warning letter produced" in text
    assert "Michelle Dawson" in text and "within the period of 12 months beginning with" in text
    officer.screenshot("officer-warning-letter")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")

    # The case's enforcement page lists it.
    page.get_by_role("link", name="Back", exact=True).click()
    officer.check_accessibility()
    assert "Warning letter to Michelle Dawson" in officer.text()
    officer.screenshot("officer-enforcement")
