from django.db import migrations, models


class Migration(migrations.Migration):
    """The contact log's page read in index order (see Contact.Meta.indexes). The new index is built before the
    old one goes, so the case's contact queries always have one."""

    dependencies = [
        ("contacts", "0009_breach_recall_letters"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["service_user", "-starts_at", "-id"], name="contact_log_idx"),
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contacts_co_service_628dc8_idx",
        ),
    ]
