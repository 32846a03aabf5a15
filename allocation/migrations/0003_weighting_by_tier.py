from django.db import migrations, models

# The old case levels ran the wrong way (A lowest ... D highest); tiers' protect levels run A highest ... D lowest.
OLD_TO_PROTECT = {"A": "D", "B": "C", "C": "B", "D": "A"}
CHANGE_POINTS = 2  # local: points added per change level (3 to 0) on top of the protect level's weighting


def to_tiers(apps, schema_editor):
    """Each old cell becomes four tier cells (change levels 0 to 3), keeping any value an admin set."""
    CaseWeighting = apps.get_model("allocation", "CaseWeighting")
    old = list(CaseWeighting.objects.values_list("order_type", "tier", "points"))
    CaseWeighting.objects.all().delete()
    CaseWeighting.objects.bulk_create(
        CaseWeighting(order_type=order_type, tier=f"{OLD_TO_PROTECT[level]}{change}", points=points + CHANGE_POINTS * change)
        for order_type, level, points in old
        if level in OLD_TO_PROTECT
        for change in range(4)
    )


class Migration(migrations.Migration):
    dependencies = [("allocation", "0002_defaults")]
    operations = [
        migrations.RemoveConstraint(model_name="caseweighting", name="one_weight_per_cell"),
        migrations.RenameField(model_name="caseweighting", old_name="case_level", new_name="tier"),
        migrations.AlterField(
            model_name="caseweighting",
            name="tier",
            field=models.CharField(
                max_length=2,
                choices=[(f"{p}{c}", f"Tier {p}{c}") for p in "ABCD" for c in (3, 2, 1, 0)],
            ),
        ),
        migrations.AlterModelOptions(name="caseweighting", options={"ordering": ["order_type", "tier"]}),
        migrations.RunPython(to_tiers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="caseweighting",
            constraint=models.UniqueConstraint(fields=("order_type", "tier"), name="one_weight_per_cell"),
        ),
    ]
