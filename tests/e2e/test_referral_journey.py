"""A caseworker refers a case to the police Unit PPA from the case page; the police officer logs in, finds it
in the inbox, accepts, records a service and completes; the caseworker sees the update and the notification."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from agencies.regions import regions_load
from core.codes import AgencyType, Service
from referrals.models import Referral
from tests.conftest import PASSWORD, make_agency, make_user
from tests.e2e.conftest import log_in
from tests.referrals.conftest import VICTIM_NAME, new_case, record_sharing_consent

SHOTS = os.environ.get("SIMPUL_SHOTS_DIR")  # set it to keep screenshots of each step for a human to look at


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def network(transactional_db):
    regions_load(district_code="73.22")
    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT, Service.SOCIAL_REHAB])
    police = make_agency("Unit PPA Polres Uji", AgencyType.POLICE, [Service.LAW_ENFORCEMENT])
    make_agency("RSUD Uji", AgencyType.HOSPITAL, [Service.HEALTH])
    caseworker = make_user("pendamping_uji", Role.CASEWORKER, uptd)
    make_user("polisi_uji", Role.PARTNER, police)
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker, [AgencyType.POLICE])
    return {"case": case}


def _log_out(page) -> None:
    page.context.clear_cookies()


def test_referral_to_the_police_from_sending_to_completion(page, live_server, network):
    case = network["case"]
    survivor_code = case.victims.get().survivor_code

    # The caseworker refers the case from its page.
    log_in(page, live_server, "pendamping_uji", PASSWORD)
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    page.get_by_role("link", name="Kirim rujukan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirim rujukan")
    page.get_by_label("Layanan yang dibutuhkan").select_option(label="Penegakan Hukum")
    page.get_by_role("button", name="Tampilkan lembaga").click()
    expect(page.get_by_label("RSUD Uji")).to_have_count(0)  # the directory filter kept only who gives the service
    page.get_by_label("Unit PPA Polres Uji").check()
    expect(page.get_by_label("Penegakan Hukum")).to_be_checked()
    page.get_by_label("Segera").check()
    page.get_by_label("Alasan rujukan").fill("Korban siap membuat laporan polisi; mohon didampingi Unit PPA.")
    page.get_by_role("button", name="Pratinjau").click()
    preview = page.get_by_role("region", name="3. Pratinjau: yang akan dibagikan")
    expect(preview).to_contain_text(survivor_code)
    expect(preview).to_contain_text("Nama dan kontak korban tidak dibagikan.")
    expect(preview).not_to_contain_text(VICTIM_NAME)
    _shot(page, "1-send-preview")
    page.get_by_role("button", name="Kirim rujukan").click()
    expect(page.get_by_role("alert")).to_contain_text("terkirim ke Unit PPA Polres Uji")
    number = Referral.objects.get().number
    _log_out(page)

    # The police officer finds it in the inbox, accepts, records a service and completes.
    log_in(page, live_server, "polisi_uji", PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_role("link", name="Rujukan masuk").first.click()
    _shot(page, "2-inbox")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rujukan {number}")
    expect(page.get_by_text(survivor_code)).to_be_visible()
    page.get_by_role("button", name="Terima rujukan").click()
    expect(page.get_by_role("alert")).to_contain_text("Rujukan diterima")
    page.get_by_label("Layanan yang diberikan").select_option(label="Penegakan Hukum")
    # Shown day first, as every page writes dates (core/dates.py).
    expect(page.get_by_label("Tanggal layanan")).to_have_value(timezone.localdate().strftime("%d-%m-%Y"))
    page.get_by_label("Catatan").fill("Laporan polisi dibuat; korban didampingi saat BAP.")
    page.get_by_role("button", name="Catat layanan").click()
    expect(page.get_by_text("Laporan polisi dibuat; korban didampingi saat BAP.")).to_be_visible()
    _shot(page, "3-receiver-in-progress")
    page.get_by_label("Hasil tindak lanjut").fill("Berkas perkara dilimpahkan ke kejaksaan.")
    page.get_by_role("button", name="Selesaikan rujukan").click()
    expect(page.get_by_role("status")).to_contain_text("Rujukan ini sudah ditutup")
    expect(page.get_by_text(survivor_code)).to_have_count(0)  # the shared details are gone for the police
    _shot(page, "4-receiver-done")
    _log_out(page)

    # The caseworker sees the notifications and the completed referral on the case page.
    log_in(page, live_server, "pendamping_uji", PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_have_text("3")  # accepted, service recorded, completed
    page.get_by_role("link", name=re.compile("Pemberitahuan")).click()
    done = page.get_by_role("listitem").filter(has_text=f"Rujukan {number} diselesaikan oleh Unit PPA Polres Uji.")
    _shot(page, "5-notifications")
    done.get_by_role("button", name="Buka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rujukan {number}")
    expect(page.get_by_text("Berkas perkara dilimpahkan ke kejaksaan.")).to_be_visible()
    page.goto(f"{live_server.url}/kasus/{case.pk}/")
    panel = page.get_by_role("region", name="Rujukan", exact=True)
    expect(panel.get_by_role("row").filter(has_text=number)).to_contain_text("Selesai")
    _shot(page, "6-case-panel")
