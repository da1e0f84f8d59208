"""Each victim takes the per-case facts that SIMFONI-PPA counts per victim: the place of incident, its
kecamatan/desa (or outside the district) and the KDRT flag from the case's Incident, and the case type by the
rule of cases.rules.victim_case_type (AMPK for a child, KtP for an adult woman, none for an adult man): a case
identified as AMPK that also holds the child's mother counts her under KtP, as it should.

One UPDATE with correlated subqueries (SQLite and PostgreSQL alike), whatever the number of victims. Backwards
it does nothing: the Incident and Case keep their values, and the reversed schema migration drops the columns.
The rule is written out here, not imported: a migration must not change when the code later does.
"""

from django.db import migrations
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce


def copy_case_facts_to_victims(apps, schema_editor):
    Victim = apps.get_model("cases", "Victim")
    Incident = apps.get_model("cases", "Incident")
    incident = Incident.objects.filter(case_id=OuterRef("case_id"))

    def of_incident(name):
        return Subquery(incident.values(name)[:1])

    Victim.objects.update(
        # Every case has its incident (case_register writes both); "lainnya" only guards a hand-made row.
        place=Coalesce(of_incident("place"), Value("lainnya")),
        place_kecamatan_id=of_incident("kecamatan_id"),
        place_village_id=of_incident("village_id"),
        place_outside_district=Coalesce(of_incident("outside_district"), Value(False)),
        is_kdrt=Coalesce(of_incident("is_kdrt"), Value(False)),
        case_type=Case(When(is_child=True, then=Value("ampk")), When(sex="P", then=Value("ktp")),
                       default=Value(""), output_field=CharField()),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_victim_place_kdrt_case_type"),
    ]

    operations = [
        migrations.RunPython(copy_case_facts_to_victims, migrations.RunPython.noop, elidable=False),
    ]
