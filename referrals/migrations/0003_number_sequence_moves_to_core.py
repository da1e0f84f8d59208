from django.db import migrations


def copy_to_core(apps, schema_editor):
    # Keep numbering where it was on existing databases: the next referral number continues the old sequence.
    old = apps.get_model("referrals", "ReferralNumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in old.objects.all():
        new.objects.update_or_create(kind="referral", district_code=row.district_code, year=row.year,
                                     defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_notification_report_kind"),
        ("core", "0002_number_sequence"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReferralNumberSequence"),
    ]
