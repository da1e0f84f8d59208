"""Issue 10, must-show 4: "Tambah korban" and "Tambah pelaku" add rows whose every choice starts empty
("— pilih —"), so nothing unnoticed goes into the statistics, and no error banner shows before the form is
submitted. Submitting with a choice left empty says so in words next to the field."""

import pytest
from playwright.sync_api import expect

from agencies.regions import regions_load
from cases.models import Case
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.e2e.conftest import log_in

BANNER = "Kasus belum tersimpan"


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


def selected_labels(group) -> dict[str, str]:
    """Each select of a row by its label, with the text of the option it shows."""
    shown = {}
    for select in group.locator("select").all():
        label = group.locator(f"label[for='{select.get_attribute('id')}']").inner_text().strip().rstrip("*")
        shown[label] = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
    return shown


def test_added_victim_and_perpetrator_rows_start_empty_without_an_error_banner(page, live_server, demo):
    log_in(page, live_server, "pendamping", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/kasus/baru/")
    first = page.get_by_role("group", name="Korban 1")
    first.get_by_label("Nama korban").fill("Ibu Sintetis")
    first.get_by_label("Usia (tahun), bila tanggal lahir tidak diketahui").fill("34")

    page.get_by_role("button", name="Tambah korban").click()
    second = page.get_by_role("group", name="Korban 2")
    expect(second).to_be_visible()
    expect(page.get_by_text(BANNER)).to_have_count(0)
    expect(first.get_by_label("Nama korban")).to_have_value("Ibu Sintetis")  # what was typed stays
    victim_selects = selected_labels(second)
    assert {"Jenis kelamin", "Pendidikan", "Pekerjaan"} <= set(victim_selects), victim_selects
    # Empty, or an explicit "not known" / "choose the kecamatan first" / "same as the incident" (the victim's own
    # place, said in words): never a code chosen for the worker.
    empty = {"— pilih —", "---------", "Luar kabupaten / tidak diketahui", "Pilih kecamatan dulu",
             "Sama dengan tempat kejadian", "Sama dengan kejadian", "Sama dengan lokasi kejadian"}
    assert set(victim_selects.values()) <= empty, victim_selects
    assert victim_selects["Pendidikan"] == victim_selects["Pekerjaan"] == "— pilih —"

    page.get_by_role("button", name="Tambah pelaku").click()
    perpetrator = page.get_by_role("group", name="Pelaku 2")
    expect(perpetrator).to_be_visible()
    expect(page.get_by_text(BANNER)).to_have_count(0)
    perpetrator_selects = selected_labels(perpetrator)
    assert set(perpetrator_selects) == {"Jenis kelamin", "Hubungan dengan korban 1", "Hubungan dengan korban 2"}
    assert set(perpetrator_selects.values()) == {"— pilih —"}, perpetrator_selects
    # The first rows too: no choice of a victim, perpetrator or relationship is made for the worker.
    assert set(selected_labels(page.get_by_role("group", name="Pelaku 1")).values()) == {"— pilih —"}
    assert selected_labels(first)["Pendidikan"] == "— pilih —"

    # Submitted with the second victim's choices left empty: refused, and each says why beside the field.
    second.get_by_label("Nama korban").fill("Anak Sintetis")
    second.get_by_label("Usia (tahun), bila tanggal lahir tidak diketahui").fill("12")
    page.get_by_role("button", name="Daftarkan kasus").click()
    expect(page.get_by_text(BANNER)).to_be_visible()
    second = page.get_by_role("group", name="Korban 2")
    expect(second.get_by_text("Pilih setidaknya satu jenis kekerasan.")).to_be_visible()
    expect(second.get_by_text("Pilih pendidikan korban (Lainnya/NA bila tidak diketahui).")).to_be_visible()
    expect(second.get_by_text("Pilih jenis kelamin korban.")).to_be_visible()
    assert not Case.objects.exists()
