"""The fast synthetic path for benchmarks: the rows it makes are counted by the statistics like any case,
written and removed through the cases service with one audit event per batch, and never touch real cases."""

from datetime import date

from django.core.management import call_command

from cases.models import Case, Victim
from core.audit import SYSTEM_ACTOR
from core.models import AuditEvent
from demo import synthetic
from demo.synthetic import synthetic_cases_create, synthetic_cases_delete
from reports.periods import Period
from reports.statistics import compute_statistics
from tests.conftest import register_case


def test_synthetic_cases_feed_the_statistics_and_can_be_removed(caseworker, regions, monkeypatch):
    real = register_case(caseworker)
    monkeypatch.setattr(synthetic, "BATCH", 120)  # three batches: 120, 120, 60
    made = synthetic_cases_create(count=300, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert made == Case.objects.filter(number__startswith="SYN-").count() == 300
    stats = compute_statistics(Period.parse("tahunan", "2025"))
    assert stats.cases == 300 and stats.victims == Victim.objects.filter(case__number__startswith="SYN-").count() > 300
    assert stats.table("place").grand_total == stats.victims
    assert stats.table("violence").grand_total >= stats.victims
    # (compared in Python: names are encrypted at rest, so the database cannot compare them)
    assert {victim.name for victim in Victim.objects.exclude(case=real)} == {"Korban Sintetis"}
    # One audit event per batch, by the system, with counts and case numbers only.
    added = AuditEvent.objects.filter(action="case.synthetic_add").order_by("id")
    assert [(e.actor_label, e.details["cases"]) for e in added] == [(SYSTEM_ACTOR, 120), (SYSTEM_ACTOR, 120),
                                                                    (SYSTEM_ACTOR, 60)]
    assert sum(e.details["victims"] for e in added) == stats.victims
    assert "Sintetis" not in str(list(added.values("object_label", "details")))

    assert synthetic_cases_delete() > 0
    assert list(Case.objects.all()) == [real]  # the real case stays
    removed = AuditEvent.objects.get(action="case.synthetic_remove")
    assert (removed.actor_label, removed.details["cases"]) == (SYSTEM_ACTOR, 300)


def test_seed_demo_cases_option(db, regions, capsys):
    call_command("seed_demo", "--cases", "50", "--force")  # pytest runs with DEBUG off
    assert "50 kasus sintetis" in capsys.readouterr().out
    assert Case.objects.filter(number__startswith="SYN-").count() == 50
