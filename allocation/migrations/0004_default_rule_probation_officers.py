import uuid

from django.db import migrations
from django.utils import timezone

RATIONALE = (
    "No local rule matched: allocate to a probation officer by workload. Only a probation officer may hold a case "
    "with high or very high RoSH, MAPPA level 2 or 3 or child protection concerns; rules before this one send "
    "lower-risk cases to PSOs."
)


def probation_officers(apps, schema_editor):
    """The default rule matches any case, so only a probation officer may hold its cases (the PSO ceiling). The old
    version stays: decisions made under it point at it."""
    AllocationRule = apps.get_model("allocation", "AllocationRule")
    current = AllocationRule.objects.filter(is_default=True, superseded_at__isnull=True).first()
    if current is None:
        AllocationRule.objects.create(
            name="Default: probation officer", position=9999, is_default=True, eligible_grades=["PO"],
            rationale=RATIONALE, lineage=uuid.uuid4(),
        )
        return
    if current.eligible_grades == ["PO"]:
        return
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    AllocationRule.objects.create(
        name="Default: probation officer", position=current.position, is_default=True, enabled=True,
        conditions={}, eligible_grades=["PO"], min_experience_years=current.min_experience_years,
        required_specialism=current.required_specialism, contact_frequency_days=current.contact_frequency_days,
        contact_needs_approval=current.contact_needs_approval,
        da_enquiry_interval_days=current.da_enquiry_interval_days, rationale=RATIONALE,
        version=current.version + 1, lineage=current.lineage,
    )


class Migration(migrations.Migration):
    dependencies = [("allocation", "0003_weighting_by_tier")]
    operations = [migrations.RunPython(probation_officers, migrations.RunPython.noop)]
