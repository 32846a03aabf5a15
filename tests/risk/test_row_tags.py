"""The team table's and What's due's rows are built in Python: what a record says is escaped as the template
language would, and the row shows what the item is."""

from datetime import date

from casework.selectors import CaseRef
from risk import rules
from risk.templatetags.risk_tags import due_rows, team_rows
from risk.whats_due import DueItem

CASE = CaseRef(7, "X123456", "Dee <b>", "O'Neil & Sons", 'Pat "Officer" Lee')


def item(**fields):
    values = {"what": "Contact", "when": date(2026, 11, 5), "view": "contacts:arrange", "action": "Arrange"}
    return DueItem(CASE, **(values | fields))


def test_what_is_due_rows_escape_names_and_text(db):
    html = due_rows([item(what="Call <script>", tag="Overdue", colour="red")], show_officers=True)
    assert "Dee &lt;b&gt; O&#x27;Neil &amp; Sons" in html
    assert "Call &lt;script&gt;" in html and "<script>" not in html
    assert "Pat &quot;Officer&quot; Lee" in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert "Thu 5 Nov 2026" in html
    assert 'href="/cases/X123456/appointments/new/"' in html


def test_what_is_due_rows_name_the_officer_only_when_asked(db):
    assert "Pat" not in due_rows([item()], show_officers=False)
    unallocated = CASE._replace(responsible_officer=None)
    assert "· Unallocated" in due_rows([DueItem(unallocated, "Contact", None, "contacts:arrange", "Arrange")], True)


def test_team_rows_escape_names_and_show_each_rating(db):
    results = [rules.CriterionResult(key, "met") for key in rules.CRITERIA]
    html = team_rows([(CASE, results)])
    assert "O&#x27;Neil &amp; Sons, Dee &lt;b&gt;" in html
    assert html.count("<td") == 1 + len(rules.CRITERIA)
