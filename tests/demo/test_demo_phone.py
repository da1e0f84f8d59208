"""The demo accounts' shared phone (README) exists only while DEBUG is on: a fixed TOTP secret never reaches a
production install, even one seeded with `seed_demo --force`."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.foundation import DEMO_TOTP_KEY, demo_phones_give, seed_foundation


def test_with_debug_the_case_roles_get_the_readme_phone_and_the_official_none(db, settings):
    settings.DEBUG = True
    seed_foundation()
    keys = dict(TOTPDevice.objects.values_list("user__username", "key"))
    assert keys["pendamping"] == keys["koordinator"] == keys["admin"] == DEMO_TOTP_KEY.hex()
    assert "pejabat" not in keys and "patbm" not in keys


def test_without_debug_no_fixed_secret_is_given(db, settings):
    settings.DEBUG = False
    seed_foundation()
    assert not TOTPDevice.objects.exists()
    with pytest.raises(RuntimeError):
        demo_phones_give()
    with pytest.raises(CommandError):
        call_command("demo_code")
