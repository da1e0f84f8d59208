"""The "Cetak" menu of the case page on a phone, by keyboard: it lists the documents the case has, and a
document opens as a PDF (cases.documents)."""

import re

import pytest
from playwright.sync_api import expect

from agencies.models import User
from agencies.regions import regions_load
from demo.foundation import DEMO_PASSWORD, seed_foundation
from tests.conftest import register_case
from tests.e2e.conftest import log_in


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    seed_foundation()


def test_the_print_menu_lists_the_cases_documents_and_opens_one_as_pdf(browser, live_server, demo):
    caseworker = User.objects.get(username="pendamping")
    case = register_case(caseworker)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="id-ID",
                                  timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        log_in(page, live_server, "pendamping", DEMO_PASSWORD)
        page.goto(f"{live_server.url}/kasus/{case.pk}/")
        menu = page.get_by_role("button", name="Cetak")
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        items = page.get_by_role("link", name=re.compile(r"\(PDF\)$"))
        expect(items.first).to_be_visible()
        # A case just registered has no assessment, plan, mediation or closure to print.
        expect(items).to_have_text(["Formulir pengaduan (PDF)", "Persetujuan (informed consent) (PDF)",
                                    "Berkas kasus lengkap (PDF)"])
        with page.expect_response(lambda r: r.url.endswith("/cetak/berkas-kasus.pdf")) as answer:
            items.last.click()
        response = answer.value
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert "no-store" in response.headers["cache-control"]
    finally:
        context.close()
