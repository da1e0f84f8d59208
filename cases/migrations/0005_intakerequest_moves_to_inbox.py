"""Step 2 of 2: Case.intake_request refers to inbox.IntakeRequest, which owns the table since inbox/0001;
this app's migration state forgets its own copy. Nothing changes in the database: the column and its
constraint already point at the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_intakerequest_table_to_inbox"),
        ("inbox", "0001_initial"),
        # PUSPAGA sessions must stop referring to cases.IntakeRequest before it leaves the state.
        ("prevention", "0002_intakerequest_moves_to_inbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="intake_request",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                               related_name="case", to="inbox.intakerequest",
                                               verbose_name="rujukan masuk"),
                ),
                migrations.DeleteModel(name="IntakeRequest"),
            ],
            database_operations=[],
        ),
    ]
