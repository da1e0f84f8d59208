"""Notifications move to the inbox app (issue 9), keeping their rows and ids.

Step 1 of 2, here: the notice forgets its referral (it points at it by its link; the inbox knows no referral)
and its table takes the inbox's name. inbox/0001 then takes the model over without touching the table, and
0005 drops it from this app's state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_number_sequence_moves_to_core"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="referral"),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            # Longer kinds (terminasi_disetujui) arrive with the inbox; the choices are the inbox's from now on.
            field=models.CharField(max_length=32),
        ),
        migrations.AlterModelTable(name="notification", table="inbox_notification"),
    ]
