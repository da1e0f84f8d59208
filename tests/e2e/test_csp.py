"""With the strict Content-Security-Policy on, the main pages of every role work in Chromium and the browser
reports no CSP violation: no inline script or style is left (htmx, loaded on every page, is told not to add its
own), and Bootstrap's script still runs."""

import re

import pytest
from playwright.sync_api import expect

from agencies.models import User
from agencies.regions import regions_load
from cases.selectors import cases_visible_to
from demo.cases import seed_cases
from demo.foundation import DEMO_PASSWORD, seed_foundation
from demo.prevention import seed_prevention
from demo.referrals import seed_referrals
from prevention.selectors import patbm_groups_visible_to
from referrals.selectors import referrals_visible_to
from tests.e2e.conftest import log_in

# Recorded by the page itself; Playwright injects it through the DevTools protocol, which the CSP does not govern.
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile
                             + ':' + e.lineNumber));"""


@pytest.fixture
def demo(transactional_db):
    regions_load(district_code="73.22")
    agencies = seed_foundation()
    seed_cases(agencies=agencies)
    seed_prevention(agencies=agencies)
    seed_referrals(agencies=agencies)


def pages_for(username: str) -> list[str]:
    """The main pages of each role, the records among them reached as that user may reach them."""
    user = User.objects.get(username=username)

    def first(records) -> int:
        return records.order_by("pk").values_list("pk", flat=True)[0]

    if username == "pendamping":
        return ["/", "/kasus/", f"/kasus/{first(cases_visible_to(user=user))}/", "/kasus/baru/", "/kasus/tenggat/",
                "/rujukan/terkirim/", f"/rujukan/{first(referrals_visible_to(user=user))}/"]
    if username == "koordinator":
        return ["/", "/kasus/", f"/kasus/{first(cases_visible_to(user=user))}/", "/rujukan/masuk/", "/laporan/",
                "/pencegahan/cakupan/", "/audit/"]
    if username == "polisi":
        return ["/", "/rujukan/masuk/", f"/rujukan/{first(referrals_visible_to(user=user))}/"]
    if username == "patbm":
        return ["/", "/pencegahan/patbm/", f"/pencegahan/patbm/{first(patbm_groups_visible_to(user=user))}/"]
    if username == "pejabat":
        return ["/", "/laporan/", "/laporan/berkas/", "/pencegahan/cakupan/", "/laporan/verifikasi/"]
    return ["/", "/audit/", "/kalender-kerja/", "/lembaga/"]  # admin


def watch(page) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"console": [], "errors": []}
    page.add_init_script(LISTEN)
    page.on("console", lambda message: seen["console"].append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


@pytest.mark.parametrize("username", ["pendamping", "koordinator", "polisi", "patbm", "pejabat", "admin"])
def test_main_pages_of_each_role_work_under_the_csp(page, live_server, demo, username):
    seen = watch(page)
    log_in(page, live_server, username, DEMO_PASSWORD)
    for path in pages_for(username):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "no-store" in response.headers.get("cache-control", ""), path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Bootstrap's script runs: the collapsed menu (a tablet is narrower than the full bar) and the account
        # menu open.
        page.get_by_role("button", name="Buka menu").click()
        expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bcollapse show\b"))  # opened, not opening
        page.locator("#mainNav > .dropdown > button").click()
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()
        assert page.evaluate("window.__violations") == [], path
    assert seen["console"] == [] and seen["errors"] == []

