"""The condition table knows every condition a rule can hold, so none fails as 'unknown' by accident."""

from allocation import rules
from allocation.demo import PROTOCOL
from allocation.forms import CONDITION_FIELDS


def test_every_condition_the_rule_form_saves_is_in_the_table():
    assert {*CONDITION_FIELDS, "min_age", "max_age"} <= set(rules.CONDITIONS)


def test_the_demo_protocol_uses_only_known_conditions():
    for rule in PROTOCOL:
        checks = rules.check_conditions(rule.get("conditions", {}), rules.CaseFacts())
        assert not [c.label for c in checks if c.label.startswith("Unknown condition")], rule["name"]
