"""Two-factor sign-in in the browser: a first sign-in enrols a phone (the secret shown as text, as a person
without a camera would type it), keeps the recovery codes, and the next sign-in asks for a code."""

import base64

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_agency, make_user
from tests.e2e.conftest import log_in


def _code_for(secret_text: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed in from the page (pyotp's job, done by django-otp's
    own TOTP)."""
    key = base64.b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time += 30 * steps_ahead
    return f"{totp.token():06d}"


def test_first_sign_in_enrols_a_phone_then_signs_in_with_a_code(page, live_server, transactional_db):
    from core.codes import AgencyType, Service

    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT])
    make_user("pendamping_baru", "pendamping", uptd)

    page.goto(f"{live_server.url}/kasus/")
    page.get_by_label("Nama pengguna").fill("pendamping_baru")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan ponsel untuk masuk dua langkah")
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode").fill(_code_for(secret))
    page.get_by_role("button", name="Konfirmasi").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ponsel terdaftar. Simpan kode pemulihan ini")
    codes = page.locator(".recovery-code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.get_by_role("link", name="Saya sudah menyimpannya, lanjut").click()
    expect(page).to_have_url(f"{live_server.url}/kasus/")

    # Sign out; signing in again asks for the phone's code (the next one: the first code is spent).
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/akun/login/")
    page.get_by_label("Nama pengguna").fill("pendamping_baru")
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masukkan kode")
    next_code = _code_for(secret, steps_ahead=1)
    page.get_by_label("Kode").fill("000000" if next_code != "000000" else "111111")
    page.get_by_role("button", name="Lanjut").click()
    expect(page.get_by_text("Kode tidak cocok atau sudah dipakai")).to_be_visible()
    page.wait_for_timeout(2100)  # django-otp makes the next try wait after a wrong one, as a person would
    page.get_by_label("Kode").fill(next_code)
    page.get_by_role("button", name="Lanjut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beranda pendamping")


def test_the_browser_helper_signs_a_case_role_in_through_the_code_page(page, live_server, transactional_db):
    from core.codes import AgencyType, Service

    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT])
    make_user("koordinator_uji", "supervisor", uptd)
    log_in(page, live_server, "koordinator_uji", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Beranda koordinator")
