from django.db import migrations

# Version 1 of the keeping-people-safe thresholds, frozen here so later code changes to the
# defaults never silently rewrite a rule set that has been used to rate cases.
VERSION_1 = {
    "max_contact_interval_low": 28,
    "max_contact_interval_medium": 14,
    "max_contact_interval_high": 7,
    "max_contact_interval_very_high": 7,
    "max_contact_interval_with_flags": 14,
    "default_enquiry_interval": 56,
    "enquiry_grace_days": 14,
    "home_visit_window": 84,
    "key_individual_window": 84,
    "victim_check_window": 84,
}


def seed(apps, schema_editor):
    CriteriaRuleSet = apps.get_model("risk", "CriteriaRuleSet")
    CriteriaRuleSet.objects.get_or_create(
        version=1, defaults={"thresholds": VERSION_1, "notes": "Initial rule set", "active": True}
    )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
