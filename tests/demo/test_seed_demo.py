import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, Role, User
from agencies.regions import regions_load


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    regions_load(district_code="73.22")
    call_command("seed_demo")
    counts = (Agency.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Agency.objects.count(), User.objects.count()) == counts
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Agency.objects.filter(name="Unit PPA Polres Luwu Utara", services__service="penegakan_hukum").exists()


def test_seed_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("seed_demo")
    assert not User.objects.exists()
