"""Pelimpahan on a phone (360 px): the supervisor hands a case to the UPTD PPA of the neighbouring district from
the case page; that unit's supervisor finds it under "Pelimpahan masuk", reads the summary, accepts and chooses
the caseworker, who then opens the case. No page is wider than the phone."""

import pytest
from playwright.sync_api import expect

from agencies import services as agency_services
from agencies.models import Region, Role
from agencies.regions import regions_load
from cases import services as case_services
from cases.models import CaseTransfer
from core.codes import AgencyType, Service
from tests.conftest import PASSWORD, make_agency, make_user, register_case
from tests.e2e.conftest import log_in

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def network(transactional_db):
    regions_load(district_code="73.22")
    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT])
    luwu = agency_services.agency_create(actor=None, name="UPTD PPA Kabupaten Luwu", agency_type=AgencyType.UPTD_PPA,
                                         district=Region.objects.get(code="73.17"), services=[Service.COMPLAINT])
    caseworker = make_user("pendamping_uji", Role.CASEWORKER, uptd)
    make_user("koordinator_uji", Role.SUPERVISOR, uptd)
    make_user("koordinator_luwu", Role.SUPERVISOR, luwu)
    make_user("pendamping_luwu", Role.CASEWORKER, luwu)
    case = register_case(caseworker, assigned_worker=caseworker)
    case_services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan", "berbagi"],
                                 given_by="orang_tua", given_by_name="Ibu Sintetis", form_version="PDP-2026-1",
                                 sharing_agency_types=[AgencyType.UPTD_PPA])
    return {"case": case}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_supervisor_hands_a_case_to_another_district_on_a_phone(browser, live_server, network):
    case = network["case"]
    survivor_code = case.victims.get().survivor_code
    context = browser.new_context(viewport=PHONE, locale="id-ID", timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        log_in(page, live_server, "koordinator_uji", PASSWORD)
        page.goto(f"{live_server.url}/kasus/{case.pk}/")
        page.get_by_role("link", name="Limpahkan kasus").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Limpahkan kasus ke lembaga lain")
        summary = page.get_by_role("region", name="Ringkasan yang dikirim")
        expect(summary).to_contain_text(survivor_code)
        expect(summary).not_to_contain_text("Korban Sintetis")
        _fits_the_phone(page)
        page.get_by_label("Lembaga penerima").select_option(label="UPTD PPA Kabupaten Luwu (Kabupaten Luwu)")
        page.get_by_label("Alasan pelimpahan").fill("Keluarga pindah ke Kabupaten Luwu.")
        page.get_by_role("button", name="Kirim pelimpahan").click()
        expect(page.get_by_role("alert")).to_contain_text("dikirim ke UPTD PPA Kabupaten Luwu")
        label = CaseTransfer.objects.get().audit_label
        page.context.clear_cookies()

        log_in(page, live_server, "koordinator_luwu", PASSWORD)
        page.goto(f"{live_server.url}/kasus/pelimpahan/")
        _fits_the_phone(page)
        page.get_by_role("link", name=label).click()
        expect(page.get_by_role("region", name="Ringkasan kasus")).to_contain_text(survivor_code)
        _fits_the_phone(page)
        page.get_by_label("Pendamping yang menangani").select_option(label="Pendamping_Luwu Persona (Pendamping "
                                                                           "(caseworker))")
        page.get_by_role("button", name="Terima pelimpahan").click()
        expect(page.get_by_role("alert")).to_contain_text("kasus kini ditangani lembaga Anda")
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
        page.context.clear_cookies()

        log_in(page, live_server, "pendamping_luwu", PASSWORD)
        page.goto(f"{live_server.url}/kasus/{case.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
        expect(page.locator("#pelimpahan")).to_contain_text("UPTD PPA Uji")
        _fits_the_phone(page)
    finally:
        context.close()
