"""Intake requests move to the inbox app (issue 9), keeping their rows, ids and numbers (R-<id>).

Step 1 of 2, here: the table takes the inbox's name. The foreign keys of cases and PUSPAGA sessions keep
pointing at it (PostgreSQL and SQLite both follow a renamed table). inbox/0001 then takes the model over
without touching the table, and 0005 points Case.intake_request at it and drops the model from this app.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_number_sequence_moves_to_core"),
    ]

    operations = [
        migrations.AlterModelTable(name="intakerequest", table="inbox_intakerequest"),
    ]
