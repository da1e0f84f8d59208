"""Step 2 of 2: the notification model now lives in inbox (its table was handed over in 0004); only this
app's migration state forgets it. Nothing changes in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_notification_table_to_inbox"),
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
