"""Each demo role logs in and sees its home page in Indonesian; the language switches to English and back."""

import pytest
from playwright.sync_api import expect

from agencies.regions import regions_load
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.e2e.conftest import log_in

HOMES = {
    "pendamping": ("Beranda pendamping", "Caseworker home"),
    "koordinator": ("Beranda koordinator", "Supervisor home"),
    "polisi": ("Beranda lembaga mitra", "Partner agency home"),
    "pejabat": ("Beranda pejabat", "Official home"),
    "admin": ("Beranda administrator sistem", "System administrator home"),
}


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


@pytest.mark.parametrize("username", list(HOMES))
def test_demo_role_logs_in_and_switches_language(page, live_server, demo, username):
    indonesian, english = HOMES[username]
    log_in(page, live_server, username, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian)
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti bahasa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(english)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(indonesian)
