"""One page per app in English shows no Indonesian month name (issue 14: "Desember", "Agu", "Okt" stayed
Indonesian): dates go through Django's localisation in the active language."""

import re

import pytest
from playwright.sync_api import expect

from agencies.regions import regions_load
from cases.models import Case
from demo.cases import seed_cases
from demo.foundation import DEMO_PASSWORD, seed_foundation
from demo.prevention import seed_prevention
from demo.referrals import seed_referrals
from tests.e2e.conftest import log_in

# Indonesian month names and abbreviations that English does not share (April, Feb, Mar, Jun... are shared).
INDONESIAN_MONTHS = re.compile(r"\b(Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|Agu|Okt|Des)\b")


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    agencies = seed_foundation()
    seed_cases(agencies=agencies)
    seed_referrals(agencies=agencies)
    seed_prevention(agencies=agencies)


def _english_pages(browser, live_server, username: str, paths: list[str]) -> dict[str, str]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US",
                                  timezone_id="Asia/Makassar")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        log_in(page, live_server, username, DEMO_PASSWORD)
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        texts = {}
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.ok, path
            expect(page.locator("html")).to_have_attribute("lang", "en")
            texts[path] = page.locator("body").inner_text()
        return texts
    finally:
        context.close()


def test_one_page_per_app_in_english_has_no_indonesian_month_name(browser, live_server, demo):
    case = Case.objects.order_by("pk").first()
    visits = {
        "pendamping": ["/kasus/", f"/kasus/{case.pk}/", "/agenda/", "/pemberitahuan/"],
        "koordinator": ["/laporan/"],
        "polisi": ["/rujukan/masuk/"],
        "patbm": ["/pencegahan/"],
        "admin": ["/kalender-kerja/?tahun=2026", "/audit/", "/lembaga/"],
    }
    found = {}
    for username, paths in visits.items():
        for path, text in _english_pages(browser, live_server, username, paths).items():
            found[path] = sorted(set(INDONESIAN_MONTHS.findall(text)))
    # The check can see: the working-day calendar of 2026 lists 17 August and 24-25 December in English.
    assert "December" in _english_pages(browser, live_server, "admin", ["/kalender-kerja/?tahun=2026"]).popitem()[1]
    assert {path: months for path, months in found.items() if months} == {}
