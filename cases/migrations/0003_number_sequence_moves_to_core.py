from django.db import migrations


def copy_to_core(apps, schema_editor):
    # Keep numbering where it was on existing databases: the next case number continues the old sequence.
    old = apps.get_model("cases", "CaseNumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in old.objects.all():
        new.objects.update_or_create(kind="case", district_code=row.district_code, year=row.year,
                                     defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_workflow_moments"),
        ("core", "0002_number_sequence"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="CaseNumberSequence"),
    ]
