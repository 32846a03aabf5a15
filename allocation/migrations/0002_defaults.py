import uuid
from decimal import Decimal

from django.db import migrations

# Starting weightings (points per case); admins change them in the admin.
WEIGHTS = {
    "CO": {"A": 10, "B": 14, "C": 20, "D": 30},
    "SSO": {"A": 10, "B": 14, "C": 20, "D": 30},
    "LIC": {"A": 14, "B": 18, "C": 26, "D": 38},
}


def seed(apps, schema_editor):
    CaseWeighting = apps.get_model("allocation", "CaseWeighting")
    WorkloadSettings = apps.get_model("allocation", "WorkloadSettings")
    AllocationRule = apps.get_model("allocation", "AllocationRule")
    for order_type, levels in WEIGHTS.items():
        for level, points in levels.items():
            CaseWeighting.objects.get_or_create(order_type=order_type, case_level=level, defaults={"points": points})
    if not WorkloadSettings.objects.exists():
        WorkloadSettings.objects.create(nominal_target_points=200, standard_hours=Decimal("37.0"))
    # A default rule always exists, so every case has a matching rule.
    if not AllocationRule.objects.filter(is_default=True, superseded_at__isnull=True).exists():
        AllocationRule.objects.create(
            name="Default: any probation officer or PSO", position=9999, is_default=True,
            eligible_grades=["PO", "PSO"], rationale="No local rule matched: allocate by workload.",
            lineage=uuid.uuid4(),
        )


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
