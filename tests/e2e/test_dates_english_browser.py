"""On a phone set to English (browser locale en-US) dates are still typed and shown as dd-mm-yyyy, and a missing
field is answered by the server's Indonesian message, not the browser's English pop-up (core/dates.py,
static/js/forms.js)."""

import re

import pytest
from playwright.sync_api import expect

from agencies.regions import regions_load
from cases.models import Case
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.e2e.conftest import log_in


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


@pytest.fixture
def english_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US",
                                  timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def test_an_english_browser_types_17_08_2026_and_the_case_shows_it(english_phone, live_server, demo):
    page = english_phone
    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/kasus/baru/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan pengaduan")
    # The complaint time is filled in day first, with the format said next to it.
    expect(page.get_by_label("Waktu pengaduan diterima")).to_have_value(re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$"))
    incident = page.get_by_label("Tanggal kejadian")
    expect(incident).to_have_attribute("type", "text")
    expect(incident).to_have_accessible_description(re.compile("Format: hari-bulan-tahun"))

    page.get_by_label("Sumber pengaduan").select_option(label="Datang langsung")
    victim = page.get_by_role("group", name="Korban 1")
    victim.get_by_label("Nama korban").fill("Bunga Sintetis")
    victim.get_by_label("Usia (tahun), bila tanggal lahir tidak diketahui").fill("14")
    victim.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    victim.get_by_role("group", name=re.compile("Jenis kekerasan")).get_by_label("Fisik").check()
    victim.get_by_label("Pendidikan").select_option(label="SLTP/SMP")
    victim.get_by_label("Pekerjaan").select_option(label="Pelajar")
    perpetrator = page.get_by_role("group", name="Pelaku 1")
    perpetrator.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    perpetrator.get_by_label("Usia (tahun)").fill("35")
    perpetrator.get_by_label("Hubungan dengan korban 1").select_option(label="Tetangga")
    incident.fill("")
    incident.press_sequentially("17-08-2026")
    # By id: each victim has its own "Tempat kejadian korban ini" fields (shown at this width).
    page.locator("#id_place").select_option(label="Rumah Tangga")
    page.locator("#id_kecamatan").select_option(label="Masamba")
    expect(page.locator("#id_village option", has_text="Pincara")).to_have_count(1)
    page.locator("#id_village").select_option(label="Pincara")
    page.get_by_role("button", name="Daftarkan kasus").click()

    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kasus {case.number}")
    assert case.incident.occurred_on.isoformat() == "2026-08-17"
    expect(page.locator("body")).to_contain_text("17-08-2026")


def test_a_required_field_left_empty_is_answered_in_indonesian_not_by_the_browser(english_phone, live_server, demo):
    page = english_phone
    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/kasus/baru/")
    page.get_by_label("Tanggal kejadian").fill("")
    # The browser's own pop-up ("Please fill out this field.", in English) would stop the submit here.
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan kasus").click()
    expect(page.get_by_label("Tanggal kejadian")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".invalid-feedback", has_text=re.compile("tidak boleh kosong|wajib")).first).to_be_visible()
