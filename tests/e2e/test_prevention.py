"""A PATBM activist records an activity in a village; the supervisor sees it on the coverage page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from agencies.regions import regions_load
from core.codes import AgencyType, Service
from tests.conftest import PASSWORD, make_agency, make_user, register_case
from tests.e2e.conftest import log_in
from tests.prevention.conftest import make_group

PINCARA = "73.22.03.2004"  # a desa in Kec. Masamba


@pytest.fixture
def network(transactional_db):
    regions_load(district_code="73.22")
    uptd = make_agency("UPTD PPA E2E", AgencyType.UPTD_PPA, [Service.COMPLAINT])
    caseworker = make_user("pendamping_e2e", Role.CASEWORKER, uptd)
    make_user("koordinator_e2e", Role.SUPERVISOR, uptd)
    activist = make_user("patbm_e2e", Role.PARTNER, make_agency("PATBM E2E", AgencyType.PATBM))
    make_group(activist, PINCARA)
    register_case(caseworker, village_code=PINCARA)  # a case this year in Pincara, so far without prevention


def test_patbm_activity_appears_on_the_supervisors_coverage_page(browser, page, live_server, network):
    log_in(page, live_server, "patbm_e2e", PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Kelompok PATBM").click()
    page.get_by_role("link", name="Pincara").click()
    page.get_by_role("link", name="Catat kegiatan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat kegiatan PATBM Pincara")

    page.get_by_label("Tanggal kegiatan").fill(timezone.localdate().isoformat())
    page.get_by_label("Keluarga").check()
    page.get_by_label("Topik").fill("Kelas pengasuhan positif")
    page.get_by_label("Anak perempuan").fill("6")
    page.get_by_label("Perempuan dewasa").fill("12")
    page.get_by_role("button", name="Simpan kegiatan").click()
    expect(page.get_by_role("alert")).to_contain_text("Kegiatan PATBM di Pincara tersimpan.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelas pengasuhan positif")

    supervisor = browser.new_context(viewport={"width": 1024, "height": 768}, locale="id-ID",
                                     timezone_id="Asia/Makassar").new_page()
    try:
        log_in(supervisor, live_server, "koordinator_e2e", PASSWORD)
        supervisor.get_by_role("main").get_by_role("link", name="Cakupan pencegahan").click()
        expect(supervisor.get_by_role("heading", level=1)).to_have_text("Cakupan pencegahan per desa")
        supervisor.get_by_label("Kecamatan").select_option(label="Masamba")
        supervisor.get_by_role("button", name="Tampilkan").click()
        row = supervisor.locator(f"tr[id='wilayah-{PINCARA}']")
        cells = row.get_by_role("cell")
        expect(row.get_by_role("rowheader")).to_have_text("Pincara")
        expect(cells.nth(0)).to_have_text("Aktif")
        expect(cells.nth(1)).to_have_text("1")  # PATBM activities
        expect(cells.nth(3)).to_have_text("18")  # participants
        expect(cells.nth(4)).to_have_text("1")  # cases
        expect(row).not_to_have_class(re.compile("coverage-gap"))
        expect(supervisor.locator("#gap-count")).to_have_text("0")
    finally:
        supervisor.context.close()
