"""A PUSPAGA session's referral in is an inbox.IntakeRequest now (issue 9). The table was handed over with its
rows (cases/0004, inbox/0001), so only the migration state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0001_initial"),
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="puspagasession",
                    name="intake_request",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                               related_name="puspaga_session", to="inbox.intakerequest",
                                               verbose_name="rujukan masuk"),
                ),
            ],
            database_operations=[],
        ),
    ]
