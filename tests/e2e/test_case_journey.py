"""A case from complaint to closure, in Indonesian, by visible labels: the caseworker registers a case with a
victim, a perpetrator and an incident, identifies and assesses it, plans and records a service and asks
for closure; the supervisor approves; the case shows as closed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.regions import regions_load
from cases.models import Case
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.e2e.conftest import log_in

SERVICE_LABEL = re.compile(r"^Layanan\b")  # "Layanan*", not "Lembaga pemberi layanan"


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


def open_menu_item(page, name: str) -> None:
    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=name, exact=True).click()


def log_out(page) -> None:
    toggler = page.get_by_role("button", name="Buka menu")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="Rina Demo").click()
    page.get_by_role("button", name="Keluar").click()


def test_caseworker_takes_a_case_to_closure_and_the_supervisor_approves(page, live_server, demo):
    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    open_menu_item(page, "Kasus saya")
    page.get_by_role("link", name="Daftarkan pengaduan baru").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan pengaduan")

    # Intake: the complaint time is filled in already (now).
    page.get_by_label("Sumber pengaduan").select_option(label="Datang langsung")
    victim = page.get_by_role("group", name="Korban 1")
    victim.get_by_label("Nama korban").fill("Bunga Sintetis")
    victim.get_by_label("Usia (tahun), bila tanggal lahir tidak diketahui").fill("14")
    victim.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    victim.get_by_role("group", name=re.compile("Jenis kekerasan")).get_by_label("Fisik").check()
    victim.get_by_role("group", name=re.compile("Jenis kekerasan")).get_by_label("Psikis").check()
    victim.get_by_label("Pendidikan").select_option(label="SLTP/SMP")
    victim.get_by_label("Pekerjaan").select_option(label="Pelajar")
    perpetrator = page.get_by_role("group", name="Pelaku 1")
    perpetrator.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    perpetrator.get_by_label("Usia (tahun)").fill("35")
    perpetrator.get_by_label("Hubungan dengan korban 1").select_option(label="Tetangga")
    page.get_by_label("Tanggal kejadian").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.locator("#id_place").select_option(label="Rumah Tangga")  # the incident's (each victim has one too)
    page.locator("#id_kecamatan").select_option(label="Masamba")
    # htmx fills the desa of Masamba
    expect(page.locator("#id_village").locator("option", has_text="Pincara")).to_have_count(1)
    page.locator("#id_village").select_option(label="Pincara")
    page.get_by_role("button", name="Daftarkan kasus").click()

    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kasus {case.number}")
    expect(page.get_by_role("alert")).to_contain_text(f"Kasus {case.number} terdaftar.")
    expect(page.locator("[aria-current=step]")).to_contain_text("Pengaduan")

    # Identification
    page.get_by_role("link", name="Identifikasi kasus").click()
    page.get_by_label("AMPK (anak memerlukan perlindungan khusus)").check()
    page.get_by_label("Sedang").check()
    page.get_by_role("button", name="Simpan identifikasi").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Identifikasi")

    # Assessment
    page.get_by_role("link", name="Lakukan asesmen").click()
    page.get_by_label("Kesehatan").check()
    page.get_by_label("Dukungan psikologis").check()
    page.get_by_label("Sedang").check()
    page.get_by_role("button", name="Simpan asesmen").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Asesmen")

    # Intervention plan
    page.get_by_role("link", name="Susun rencana intervensi").click()
    page.get_by_role("combobox", name=SERVICE_LABEL).select_option(label="Kesehatan")
    page.get_by_label("Lembaga pemberi layanan").select_option(label="RSUD Andi Djemma Masamba")
    page.get_by_label("Target tanggal").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Tambahkan ke rencana").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Rencana intervensi")

    # A service given
    services_given = page.get_by_role("region", name="Layanan yang diberikan", exact=True)
    services_given.get_by_role("link", name="Catat layanan").click()
    page.get_by_role("combobox", name=SERVICE_LABEL).select_option(label="Kesehatan")
    page.get_by_label("Bagian dari rencana").select_option(index=1)
    page.get_by_role("button", name="Catat layanan").click()
    expect(page.get_by_role("region", name="Layanan yang diberikan", exact=True)).to_contain_text("Kesehatan")

    # Closure request
    page.get_by_role("link", name="Ajukan terminasi").click()
    page.get_by_label("Alasan terminasi").fill("Korban pindah ke rumah keluarga di provinsi lain.")
    page.get_by_role("button", name="Ajukan terminasi").click()
    expect(page.get_by_role("status").first).to_contain_text("Terminasi diajukan, menunggu keputusan koordinator.")
    log_out(page)

    # The supervisor finds the case by its number and approves the closure.
    log_in(page, live_server, "koordinator", DEMO_PASSWORD)
    open_menu_item(page, "Kasus unit")
    page.get_by_text("Cari, saring dan urutkan").click()
    page.get_by_label("Nomor kasus atau kode penyintas").fill(case.number)
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("link", name="Putuskan terminasi").click()
    page.get_by_role("button", name="Setujui terminasi").click()
    expect(page.get_by_role("status").first).to_contain_text("Kasus ditutup (terminasi).")
    expect(page.locator("[aria-current=step]")).to_contain_text("Terminasi")
    case.refresh_from_db()
    assert case.stage == "terminasi"
