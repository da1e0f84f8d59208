"""The demo referrals: every state, through the services, idempotent, and skipped without demo cases."""

from django.core.management import call_command

from agencies.regions import regions_load
from demo.foundation import seed_foundation
from demo.referrals import seed_referrals
from inbox.models import Notification
from referrals.models import Referral


def test_seed_demo_adds_referrals_in_every_state_once(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    regions_load(district_code="73.22")
    call_command("seed_demo")
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == {"baru", "diterima", "diproses", "selesai", "ditolak", "dicabut"}
    assert Referral.objects.filter(overdue_at__isnull=False).count() == 1
    assert Notification.objects.filter(recipient__username="koordinator", kind="eskalasi").count() == 1
    assert Referral.objects.exclude(legal_basis="").count() == 1
    assert Notification.objects.filter(recipient__username="polisi").exists()
    count = Referral.objects.count()
    call_command("seed_demo")
    assert Referral.objects.count() == count


def test_referral_seeding_skips_without_cases(db):
    regions_load(district_code="73.22")
    seed_foundation()
    assert seed_referrals() == 0
    assert not Referral.objects.exists()
