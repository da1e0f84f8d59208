"""Mediations recorded before the agenda existed: the follow-up date of each agreement still to come on an open
case becomes a "Pemeriksaan kesepakatan mediasi" item, as cases.services.mediation_record now makes one. Past
follow-ups are left out (nobody would be reminded of them usefully). Works on SQLite and PostgreSQL (ORM only)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Mediation = apps.get_model("cases", "Mediation")
    AgendaItem = apps.get_model("cases", "AgendaItem")
    today = timezone.localdate()
    rows = (Mediation.objects.filter(follow_up_on__gte=today, case__closed_at__isnull=True)
            .exclude(case__stage="terminasi").order_by("id")
            .values("case_id", "follow_up_on", "case__assigned_worker_id", "recorded_by_id"))
    AgendaItem.objects.bulk_create([
        AgendaItem(case_id=row["case_id"], kind="cek_kesepakatan", due_on=row["follow_up_on"],
                   assignee_id=row["case__assigned_worker_id"] or row["recorded_by_id"],
                   created_by_id=row["recorded_by_id"], note="")
        for row in rows.iterator()
    ], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_agenda")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
