"""Signing in (issue 12, must-show 3): lockout after the limit and its unlock, the second factor for the roles
that open survivors' data, recovery codes that work once, and the idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import signin
from core.models import AuditEvent
from tests.conftest import PASSWORD, client_for, totp_code, totp_device_for

LOGIN = "/akun/login/"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def _login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout ----------------------------------------------------------------------------------------------

def test_the_right_password_is_refused_after_five_failures_with_a_message_naming_nothing(caseworker, settings):
    client = client_for(None)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, caseworker.username, "salah-sekali").status_code == 200
    locked = _login(client, caseworker.username, "salah-sekali")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    right = _login(client, caseworker.username)
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_label=caseworker.username).exists()


def test_an_unknown_username_gets_the_same_lockout_so_nothing_tells_which_accounts_exist(caseworker):
    for username in (caseworker.username, "tidak_ada_orangnya"):
        client = client_for(None)
        answers = [_login(client, username, "salah") for _ in range(5)]
        assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
        page = answers[-1].content.decode()
        assert LOCKED in page and username not in page.split(LOCKED)[1][:200]


def test_the_lockout_is_per_address_and_a_forged_forwarded_header_does_not_escape_it(caseworker):
    for attempt in range(5):
        _login(client_for(None), caseworker.username, "salah", REMOTE_ADDR="203.0.113.7",
               HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert _login(client_for(None), caseworker.username, REMOTE_ADDR="203.0.113.7",
                  HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    # The caseworker at their own desk is not locked out by someone guessing from elsewhere.
    desk = client_for(None)
    assert _login(desk, caseworker.username, REMOTE_ADDR="192.0.2.10").status_code == 302
    assert _signed_in(desk)


def test_a_username_of_100000_characters_is_refused_and_counted_by_its_first_150(db):
    """The hostile-input walk found a 500 on PostgreSQL: django-axes stored the whole posted username (255 max)."""
    from axes.models import AccessAttempt

    answer = _login(client_for(None), "x" * 100_000, "salah")
    assert answer.status_code == 200 and "Masuk ke Simpul" in answer.content.decode()
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [150]


def test_the_lockout_ends_after_the_cool_off(caseworker, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            _login(client_for(None), caseworker.username, "salah")
        assert _login(client_for(None), caseworker.username).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert _login(client_for(None), caseworker.username).status_code == 302


def _lock(user) -> None:
    for _ in range(5):
        _login(client_for(None), user.username, "salah")


def test_the_administrator_unlocks_an_account_and_it_is_audited(caseworker, sysadmin):
    _lock(caseworker)
    admin = client_for(sysadmin)
    page = admin.get(f"/lembaga/pengguna/{caseworker.pk}/").content.decode()
    assert "terkunci sementara" in page and "Buka kunci akun" in page
    response = admin.post(f"/lembaga/pengguna/{caseworker.pk}/buka-kunci/", follow=True)
    assert "Kunci akun pendamping_uji dibuka." in response.content.decode()
    assert _login(client_for(None), caseworker.username).status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor_label == sysadmin.username and event.object_id == str(caseworker.pk)


def test_the_administrator_cannot_unlock_their_own_account(sysadmin):
    _lock(sysadmin)
    admin = client_for(sysadmin)  # a session opened elsewhere before the lockout
    response = admin.post(f"/lembaga/pengguna/{sysadmin.pk}/buka-kunci/", follow=True)
    assert "tidak dapat membuka kunci akun Anda sendiri" in response.content.decode()
    assert signin.is_locked_out(sysadmin)
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "official", "outsider"])
def test_nobody_else_may_unlock(personas, persona):
    _lock(personas["police_officer"])
    response = client_for(personas[persona]).post(f"/lembaga/pengguna/{personas['police_officer'].pk}/buka-kunci/")
    assert response.status_code == 404
    assert signin.is_locked_out(personas["police_officer"])


# --- The second factor ------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "police_officer", "sysadmin", "puspaga_staff"])
def test_roles_that_open_survivors_data_or_administer_accounts_need_a_code(request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(None)
    assert _login(client, user.username).status_code == 302
    first = client.get("/kasus/")
    assert first.status_code == 302 and first["Location"].startswith("/akun/dua-langkah/daftar/?next=")
    totp_device_for(user)  # enrolled: the code page instead
    again = client.get("/")
    assert again.status_code == 302 and again["Location"].startswith("/akun/dua-langkah/masuk/?next=")


@pytest.mark.parametrize("persona", ["official", "patbm_staff"])
def test_aggregate_and_prevention_roles_sign_in_with_their_password(request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(None)
    _login(client, user.username)
    assert client.get("/").status_code == 200


def test_first_sign_in_enrols_a_phone_and_shows_recovery_codes_once(caseworker):
    client = client_for(None)
    _login(client, caseworker.username)
    page = client.get("/akun/dua-langkah/daftar/?next=/kasus/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page and "Kunci rahasia" in page
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert signin.secret_text(device) in page

    with time_machine.travel(timezone.now(), tick=True) as clock:
        wrong = client.post("/akun/dua-langkah/daftar/", {"code": "000000", "next": "/kasus/"})
        assert "Kode tidak cocok" in wrong.content.decode()
        assert client.get("/kasus/").status_code == 302
        clock.shift(timedelta(seconds=2))  # django-otp makes the next try wait a second after a wrong one
        done = client.post("/akun/dua-langkah/daftar/", {"code": totp_code(device), "next": "/kasus/"})
    codes = StaticToken.objects.filter(device__user=caseworker).values_list("token", flat=True)
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/kasus/").status_code == 200
    assert list(AuditEvent.objects.filter(actor_label=caseworker.username, action__startswith="auth.otp")
                .order_by("id").values_list("action", flat=True)) == ["auth.otp_failed", "auth.otp_enrolled"]
    # Shown once: the enrolment page now sends the person on, with no codes.
    later = client.get("/akun/dua-langkah/daftar/")
    assert later.status_code == 302 and codes[0] not in later.content.decode()


def test_a_code_from_the_phone_signs_in_and_is_audited_without_the_code(caseworker):
    device = totp_device_for(caseworker)
    client = client_for(None)
    _login(client, caseworker.username)
    code = totp_code(device)
    response = client.post("/akun/dua-langkah/masuk/", {"code": code, "next": "/kasus/"})
    assert response.status_code == 302 and response["Location"] == "/kasus/"
    assert client.get("/kasus/").status_code == 200
    event = AuditEvent.objects.get(action="auth.otp_verified")
    assert event.details == {"kind": "totp"} and code not in str(event.details)
    # The same code cannot be used a second time (a code seen over a shoulder is spent).
    other = client_for(None)
    _login(other, caseworker.username)
    assert "Kode tidak cocok" in other.post("/akun/dua-langkah/masuk/", {"code": code}).content.decode()


def test_a_recovery_code_works_once(caseworker):
    totp_device_for(caseworker)
    code = signin.recovery_codes_create(user=caseworker)[0]
    first = client_for(None)
    _login(first, caseworker.username)
    assert first.post("/akun/dua-langkah/masuk/", {"code": code}).status_code == 302
    assert first.get("/kasus/").status_code == 200

    second = client_for(None)
    _login(second, caseworker.username)
    refused = second.post("/akun/dua-langkah/masuk/", {"code": code})
    assert refused.status_code == 200 and "Kode tidak cocok atau sudah dipakai" in refused.content.decode()
    assert second.get("/kasus/").status_code == 302
    verified = AuditEvent.objects.get(action="auth.otp_verified")
    assert verified.details == {"kind": "recovery", "recovery_left": 9}
    assert code not in str(verified.details)


def test_a_lost_phone_is_reset_by_two_people_never_by_its_holder(caseworker, supervisor, sysadmin):
    totp_device_for(caseworker)
    totp_device_for(sysadmin)
    admin = client_for(sysadmin)
    # Not for oneself.
    own = admin.post(f"/lembaga/pengguna/{sysadmin.pk}/ganti-ponsel/", follow=True).content.decode()
    assert "diminta oleh administrator atau koordinator lain" in own
    admin.post(f"/lembaga/pengguna/{caseworker.pk}/ganti-ponsel/")
    assert signin.has_confirmed_device(caseworker)  # asked, not yet done
    # The requester cannot approve it; a supervisor of the caseworker's agency can.
    assert admin.post("/lembaga/akses/ponsel/1/").status_code == 404
    from agencies.models import DeviceResetRequest

    reset = DeviceResetRequest.objects.get()
    queue = client_for(supervisor).get("/lembaga/akses/ponsel/").content.decode()
    assert f"Setujui {reset}" in queue
    client_for(supervisor).post(f"/lembaga/akses/ponsel/{reset.pk}/", {"approve": ""})
    assert not signin.has_confirmed_device(caseworker)
    assert list(AuditEvent.objects.filter(action__startswith="device_reset").values_list("action", "actor_label")
                .order_by("id")) == [("device_reset.request", sysadmin.username),
                                     ("device_reset.approve", supervisor.username)]
    # The caseworker's next sign-in enrols a new phone.
    client = client_for(None)
    _login(client, caseworker.username)
    assert client.get("/").headers["Location"].startswith("/akun/dua-langkah/daftar/")


# --- Idle timeout -----------------------------------------------------------------------------------------

def test_the_session_ends_after_thirty_idle_minutes(caseworker, settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(caseworker)
        assert client.get("/kasus/").status_code == 200
        clock.shift(timedelta(minutes=20))
        assert client.get("/kasus/").status_code == 200  # activity keeps it open
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        ended = client.get("/kasus/", follow=True)
        assert ended.redirect_chain[0] == ("/akun/login/?next=/kasus/", 302)
        assert "tidak ada kegiatan selama 30 menit" in ended.content.decode()
        assert not _signed_in(client)
        assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.idle_timeout", actor_label=caseworker.username).exists()


def test_a_repeated_reset_request_is_answered_with_the_first(caseworker, sysadmin):
    import re

    from agencies.models import DeviceResetRequest

    totp_device_for(caseworker)
    admin = client_for(sysadmin)
    page = admin.get(f"/lembaga/pengguna/{caseworker.pk}/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    first = admin.post(f"/lembaga/pengguna/{caseworker.pk}/ganti-ponsel/", {"submission_key": key}, follow=True)
    assert "menunggu persetujuan koordinator" in first.content.decode()
    again = admin.post(f"/lembaga/pengguna/{caseworker.pk}/ganti-ponsel/", {"submission_key": key}, follow=True)
    assert "Formulir ini sudah terkirim sebelumnya" in again.content.decode()
    assert DeviceResetRequest.objects.count() == 1
