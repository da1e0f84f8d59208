"""The fast synthetic path for benchmarks: the rows it makes are counted by the statistics like any case."""

from datetime import date

from django.core.management import call_command

from cases.models import Case, Victim
from demo.synthetic import synthetic_cases_create, synthetic_cases_delete
from reports.periods import Period
from reports.statistics import compute_statistics


def test_synthetic_cases_feed_the_statistics_and_can_be_removed(caseworker, regions):
    made = synthetic_cases_create(count=300, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert made == Case.objects.count() == 300
    stats = compute_statistics(Period.parse("tahunan", "2025"))
    assert stats.cases == 300 and stats.victims == Victim.objects.count() > 300
    assert stats.table("place").grand_total == stats.victims
    assert stats.table("violence").grand_total >= stats.victims
    assert not Victim.objects.exclude(name="Korban Sintetis").exists()
    assert synthetic_cases_delete() > 0 and not Case.objects.exists()


def test_seed_demo_cases_option(db, regions, capsys):
    call_command("seed_demo", "--cases", "50", "--force")  # pytest runs with DEBUG off
    assert "50 kasus sintetis" in capsys.readouterr().out
    assert Case.objects.filter(number__startswith="SYN-").count() == 50
