"""The demo cases: every stage of the workflow, the demo shares, synthetic identities, idempotent."""

from collections import Counter

from agencies.regions import regions_load
from cases.models import Case, Consent, Mediation, ServiceDelivery, Victim, VictimViolence
from core import codes
from demo.cases import CASE_COUNT, seed_cases
from demo.foundation import seed_foundation


def test_demo_cases_cover_every_stage_and_are_seeded_once(db):
    regions_load(district_code="73.22")
    agencies = seed_foundation()
    assert seed_cases(agencies=agencies) == CASE_COUNT
    assert seed_cases(agencies=agencies) == 0
    assert Case.objects.count() == CASE_COUNT
    assert set(Case.objects.values_list("stage", flat=True)) == set(codes.CaseStage.values)
    children = Victim.objects.filter(is_child=True).count() / Victim.objects.count()
    assert 0.55 <= children <= 0.65
    types = Counter(VictimViolence.objects.values_list("violence_type", flat=True))
    assert types["seksual"] == max(types.values())
    assert Mediation.objects.count() == 1
    mediation_case = Mediation.objects.get().case
    assert not mediation_case.incident.tpks_forms and "seksual" not in set(
        VictimViolence.objects.filter(victim__case=mediation_case).values_list("violence_type", flat=True))
    assert Consent.objects.filter(needs_approval=True, approved_at__isnull=False).exists()
    assert ServiceDelivery.objects.exists() and Case.objects.filter(reopen_count=1).exists()
    assert all(nik.startswith("99") for nik in Victim.objects.exclude(nik="").values_list("nik", flat=True))
    # Demo time standards at work: something overdue and a closure waiting for the supervisor.
    from agencies.models import User
    from cases.selectors import case_home_counts

    counts = case_home_counts(user=User.objects.get(username="koordinator"))
    assert counts["overdue"] >= 2 and counts["closure_pending"] == 1
